using System.Diagnostics;

namespace Scalegram.Tests.Observability;

/// <summary>deploy/prometheus passes Prometheus's own checker (promtool, from Debian's prometheus package).</summary>
public sealed class PrometheusConfigTests
{
    [Fact]
    public async Task Scrape_config_and_alert_rules_are_valid()
    {
        var deploy = Path.Combine(RepositoryRoot(), "deploy", "prometheus");
        var config = await PromtoolAsync("check", "config", Path.Combine(deploy, "prometheus.yml"));
        Assert.True(config.Code == 0, config.Output);
        var rules = await PromtoolAsync("check", "rules", Path.Combine(deploy, "rules", "scalegram.rules.yml"));
        Assert.True(rules.Code == 0, rules.Output);
        Assert.Contains("SUCCESS", rules.Output);
    }

    [Fact]
    public async Task Rules_name_the_series_the_app_exports()
    {
        var rules = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "deploy", "prometheus", "rules", "scalegram.rules.yml"));
        foreach (var alert in new[] { "HighErrorRate", "HighP99Latency", "QueueBacklogAging", "ReplicaLag", "CacheHitRatioDrop", "DiskSpaceLow" })
        {
            Assert.Contains($"alert: {alert}", rules);
        }

        foreach (var series in new[] { "http_server_request_duration_seconds_count", "scalegram_queue_oldest_age_seconds", "scalegram_cache_requests_total" })
        {
            Assert.Contains(series, rules);
        }
    }

    private static async Task<(int Code, string Output)> PromtoolAsync(params string[] args)
    {
        var start = new ProcessStartInfo("promtool") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start; install Debian's prometheus package (tests/run.sh does).");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Scalegram.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Scalegram.slnx not found above " + AppContext.BaseDirectory);
    }
}
