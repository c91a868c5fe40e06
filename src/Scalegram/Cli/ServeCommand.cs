using System.CommandLine;
using Scalegram.Roles;

namespace Scalegram.Cli;

/// <summary>`scalegram serve`: runs a node in a role (all, web, worker or lb).</summary>
internal static class ServeCommand
{
    public static readonly Option<string> Role = new("--role")
    {
        Description = "What this process runs: all (web and worker, the default), web, worker, or lb (the load balancer in front of web nodes).",
        DefaultValueFactory = _ => "all",
    };

    public static Command Create()
    {
        var command = new Command("serve", "Run Scalegram (embedded defaults: one process, no servers to install).")
        {
            HostArgs.Urls, HostArgs.DataDir, Role,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(RunAsync);
        return command;
    }

    public static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        if (!NodeRoles.TryParse(parse.GetValue(Role), out var role))
        {
            await Console.Error.WriteLineAsync($"--role must be one of {NodeRoles.Names} (got '{parse.GetValue(Role)}').");
            return 2;
        }

        await using var app = ScalegramApp.Build(HostArgs.From(parse), role);
        await app.RunAsync();
        return 0;
    }
}
