using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Scalegram.Benchmarks.Imaging;

/// <summary>
/// A burst of uploads through a real node started by run.sh (`scalegram serve --role all`: web + worker,
/// SQLite, embedded queue, local blob store): every upload answered 202, then every photo ready. Reports
/// photos/s upload→ready, the node's CPU s per photo and its peak RSS (VmHWM) over its life.
/// </summary>
internal static class EndToEnd
{
    public static async Task<int> RunAsync(List<byte[]> photos, int count, Uri node, int pid)
    {
        using var client = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromMinutes(5) };
        await SignInAsync(client);
        var idleRss = ProcessMeter.RssMb(pid);
        var cpu = ProcessMeter.Cpu(pid);
        var started = Stopwatch.GetTimestamp();
        var ids = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) => ids[i] = await UploadAsync(client, photos[i % photos.Count], ct));
        var uploaded = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var (ready, failed) = await WaitAsync(client, ids);
        var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuSeconds = (ProcessMeter.Cpu(pid) - cpu).TotalSeconds;
        Console.WriteLine(FormattableString.Invariant(
            $"mode=e2e photos={count} ready={ready} failed={failed} uploads_s={uploaded:0.000} wall={wall:0.000} cpu={cpuSeconds:0.000} idle_rss_mb={idleRss:0} peak_rss_mb={ProcessMeter.PeakRssMb(pid):0}"));
        return failed == 0 ? 0 : 1;
    }

    private static async Task SignInAsync(HttpClient client)
    {
        var name = "bench" + Guid.NewGuid().ToString("N")[..8];
        (await client.PostAsJsonAsync("/api/accounts", new { username = name, password = "a-fine-long-passphrase" })).EnsureSuccessStatusCode();
        var session = await client.PostAsJsonAsync("/api/sessions", new { username = name, password = "a-fine-long-passphrase" });
        var token = (await session.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    private static async Task<string> UploadAsync(HttpClient client, byte[] jpeg, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(jpeg);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "photo.jpg");
        using var accepted = await client.PostAsync(new Uri("/api/photos", UriKind.Relative), form, ct);
        if (accepted.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"upload answered {(int)accepted.StatusCode}");
        }

        return (await accepted.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;
    }

    private static async Task<(int Ready, int Failed)> WaitAsync(HttpClient client, string[] ids)
    {
        var pending = new HashSet<string>(ids);
        int ready = 0, failed = 0;
        while (pending.Count > 0)
        {
            foreach (var id in pending.ToList())
            {
                var status = (await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/photos/{id}", UriKind.Relative))).GetProperty("status").GetString();
                if (status == "processing")
                {
                    break; // jobs run roughly in order: the rest are still processing too
                }

                pending.Remove(id);
                _ = status == "ready" ? ready++ : failed++;
            }

            await Task.Delay(100);
        }

        return (ready, failed);
    }
}
