using System.Diagnostics;

namespace Scalegram.AppHost;

/// <summary>Before anything starts, names the Debian packages the topology's servers need that are not installed (or installs them).</summary>
internal static class EnginePreflight
{
    /// <summary>A Debian package and the files the AppHost runs from it; a bare name is looked up on PATH.</summary>
    internal sealed record EnginePackage(string Name, IReadOnlyList<string> Files);

    // The files Engines.cs and deploy/*/run-*.sh actually run.
    internal static readonly EnginePackage Postgres = new("postgresql-15", ["/usr/lib/postgresql/15/bin/initdb", "/usr/lib/postgresql/15/bin/postgres"]);
    // The replicated topology's formation (deploy/postgres/run-autoctl.sh): pg_autoctl, the monitor's
    // extension, and psql for the monitor's settings (postgresql-client-15 comes with postgresql-15).
    internal static readonly EnginePackage AutoFailoverCli = new("pg-auto-failover-cli", ["/usr/bin/pg_autoctl"]);
    internal static readonly EnginePackage AutoFailoverExtension = new("postgresql-15-auto-failover", ["/usr/lib/postgresql/15/lib/pgautofailover.so"]);
    internal static readonly EnginePackage PostgresClient = new("postgresql-client-15", ["/usr/lib/postgresql/15/bin/psql"]);

    internal static readonly EnginePackage Redis = new("redis-server", ["redis-server"]);

    // epmd is in erlang-base, which rabbitmq-server depends on: installing rabbitmq-server brings it.
    internal static readonly EnginePackage RabbitMq = new("rabbitmq-server", ["/usr/lib/rabbitmq/bin/rabbitmq-server", "epmd"]);

    // promtool comes with it; every topology starts a Prometheus scraping what it started (--prometheus off skips it).
    internal static readonly EnginePackage Prometheus = new("prometheus", ["prometheus"]);

    // Two LBs behind one floating address (deploy/keepalived): VRRP, the host's DNAT entry point, and
    // keepalived's health check of each LB.
    internal static readonly EnginePackage Keepalived = new("keepalived", ["keepalived"]);
    internal static readonly EnginePackage Iptables = new("iptables", ["iptables"]);
    internal static readonly EnginePackage Curl = new("curl", ["/usr/bin/curl"]);

    // The cdn topology's object store (deploy/swift/start.sh: Swift all-in-one with s3api, memcached for its tokens)
    // and edge (deploy/varnish/run-varnish.sh).
    internal static readonly EnginePackage SwiftProxy = new("swift-proxy", ["/usr/bin/swift-proxy-server"]);
    internal static readonly EnginePackage SwiftAccount = new("swift-account", ["/usr/bin/swift-account-server"]);
    internal static readonly EnginePackage SwiftContainer = new("swift-container", ["/usr/bin/swift-container-server"]);
    internal static readonly EnginePackage SwiftObject = new("swift-object", ["/usr/bin/swift-object-server"]);
    internal static readonly EnginePackage Swift = new("swift", ["/etc/swift/swift.conf"]);
    internal static readonly EnginePackage Memcached = new("memcached", ["memcached"]);
    internal static readonly EnginePackage Varnish = new("varnish", ["/usr/sbin/varnishd", "varnishstat"]);

    internal static IReadOnlyList<EnginePackage> Needed(Topology topology) =>
        [.. new[]
            {
                (topology.Postgres, Postgres),
                (topology.ReplicatedPostgres, AutoFailoverExtension), (topology.ReplicatedPostgres, AutoFailoverCli), (topology.ReplicatedPostgres, PostgresClient),
                (topology.Redis, Redis), (topology.RabbitMq, RabbitMq), (topology.Prometheus, Prometheus),
                (topology.LoadBalancers > 0, Keepalived), (topology.LoadBalancers > 0, Iptables), (topology.LoadBalancers > 0, Curl),
                (topology.S3, Swift), (topology.S3, SwiftProxy), (topology.S3, SwiftAccount), (topology.S3, SwiftContainer), (topology.S3, SwiftObject),
                (topology.S3, Memcached), (topology.S3, Curl), (topology.Edge, Varnish),
            }
            .Where(engine => engine.Item1).Select(engine => engine.Item2).Distinct()];

    /// <summary>Why the topology cannot run as this user (null when it can): the floating address needs root.</summary>
    internal static string? RootProblem(Topology topology, bool isRoot) => topology.LoadBalancers == 0 || isRoot
        ? null
        : $"""
        The '{topology.Name}' topology needs root: it creates network namespaces (lb0, lb1), a bridge (sgbr0), iptables
        NAT rules for the entry point 127.0.0.1:8080 and runs keepalived (deploy/keepalived). Nothing was started.
        Run the AppHost as root.
        """;

    /// <summary>The packages the topology needs of which some file is missing, in start-up order.</summary>
    internal static IReadOnlyList<string> MissingPackages(Topology topology, Func<string, bool> exists) =>
        [.. Needed(topology).Where(package => !package.Files.All(exists)).Select(package => package.Name)];

    internal static string InstallCommand(IEnumerable<string> packages) =>
        $"apt-get install -y --no-install-recommends {string.Join(' ', packages)}";

    /// <summary>What to tell the user when packages are missing: each one by name, and how to install them.</summary>
    internal static string Message(string topology, IReadOnlyList<string> missing, string? installFailed = null) =>
        $"""
        The '{topology}' topology needs Debian packages that are not installed: {string.Join(", ", missing)}.
        {installFailed ?? "Nothing was started."} Install them as root:
            apt-get update && {InstallCommand(missing)}
        {(installFailed is null ? "or run the AppHost again as root with --install to have it do that." : "")}
        """.TrimEnd();

    /// <summary>True when the file exists: an absolute path as given, a bare name anywhere on PATH.</summary>
    internal static bool Exists(string file) =>
        Path.IsPathRooted(file)
            ? File.Exists(file)
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Any(directory => File.Exists(Path.Combine(directory, file)));

    /// <summary>
    /// Null when we may run the topology (root, if it needs it) and every engine it needs is there (after installing the missing packages with apt-get,
    /// if <paramref name="install"/> and we are root); otherwise the message to print before exiting. Without
    /// it a missing server shows only as Aspire giving up on its health check a minute later, with no cause.
    /// </summary>
    internal static string? Run(Topology topology, bool install)
    {
        if (RootProblem(topology, Environment.IsPrivilegedProcess) is { } notRoot)
        {
            return notRoot;
        }

        var missing = MissingPackages(topology, Exists);
        if (missing.Count == 0)
        {
            return null;
        }

        if (!install)
        {
            return Message(topology.Name, missing);
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return Message(topology.Name, missing, "--install needs root.");
        }

        Console.Error.WriteLine($"Installing {string.Join(", ", missing)} for the '{topology.Name}' topology ...");
        // A fresh machine may have no package lists yet; 'install' alone would then find nothing.
        if (AptGet(["update", "-qq"]) && AptGet(["install", "-y", "--no-install-recommends", .. missing]))
        {
            missing = MissingPackages(topology, Exists);
        }

        return missing.Count == 0 ? null : Message(topology.Name, missing, "apt-get did not install them.");
    }

    private static bool AptGet(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("apt-get", arguments) { UseShellExecute = false };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        try
        {
            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no apt-get: not a Debian-like machine; the message says what to install
        }
    }
}
