using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using NetVips;
using Scalegram.Roles;

namespace Scalegram.Benchmarks;

/// <summary>
/// One upload end to end through a real node (role all, SQLite, embedded queue): POST /api/photos,
/// then poll until the worker made the variants and marked it ready — with the local blob store
/// (baseline) and with S3 on a Swift server started here. Same photo, same run; Ratio is the figure.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 12)]
public class UploadPipelineBenchmarks
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "scalegram-bench-upload-" + Guid.NewGuid().ToString("N")[..12]);
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private BenchSwift? _swift;
    private byte[] _jpeg = [];

    [GlobalSetup(Target = nameof(Local))]
    public void SetupLocal() => Start([]);

    [GlobalSetup(Target = nameof(S3))]
    public void SetupS3()
    {
        _swift = new BenchSwift();
        Start(_swift.Settings("bench"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _app.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)_app).Dispose();
        _swift?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public Task<string> Local() => UploadUntilReadyAsync();

    [Benchmark]
    public Task<string> S3() => UploadUntilReadyAsync();

    private async Task<string> UploadUntilReadyAsync()
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(_jpeg);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", "photo.jpg");
        var accepted = await _client.PostAsync(new Uri("/api/photos", UriKind.Relative), form);
        if (accepted.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"upload answered {(int)accepted.StatusCode}");
        }

        var id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        while (true)
        {
            var status = (await _client.GetFromJsonAsync<JsonElement>(new Uri($"/api/photos/{id}", UriKind.Relative))).GetProperty("status").GetString();
            if (status != "processing")
            {
                return status == "ready" ? id : throw new InvalidOperationException($"photo {id} is {status}");
            }

            await Task.Delay(5);
        }
    }

    private void Start(string[] settings)
    {
        using (var noise = Image.Gaussnoise(4000, 3000, mean: 128, sigma: 20))
        using (var rgb = noise.Bandjoin(noise, noise).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb))
        using (var smooth = rgb.Gaussblur(2))
        {
            _jpeg = smooth.JpegsaveBuffer(q: 85);
        }

        _app = ScalegramApp.Build(
            [
                "--urls=http://127.0.0.1:0", $"--Data:Directory={_dir}", "--Logging:LogLevel:Default=Warning",
                "--Messaging:PollInterval=00:00:00.050", "--Web:DrainDelay=00:00:00", "--Caching:Disabled=true", "--Photos:UploadsPerHour=0", .. settings,
            ],
            NodeRole.All);
        _app.StartAsync().GetAwaiter().GetResult();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address) };
        var name = "bench" + Guid.NewGuid().ToString("N")[..8];
        _client.PostAsJsonAsync("/api/accounts", new { username = name, password = "a-fine-long-passphrase" }).GetAwaiter().GetResult().EnsureSuccessStatusCode();
        var session = _client.PostAsJsonAsync("/api/sessions", new { username = name, password = "a-fine-long-passphrase" }).GetAwaiter().GetResult();
        var token = session.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>().GetAwaiter().GetResult().GetProperty("token").GetString();
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }
}
