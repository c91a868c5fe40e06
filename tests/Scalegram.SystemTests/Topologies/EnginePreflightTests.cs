using Microsoft.Extensions.Configuration;
using Scalegram.AppHost;

namespace Scalegram.SystemTests.Topologies;

/// <summary>The AppHost names the Debian packages a topology is missing before it starts anything.</summary>
public sealed class EnginePreflightTests
{
    private static Topology Preset(params string[] args) =>
        Topology.From(new ConfigurationBuilder().AddCommandLine(args).Build());

    private static readonly Func<string, bool> NothingInstalled = _ => false;

    [Theory]
    [InlineData("single", new[] { "prometheus" })]
    [InlineData("separate-db", new[] { "postgresql-15", "prometheus" })]
    [InlineData("cached", new[] { "postgresql-15", "redis-server", "prometheus" })]
    [InlineData("queued", new[] { "postgresql-15", "redis-server", "rabbitmq-server", "prometheus" })]
    [InlineData("scale-out", new[] { "postgresql-15", "redis-server", "rabbitmq-server", "prometheus", "keepalived", "iptables", "curl" })]
    [InlineData("replicated", new[] { "postgresql-15", "postgresql-15-auto-failover", "pg-auto-failover-cli", "postgresql-client-15", "redis-server", "rabbitmq-server", "prometheus", "keepalived", "iptables", "curl" })]
    [InlineData("cdn", new[] { "postgresql-15", "postgresql-15-auto-failover", "pg-auto-failover-cli", "postgresql-client-15", "redis-server", "rabbitmq-server", "prometheus", "keepalived", "iptables", "curl", "swift", "swift-proxy", "swift-account", "swift-container", "swift-object", "memcached", "varnish" })]
    public void On_a_bare_machine_each_preset_needs_its_engines_packages(string topology, string[] packages) =>
        Assert.Equal(packages, EnginePreflight.MissingPackages(Preset("--topology", topology), NothingInstalled));

    [Fact]
    public void Cdn_is_replicated_plus_the_s3_store_and_the_edge_and_refuses_sqlite()
    {
        var cdn = Preset("--topology", "cdn");
        Assert.Equal((true, true, true), (cdn.ReplicatedPostgres, cdn.S3, cdn.Edge));
        Assert.Equal((2, 3, 2, true, true), (cdn.LoadBalancers, cdn.WebNodes, cdn.Workers, cdn.Redis, cdn.RabbitMq));
        Assert.False(Preset("--topology", "replicated").S3);
        Assert.False(Preset("--topology", "replicated").Edge);
        Assert.Contains("sqlite", Assert.Throws<ArgumentException>(() => Preset("--topology", "cdn", "--db", "sqlite")).Message, StringComparison.Ordinal);
        Assert.NotNull(EnginePreflight.RootProblem(cdn, isRoot: false));
        Assert.Equal(["varnish"], EnginePreflight.MissingPackages(cdn, file => file is not ("/usr/sbin/varnishd" or "varnishstat")));
    }

    [Fact]
    public void Scale_out_needs_root_and_says_why_before_anything_else()
    {
        var message = EnginePreflight.RootProblem(Preset("--topology", "scale-out"), isRoot: false);
        Assert.NotNull(message);
        Assert.Contains("needs root", message);
        Assert.Contains("network namespaces", message);
        Assert.Null(EnginePreflight.RootProblem(Preset("--topology", "scale-out"), isRoot: true));
        Assert.Null(EnginePreflight.RootProblem(Preset("--topology", "queued"), isRoot: false));
    }

    [Fact]
    public void Scale_out_puts_the_web_nodes_behind_the_entry_point_and_the_others_keep_web0_on_8080()
    {
        var scaleOut = Preset("--topology", "scale-out", "--web-nodes", "4");
        Assert.Equal((2, 4, 2), (scaleOut.LoadBalancers, scaleOut.WebNodes, scaleOut.Workers));
        Assert.Equal([8081, 8082, 8083, 8084], Enumerable.Range(0, 4).Select(i => Ports.Web(scaleOut, i)));
        Assert.Equal(8080, Ports.Web(Preset("--topology", "queued"), 0));
        Assert.Equal(0, Preset("--topology", "queued").LoadBalancers);
        Assert.Throws<ArgumentException>(() => Preset("--topology", "scale-out", "--web-nodes", "0"));
    }

    [Fact]
    public void Replicated_is_scale_out_with_the_store_as_a_formation_and_refuses_sqlite()
    {
        var replicated = Preset("--topology", "replicated");
        Assert.True(replicated.ReplicatedPostgres);
        Assert.Equal((2, 3, 2, true, true), (replicated.LoadBalancers, replicated.WebNodes, replicated.Workers, replicated.Redis, replicated.RabbitMq));
        Assert.False(Preset("--topology", "scale-out").ReplicatedPostgres);
        Assert.Contains("sqlite", Assert.Throws<ArgumentException>(() => Preset("--topology", "replicated", "--db", "sqlite")).Message, StringComparison.Ordinal);
        Assert.NotNull(EnginePreflight.RootProblem(replicated, isRoot: false));
        Assert.Equal(
            "Host=127.0.0.1:15441,127.0.0.1:15442,127.0.0.1:15443;Username=postgres;Database=scalegram;Target Session Attributes=read-write",
            PostgresFormation.PrimaryConnectionString);
        Assert.Equal(["Host=127.0.0.1;Port=15441;Username=postgres;Database=scalegram", "Host=127.0.0.1;Port=15442;Username=postgres;Database=scalegram", "Host=127.0.0.1;Port=15443;Username=postgres;Database=scalegram"],
            PostgresFormation.NodeConnectionStrings);
    }

    [Fact]
    public void Embedded_engines_chosen_on_the_command_line_need_no_package() =>
        Assert.Equal(["rabbitmq-server"], EnginePreflight.MissingPackages(Preset("--topology", "queued", "--db", "sqlite", "--cache", "memory", "--prometheus", "off"), NothingInstalled));

    [Fact]
    public void One_missing_file_is_enough_to_name_its_package()
    {
        // Everything there but epmd (shipped by erlang-base, which installing rabbitmq-server brings).
        var missing = EnginePreflight.MissingPackages(Preset("--topology", "queued"), file => file != "epmd");
        Assert.Equal(["rabbitmq-server"], missing);
    }

    [Fact]
    public void The_message_names_each_missing_package_and_the_apt_get_command()
    {
        var message = EnginePreflight.Message("cached", ["postgresql-15", "redis-server"]);
        Assert.Contains("'cached' topology needs Debian packages that are not installed: postgresql-15, redis-server.", message);
        Assert.Contains("apt-get install -y --no-install-recommends postgresql-15 redis-server", message);
        Assert.Contains("--install", message);
    }

    [Fact]
    public void The_real_check_passes_for_single_which_needs_no_server()
    {
        Assert.Empty(EnginePreflight.MissingPackages(Preset("--topology", "single"), EnginePreflight.Exists));
        Assert.Null(EnginePreflight.Run(Preset("--topology", "single"), install: false));
    }

    [Fact]
    public void Exists_finds_absolute_paths_and_bare_names_on_PATH()
    {
        Assert.True(EnginePreflight.Exists("/bin/sh"));
        Assert.True(EnginePreflight.Exists("sh"));
        Assert.False(EnginePreflight.Exists("/nonexistent/postgres"));
        Assert.False(EnginePreflight.Exists("scalegram-no-such-command"));
    }
}
