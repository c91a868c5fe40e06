using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scalegram.Bench.Workloads;

/// <summary>The API calls the workloads make. Each returns null on success or a short error kind.</summary>
internal sealed class BenchApi(HttpClient http, BenchWorld world, IReadOnlyList<byte[]> jpegs)
{
    public IReadOnlyList<byte[]> Jpegs => jpegs;

    public async Task<string?> RunAsync(string operation, Random random, CancellationToken ct)
    {
        var actor = world.Actor(random);
        switch (operation)
        {
            case "feed":
                return await SendAsync(operation, HttpMethod.Get, "/api/feed", actor.Token, null, ct);
            case "profile":
                return await SendAsync(operation, HttpMethod.Get, $"/api/users/{world.Popular(random).Username}", actor.Token, null, ct);
            case "user-photos":
                return await SendAsync(operation, HttpMethod.Get, $"/api/users/{world.Popular(random).Username}/photos", actor.Token, null, ct);
            case "photo":
                return world.PopularPhoto(random) is { } photo ? await SendAsync(operation, HttpMethod.Get, $"/api/photos/{photo}", actor.Token, null, ct) : "no photo yet";
            case "view":
                return world.PopularPhoto(random) is { } viewed ? await ViewAsync(viewed, actor.Token, ct) : "no photo yet";
            case "like":
                return world.PopularPhoto(random) is { } liked ? await SendAsync(operation, HttpMethod.Put, $"/api/photos/{liked}/like", actor.Token, null, ct) : "no photo yet";
            case "comment":
                return world.PopularPhoto(random) is { } commented
                    ? await SendAsync(operation, HttpMethod.Post, $"/api/photos/{commented}/comments", actor.Token, JsonContent.Create(new { text = $"Nice one #{random.Next(1000)}" }), ct)
                    : "no photo yet";
            case "follow":
                var target = world.Popular(random);
                return target.Username == actor.Username ? null : await SendAsync(operation, HttpMethod.Put, $"/api/me/following/{target.Username}", actor.Token, null, ct);
            case "upload":
                var (uploadError, photoId) = await UploadAsync(actor.Token, jpegs[random.Next(jpegs.Count)], ct);
                if (photoId is not null)
                {
                    world.AddPhoto(photoId);
                }

                return uploadError;
            case "signup":
                var name = world.NewUsername();
                var signUpError = await SignUpAsync(name, ct);
                if (signUpError is null)
                {
                    world.AddUser(new BenchUser(name, null));
                }

                return signUpError;
            case "login":
                var who = world.Anyone(random).Username;
                var (loginError, token) = await SignInAsync(who, ct);
                if (token is not null)
                {
                    world.SignedIn(who, token);
                }

                return loginError;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, "No such operation.");
        }
    }

    public Task<string?> SignUpAsync(string username, CancellationToken ct) =>
        SendAsync("signup", HttpMethod.Post, "/api/accounts", null, JsonContent.Create(new { username, password = BenchWorld.Password }), ct);

    public async Task<(string? Error, string? Token)> SignInAsync(string username, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions") { Content = JsonContent.Create(new { username, password = BenchWorld.Password }) };
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            return (ErrorOf("login", response), null);
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        return (null, body.GetProperty("token").GetString());
    }

    public async Task<(string? Error, string? PhotoId)> UploadAsync(string? token, byte[] jpeg, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(jpeg);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "file", "bench.jpg");
        form.Add(new StringContent("bench upload"), "caption");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/photos") { Content = form };
        Authorize(request, token);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            return (ErrorOf("upload", response), null);
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        return (null, body.GetProperty("id").GetString());
    }

    /// <summary>The photo's status ("processing", "ready", "failed"), or null if it cannot be read.</summary>
    public async Task<string?> PhotoStatusAsync(string photoId, string? token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/photos/{photoId}");
        Authorize(request, token);
        using var response = await http.SendAsync(request, ct);
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("status").GetString() : null;
    }

    /// <summary>A browser's photo view: the photo's JSON, then its medium variant (else the first) from the URL given, edge or origin.</summary>
    public async Task<string?> ViewAsync(string photoId, string? token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/photos/{photoId}");
        Authorize(request, token);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            return ErrorOf("view", response);
        }

        var variants = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("variants").EnumerateArray().ToList();
        if (variants.Count == 0)
        {
            return null; // still processing: the page shows a placeholder
        }

        var variant = variants.FirstOrDefault(v => v.GetProperty("name").GetString() == "medium", variants[0]);

        // Absolute when it points at the edge, relative (resolved against --url) when at the origin. No bearer token: images are fetched cookieless.
        using var media = await http.GetAsync(variant.GetProperty("url").GetString(), HttpCompletionOption.ResponseContentRead, ct);
        return media.IsSuccessStatusCode ? null : ErrorOf("view", media);
    }

    public async Task<string?> SendAsync(string operation, HttpMethod method, string path, string? token, HttpContent? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        Authorize(request, token);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        return response.IsSuccessStatusCode ? null : ErrorOf(operation, response);
    }

    private static void Authorize(HttpRequestMessage request, string? token)
    {
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    private static string ErrorOf(string operation, HttpResponseMessage response) =>
        $"{operation}: HTTP {(int)response.StatusCode}{(response.StatusCode == HttpStatusCode.TooManyRequests ? " (rate limited)" : "")}";
}
