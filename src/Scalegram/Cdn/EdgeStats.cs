using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Scalegram.Cdn;

/// <summary>
/// Samples the hit and miss counters of the edges on this machine (`varnishstat -j -n DIR`, one per
/// Cdn:VarnishStatDirectories entry), for /metrics and the hit ratio. Edges on other machines need
/// their own exporter; this covers the one-machine topologies.
/// </summary>
internal sealed class EdgeStats(IOptions<CdnOptions> options, ILogger<EdgeStats> logger) : BackgroundService
{
    private readonly CdnOptions _options = options.Value;
    private volatile IReadOnlyList<EdgeCounters> _counters = [];

    /// <summary>The last sample of each edge that could be read.</summary>
    public IReadOnlyList<EdgeCounters> Counters => _counters;

    /// <summary>Reads one edge's counters now.</summary>
    public static async Task<EdgeCounters> ReadAsync(string directory, CancellationToken ct)
    {
        var start = new ProcessStartInfo("varnishstat") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-j", "-n", directory, "-f", "MAIN.cache_hit", "-f", "MAIN.cache_miss", "-f", "MAIN.backend_req" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start varnishstat.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"varnishstat -n {directory} exited with {process.ExitCode}: {await stderr}");
        }

        using var json = JsonDocument.Parse(await stdout);
        var counters = json.RootElement.GetProperty("counters");
        long Value(string name) => counters.TryGetProperty(name, out var c) ? c.GetProperty("value").GetInt64() : 0;
        return new EdgeCounters(directory, Value("MAIN.cache_hit"), Value("MAIN.cache_miss"), Value("MAIN.backend_req"));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.VarnishStatDirectories.Count == 0)
        {
            return;
        }

        var failing = new HashSet<string>();
        using var timer = new PeriodicTimer(_options.StatsInterval);
        do
        {
            var sample = new List<EdgeCounters>();
            foreach (var directory in _options.VarnishStatDirectories)
            {
                try
                {
                    sample.Add(await ReadAsync(directory, stoppingToken));
                    failing.Remove(directory);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Once per outage, not once per sample: a stopped edge is already reported by EdgeHealth.
                    if (failing.Add(directory))
                    {
                        Log.StatsFailed(logger, directory, e);
                    }
                }
            }

            _counters = sample;
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

/// <summary>One edge's counters since it started (Edge: its -n directory): lookups served from cache, sent to the origin, and origin requests.</summary>
internal sealed record EdgeCounters(string Edge, long Hits, long Misses, long BackendRequests);
