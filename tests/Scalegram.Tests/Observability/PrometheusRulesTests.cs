using System.Diagnostics;
using System.Text.RegularExpressions;
using Scalegram.Roles;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Observability;

/// <summary>
/// deploy/prometheus passes Prometheus's own checker (promtool, from Debian's prometheus package), and
/// every series its rules name is one something really exports: the app's series are checked against
/// the /metrics of a running `scalegram` process after traffic that makes them appear.
/// </summary>
/// <remarks>Runs with the other /metrics tests, one at a time (see <see cref="MetricsEndpointTests"/>).</remarks>
[Collection(nameof(Api.OperationsEndpointTests))]
public sealed class PrometheusRulesTests
{
    /// <summary>Prometheus adds these to every scraped series; prometheus.yml's static labels are added on top.</summary>
    private static readonly string[] TargetLabels = ["job", "instance"];

    /// <summary>Series the rules may name that a Scalegram node does not export, who exports them, and their labels.</summary>
    private static readonly Dictionary<string, (string ExportedBy, string ScrapeJob, string[] Labels)> ExportedElsewhere = new()
    {
        ["up"] = ("Prometheus itself, for every scrape target", "", []),
        ["node_filesystem_avail_bytes"] = ("Debian's prometheus-node-exporter", "node", ["device", "fstype", "mountpoint"]),
        ["node_filesystem_size_bytes"] = ("Debian's prometheus-node-exporter", "node", ["device", "fstype", "mountpoint"]),
    };

    /// <summary>
    /// Series that rules in deploy/prometheus/future/ name and nothing emits yet, each with the issue that
    /// adds it. When one appears in /metrics, the test fails: move its rules into rules/ then.
    /// </summary>
    private static readonly Dictionary<string, string> ExpectedMissing = new();

    private static readonly HashSet<string> PromQlWords = ["and", "or", "unless", "bool", "inf", "nan", "group_left", "group_right"];

    /// <summary>One node's /metrics after traffic, shared by the tests of this class.</summary>
    private static readonly Lazy<Task<Dictionary<string, HashSet<string>>>> Exported = new(ScrapeAfterTrafficAsync);

    private static string Deploy => Path.Combine(RepositoryRoot(), "deploy", "prometheus");

    [Fact]
    public async Task Scrape_config_and_every_rule_file_are_valid_and_prometheus_loads_exactly_the_active_ones()
    {
        var config = await PromtoolAsync("check", "config", Path.Combine(Deploy, "prometheus.yml"));
        Assert.True(config.Code == 0, config.Output);
        foreach (var file in ActiveRuleFiles().Concat(FutureRuleFiles()))
        {
            var rules = await PromtoolAsync("check", "rules", file);
            Assert.True(rules.Code == 0, rules.Output);
            Assert.Contains("SUCCESS", rules.Output);
        }

        // prometheus.yml loads every file in rules/ and nothing from future/.
        var loaded = Regex.Matches(await File.ReadAllTextAsync(Path.Combine(Deploy, "prometheus.yml")), @"(?m)^rule_files:\s*\n((?:\s+-\s*\S+\s*\n)+)")
            .SelectMany(m => Regex.Matches(m.Groups[1].Value, @"-\s*(\S+)").Select(f => Path.GetFullPath(Path.Combine(Deploy, f.Groups[1].Value))))
            .Order().ToList();
        Assert.Equal(ActiveRuleFiles().Order(), loaded);
    }

    [Fact]
    public async Task Every_series_an_active_rule_names_is_exported_by_a_running_node()
    {
        var rules = ActiveRuleFiles().SelectMany(Rule.Parse).ToList();
        Assert.NotEmpty(rules);
        var exported = await Exported.Value;
        var config = await File.ReadAllTextAsync(Path.Combine(Deploy, "prometheus.yml"));
        var recorded = rules.Where(r => r.Kind == "record").ToDictionary(r => r.Name);
        var staticLabels = Regex.Matches(config, @"(?m)^\s+labels:\s*\n\s+(\w+):").Select(m => m.Groups[1].Value);

        var problems = new List<string>();
        foreach (var rule in rules)
        {
            var labels = new HashSet<string>(TargetLabels.Concat(staticLabels)) { "__name__" };
            foreach (var metric in rule.Metrics)
            {
                if (exported.TryGetValue(metric, out var exportedLabels))
                {
                    labels.UnionWith(exportedLabels);
                }
                else if (ExportedElsewhere.TryGetValue(metric, out var elsewhere))
                {
                    labels.UnionWith(elsewhere.Labels);
                    if (elsewhere.ScrapeJob != "" && !config.Contains($"job_name: {elsewhere.ScrapeJob}", StringComparison.Ordinal))
                    {
                        problems.Add($"{rule.Name}: {metric} comes from {elsewhere.ExportedBy}, but prometheus.yml has no '{elsewhere.ScrapeJob}' scrape job");
                    }
                }
                else if (recorded.TryGetValue(metric, out var record))
                {
                    labels.UnionWith(record.Labels); // checked where it is recorded
                }
                else
                {
                    problems.Add($"{rule.Name}: names {metric}, which a running node does not export{(ExpectedMissing.TryGetValue(metric, out var issue) ? $" (it comes with {issue}: keep the rule in deploy/prometheus/future/)" : "")}");
                }
            }

            problems.AddRange(rule.Labels.Where(l => !labels.Contains(l)).Select(l => $"{rule.Name}: uses label '{l}', which none of its series has"));
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public async Task Future_rules_name_only_exported_series_or_ones_expected_missing_with_their_issue()
    {
        var rules = FutureRuleFiles().SelectMany(Rule.Parse).ToList();
        var exported = await Exported.Value;
        var problems = new List<string>();
        foreach (var (rule, metric) in rules.SelectMany(r => r.Metrics.Select(m => (r, m))))
        {
            if (ExpectedMissing.ContainsKey(metric) && exported.ContainsKey(metric))
            {
                problems.Add($"{rule.Name}: {metric} is exported now; move the rule into deploy/prometheus/rules/ and drop it from {nameof(ExpectedMissing)}");
            }
            else if (!ExpectedMissing.ContainsKey(metric) && !exported.ContainsKey(metric) && !ExportedElsewhere.ContainsKey(metric))
            {
                problems.Add($"{rule.Name}: {metric} is neither exported nor listed in {nameof(ExpectedMissing)} with the issue that adds it");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [InlineData("sum by (job, http_route) (rate(http_server_request_duration_seconds_count[1m]))", "http_server_request_duration_seconds_count", "job,http_route")]
    [InlineData("histogram_quantile(0.99, sum by (job, le) (rate(x_bucket[5m]))) > 0.5", "x_bucket", "job,le")]
    [InlineData("max by (queue) (scalegram_queue_depth{state=\"dead\"}) > 0", "scalegram_queue_depth", "queue,state")]
    [InlineData("a:b:c < 0.7 and a:b:c < 0.8 * (a:b:c offset 1h)", "a:b:c", "")]
    [InlineData("n_avail{fstype!~\"tmpfs|overlay\"} / n_size{fstype!~\"a{b}\"} < 0.10", "n_avail,n_size", "fstype")]
    [InlineData("up{job=~\"scalegram-.*\"} == 0", "up", "job")]
    public void Series_and_labels_are_read_out_of_an_expression(string expr, string metrics, string labels)
    {
        var rule = new Rule("alert", "T", expr);
        Assert.Equal(metrics.Split(',').Order(), rule.Metrics.Order());
        Assert.Equal(labels.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(), rule.Labels.Order());
    }

    /// <summary>
    /// Starts the real executable on PostgreSQL with a streaming replica (so the replica series exist), signs up,
    /// uploads a photo (so the pipeline runs and the queue series exist) and reads a profile twice (cache miss,
    /// then hit), then scrapes /metrics until every wanted
    /// series of the app that a rule names shows (the queue gauges refresh every 2 s; bounded), and
    /// returns each series' label names.
    /// </summary>
    private static async Task<Dictionary<string, HashSet<string>>> ScrapeAfterTrafficAsync()
    {
        var rules = ActiveRuleFiles().Concat(FutureRuleFiles()).SelectMany(Rule.Parse).ToList();
        var wanted = rules.SelectMany(r => r.Metrics)
            .Where(m => !ExportedElsewhere.ContainsKey(m) && !ExpectedMissing.ContainsKey(m) && !rules.Any(r => r.Kind == "record" && r.Name == m))
            .ToHashSet();
        var dir = Path.Combine(Path.GetTempPath(), "scalegram-rules-" + Guid.NewGuid().ToString("N"));
        var primary = await Replication.ReplicatedNode.PrimaryAsync();
        var database = new Npgsql.NpgsqlConnectionStringBuilder(await primary.CreateDatabaseAsync("rules")).Database!;
        await using var replica = await Infrastructure.Engines.PostgresReplica.StartAsync(primary);
        try
        {
            await using var node = await NodeProcess.StartAsync(
                NodeRole.All,
                dir,
                "--Data:Engine=Postgres",
                $"--Data:Postgres:Stores:0:Primary={primary.ConnectionString(database)}",
                $"--Data:Postgres:Stores:0:Replicas:0={replica.ConnectionString(database)}");
            using var anonymous = node.CreateClient();
            var name = ApiClient.NewName("rules");
            Assert.True((await anonymous.PostAsync("/api/accounts", System.Net.Http.Json.JsonContent.Create(new { username = name, password = ApiClient.Password }))).IsSuccessStatusCode);
            using var user = node.CreateClient(await ApiClient.TokenAsync(anonymous, name));
            Assert.Equal("ready", (await ApiClient.UploadReadyAsync(user, TestImages.Jpeg(400, 300))).GetProperty("status").GetString());
            for (var i = 0; i < 2; i++)
            {
                Assert.True((await anonymous.GetAsync($"/api/users/{name}")).IsSuccessStatusCode);
            }

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (true)
            {
                var exported = ParseExposition(await anonymous.GetStringAsync("/metrics"));
                if (wanted.All(exported.ContainsKey) || DateTime.UtcNow > deadline)
                {
                    return exported;
                }

                await Task.Delay(200);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Series name → label names, from the Prometheus text format.</summary>
    private static Dictionary<string, HashSet<string>> ParseExposition(string text)
    {
        var series = new Dictionary<string, HashSet<string>>();
        foreach (var line in text.Split('\n'))
        {
            var m = Regex.Match(line, @"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+\S+");
            if (!m.Success)
            {
                continue;
            }

            if (!series.TryGetValue(m.Groups[1].Value, out var labels))
            {
                series[m.Groups[1].Value] = labels = [];
            }

            labels.UnionWith(Regex.Matches(m.Groups[2].Value, @"([a-zA-Z_][a-zA-Z0-9_]*)=""(?:[^""\\]|\\.)*""").Select(l => l.Groups[1].Value));
        }

        return series;
    }

    private static IEnumerable<string> ActiveRuleFiles() => Directory.GetFiles(Path.Combine(Deploy, "rules"), "*.yml").Select(Path.GetFullPath);

    private static IEnumerable<string> FutureRuleFiles() => Directory.GetFiles(Path.Combine(Deploy, "future"), "*.yml").Select(Path.GetFullPath);

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

    /// <summary>One recording or alerting rule and the series and label names its expression uses.</summary>
    private sealed class Rule
    {
        public Rule(string kind, string name, string expr)
        {
            Kind = kind;
            Name = name;
            Expr = expr;
            var labels = new HashSet<string>();

            // Strings first: they may hold braces, brackets and words.
            var text = Regex.Replace(expr, @"""(?:[^""\\]|\\.)*""", "\"\"");
            text = Regex.Replace(text, @"\{([^}]*)\}", m =>
            {
                labels.UnionWith(Regex.Matches(m.Groups[1].Value, @"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)").Select(l => l.Groups[1].Value));
                return " ";
            });
            text = Regex.Replace(text, @"\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)", m =>
            {
                labels.UnionWith(m.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                return " ";
            });
            text = Regex.Replace(text, @"\[[^\]]*\]", " ");
            text = Regex.Replace(text, @"\boffset\s+-?\w+", " ");

            // What is left: function and aggregation names (followed by '('), keywords, numbers and series names.
            Metrics = Regex.Matches(text, @"(?<![\w:.])[a-zA-Z_:][a-zA-Z0-9_:]*\b(?!\s*\()")
                .Select(m => m.Value).Where(w => !PromQlWords.Contains(w)).ToHashSet();
            Labels = labels;
        }

        public string Kind { get; }

        public string Name { get; }

        public string Expr { get; }

        public HashSet<string> Metrics { get; }

        public HashSet<string> Labels { get; }

        /// <summary>Reads the rules of a rule file: `- record:`/`- alert:` and its `expr:`, inline or as a `|` block.</summary>
        public static IEnumerable<Rule> Parse(string file)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var head = Regex.Match(lines[i], @"^\s*-\s*(record|alert):\s*(\S+)");
                if (!head.Success)
                {
                    continue;
                }

                var j = i + 1;
                while (j < lines.Length && !Regex.IsMatch(lines[j], @"^\s*expr:"))
                {
                    j++;
                }

                Assert.True(j < lines.Length, $"{file}: {head.Groups[2].Value} has no expr");
                var inline = Regex.Match(lines[j], @"^(\s*)expr:\s*(.*)$");
                var expr = inline.Groups[2].Value.Trim();
                if (expr is "|" or ">" or "|-" or ">-")
                {
                    var indent = inline.Groups[1].Value.Length;
                    var block = lines.Skip(j + 1).TakeWhile(l => l.Trim().Length == 0 || l.Length - l.TrimStart().Length > indent);
                    expr = string.Join('\n', block).Trim();
                }

                yield return new Rule(head.Groups[1].Value, head.Groups[2].Value, expr);
            }
        }
    }
}
