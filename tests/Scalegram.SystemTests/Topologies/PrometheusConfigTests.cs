using System.Diagnostics;
using Scalegram.AppHost;

namespace Scalegram.SystemTests.Topologies;

/// <summary>The prometheus.yml a topology generates lists exactly its processes and passes Prometheus's own checker.</summary>
public sealed class PrometheusConfigTests
{
    private static readonly ScrapeTarget[] Targets =
    [
        new("web0", "web", "127.0.0.1:8080"),
        new("web1", "web", "127.0.0.1:8081"),
        new("worker0", "worker", "127.0.0.1:8180"),
    ];

    [Fact]
    public void Every_started_process_is_a_target_once_under_its_role()
    {
        var yaml = PrometheusConfig.Render("queued", Targets, [], 9090);

        Assert.Contains("job_name: scalegram-web", yaml);
        Assert.Contains("job_name: scalegram-worker", yaml);
        Assert.DoesNotContain("scalegram-lb", yaml);
        foreach (var target in Targets)
        {
            Assert.Single(yaml.Split('\n'), line => line.Contains($"\"{target.Address}\"", StringComparison.Ordinal));
            Assert.Contains($"node: {target.Name}", yaml);
        }

        Assert.DoesNotContain("8090", yaml); // the static example's old worker ports: nothing listens there
    }

    [Fact]
    public async Task The_generated_file_passes_promtool_with_the_repository_rules()
    {
        var root = RepositoryRoot();
        var dir = Directory.CreateTempSubdirectory("scalegram-prom-").FullName;
        try
        {
            var file = Path.Combine(dir, "prometheus.yml");
            await File.WriteAllTextAsync(file, PrometheusConfig.Render("queued", Targets, [Path.Combine(root, "deploy", "prometheus", "rules", "scalegram.rules.yml")], 9090));
            var start = new ProcessStartInfo("promtool", ["check", "config", file]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var promtool = Process.Start(start)!;
            var output = await promtool.StandardOutput.ReadToEndAsync() + await promtool.StandardError.ReadToEndAsync();
            await promtool.WaitForExitAsync();
            Assert.True(promtool.ExitCode == 0, output);
            Assert.Contains("SUCCESS", output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Scalegram.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Scalegram.slnx not found above the test's directory.");
    }
}
