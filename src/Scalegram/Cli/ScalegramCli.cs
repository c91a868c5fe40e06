using System.CommandLine;
using Scalegram.Bench;

namespace Scalegram.Cli;

/// <summary>The `scalegram` command line: serve (the default), migrate, admin, jobs, bench, blobs, and the hidden ids.</summary>
internal static class ScalegramCli
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Scalegram: a photo-sharing service that scales from one process to many data centers.")
        {
            ServeCommand.Create(),
            MigrateCommand.Create(),
            AdminCommand.Create(),
            BenchCommand.Create(),
            JobsCommand.Create(),
            IdsCommand.Create(),
            BlobsCommand.Create(),
        };

        // No command: run the embedded single server, as `serve` would.
        root.Options.Add(HostArgs.Urls);
        root.Options.Add(HostArgs.DataDir);
        root.Options.Add(ServeCommand.Role);
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction(ServeCommand.RunAsync);
        return root;
    }
}
