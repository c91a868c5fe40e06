using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scalegram.Tests.Infrastructure;

/// <summary>Shortcuts for the API calls most tests make: sign up, sign in, upload, wait for a photo.</summary>
public static class ApiClient
{
    public const string Password = "a-fine-long-passphrase";

    public static async Task<HttpClient> SignedInAsync(TestServer server, string username)
    {
        using var anonymous = server.CreateClient();
        var created = await anonymous.PostAsJsonAsync("/api/accounts", new { username, password = Password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return server.CreateClient(await TokenAsync(anonymous, username));
    }

    /// <summary>A unique username for a test, so tests sharing a server never collide.</summary>
    public static string NewName(string prefix = "u") => $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(30, prefix.Length + 13)];

    public static async Task<HttpClient> NewUserAsync(TestServer server, string prefix = "u") => await SignedInAsync(server, NewName(prefix));

    public static async Task<string> UsernameAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("username").GetString()!;

    public static async Task<string> TokenAsync(HttpClient client, string username, string password = Password)
    {
        var response = await client.PostAsJsonAsync("/api/sessions", new { username, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] bytes, string? caption = null, string? filter = null, string? crop = null, string fileName = "photo.jpg")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        if (caption is not null)
        {
            form.Add(new StringContent(caption), "caption");
        }

        if (filter is not null)
        {
            form.Add(new StringContent(filter), "filter");
        }

        if (crop is not null)
        {
            form.Add(new StringContent(crop), "crop");
        }

        return await client.PostAsync("/api/photos", form);
    }

    public static async Task<string> UploadOkAsync(HttpClient client, byte[] bytes, string? caption = null, string? filter = null, string? crop = null, string fileName = "photo.jpg")
    {
        var response = await UploadAsync(client, bytes, caption, filter, crop, fileName);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"upload answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("processing", body.GetProperty("status").GetString());
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>Polls a photo until it leaves 'processing' (or the timeout passes) and returns its JSON.</summary>
    public static async Task<JsonElement> WaitForPhotoAsync(HttpClient client, string photoId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        while (true)
        {
            var photo = await client.GetFromJsonAsync<JsonElement>($"/api/photos/{photoId}");
            if (photo.GetProperty("status").GetString() != "processing" || DateTime.UtcNow > deadline)
            {
                return photo;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Uploads and waits until the photo is ready.</summary>
    public static async Task<JsonElement> UploadReadyAsync(HttpClient client, byte[] bytes, string? caption = null, string? filter = null, string? crop = null)
    {
        var photo = await WaitForPhotoAsync(client, await UploadOkAsync(client, bytes, caption, filter, crop));
        Assert.Equal("ready", photo.GetProperty("status").GetString());
        return photo;
    }

    /// <summary>Asserts a problem-details answer with this status and code.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem;
    }

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
