using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NetVips;
using Scalegram.Imaging;
using Scalegram.Jobs;
using Scalegram.Messaging;
using Scalegram.Observability;
using Scalegram.Photos;
using Scalegram.Roles;
using Scalegram.Tests.Infrastructure;
using Scalegram.Workers.PhotoPipeline;
using Xunit.Abstractions;

namespace Scalegram.Tests.Workers.PhotoPipeline;

/// <summary>
/// The CPU-heavy render stops when the worker's token is cancelled: an <see cref="OperationCanceledException"/>
/// (which the runner abandons, never dead-letters), no variant stored, the photo still processing.
/// A web-only node takes the upload and runs no worker, so the test runs the handler itself.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class ProcessPhotoCancellationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestServer _server = null!;
    private HttpClient _user = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(NodeRole.Web, settings: await TestEngines.FreshDatabaseAsync(TestEngine.Sqlite));
        _user = await ApiClient.NewUserAsync(_server, "render");
    }

    public async Task DisposeAsync()
    {
        _user.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>
    /// 49 megapixels of flat 16-bit RGBA PNG: a few hundred kB to upload, but PNG has no shrink-on-load, so
    /// every pixel is inflated and resized (about half a second on a quiet machine, a flat 8-bit grey one takes a tenth of that).
    /// </summary>
    private static byte[] SlowPng()
    {
        using var black = Image.Black(7000, 7000, bands: 4);
        using var wide = black.Cast(Enums.BandFormat.Ushort);
        using var rgba = wide.Copy(interpretation: Enums.Interpretation.Rgb16);
        return rgba.PngsaveBuffer(compression: 9);
    }

    private ProcessPhotoHandler NewHandler() => ActivatorUtilities.CreateInstance<ProcessPhotoHandler>(_server.Services);

    private static Job JobFor(long photoId) =>
        new(1, "photos", JobTypes.ProcessPhoto, JsonSerializer.Serialize(new PhotoJob(photoId), JobJson.Options), 1, null, "s0");

    /// <summary>Calls <paramref name="onStage"/> with each pipeline stage this node finishes, and how long it took.</summary>
    private MeterListener ListenToStages(Action<string, double> onStage)
    {
        var meter = _server.Services.GetRequiredService<ScalegramMetrics>().Meter;
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == meter && instrument.Name == "scalegram.pipeline.stage.duration")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "stage")
                {
                    onStage((string)tag.Value!, seconds);
                }
            }
        });
        listener.Start();
        return listener;
    }

    private async Task AssertUntouchedAsync(long photoId)
    {
        var photo = await _server.Services.GetRequiredService<PhotoStore>().GetAsync(photoId, CancellationToken.None, fromPrimary: true);
        Assert.Equal(PhotoStatus.Processing, photo!.Status);
        Assert.Null(photo.Variants);
        var variants = Path.Combine(_server.DataDir, "blobs", ProcessPhotoHandler.MediaPrefix(photoId));
        Assert.False(Directory.Exists(variants) && Directory.EnumerateFiles(variants, "*", SearchOption.AllDirectories).Any(), "no variant may be stored");
    }

    [Fact]
    public async Task Cancelled_after_the_probe_the_render_goes_no_further()
    {
        var photoId = long.Parse(await ApiClient.UploadOkAsync(_user, TestImages.Jpeg(1600, 1200)), CultureInfo.InvariantCulture);
        using var cts = new CancellationTokenSource();
        var stages = new List<string>();
        using var listener = ListenToStages((stage, _) =>
        {
            lock (stages)
            {
                stages.Add(stage);
            }

            if (stage == "probe")
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NewHandler().HandleAsync(JobFor(photoId), cts.Token));

        Assert.Equal(["probe"], stages);
        await AssertUntouchedAsync(photoId);

        // Control: with a live token the same job renders the photo, so the stop above was the token's doing.
        await NewHandler().HandleAsync(JobFor(photoId), CancellationToken.None);
        var photo = await _server.Services.GetRequiredService<PhotoStore>().GetAsync(photoId, CancellationToken.None, fromPrimary: true);
        Assert.Equal(PhotoStatus.Ready, photo!.Status);
    }

    [Fact]
    public async Task Cancelled_mid_decode_libvips_stops_part_way_instead_of_finishing_the_stage()
    {
        var png = SlowPng();
        var photoId = long.Parse(await ApiClient.UploadOkAsync(_user, png, fileName: "big.png"), CultureInfo.InvariantCulture);
        using var cts = new CancellationTokenSource();
        var stages = new Dictionary<string, double>();
        using var listener = ListenToStages((stage, seconds) =>
        {
            lock (stages)
            {
                stages[stage] = seconds;
            }

            if (stage == "probe")
            {
                // The decode starts right after the probe; let it get going, then cancel it (from a thread of
                // its own: a pool timer can fire late on a busy machine, after the decode has finished anyway).
                new Thread(() =>
                {
                    Thread.Sleep(30);
                    cts.Cancel();
                }).Start();
            }
        });

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NewHandler().HandleAsync(JobFor(photoId), cts.Token));

        output.WriteLine($"cancelled decode {stages.GetValueOrDefault("decode"):0.000}s; {ex.Message}");
        Assert.Equal(["decode", "probe"], stages.Keys.Order());

        // Stopped inside libvips: the kill flag makes the running operation fail, which comes back wrapped.
        // Without the kill the decode would run to its end and the cancel would only be seen between
        // stages, by ThrowIfCancellationRequested, with no libvips error inside.
        Assert.IsType<NetVips.VipsException>(ex.InnerException);
        await AssertUntouchedAsync(photoId);
    }
}
