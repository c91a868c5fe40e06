using System.CommandLine;
using Scalegram.Jobs;
using Scalegram.Messaging;
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

    public static readonly Option<string?> Queues = new("--queues")
    {
        Description = $"Worker and all roles: the queues this process's worker consumes, comma-separated ({string.Join(", ", JobTypes.Queues.Order())}; default all). Other queues need a worker of their own.",
    };

    public static Command Create()
    {
        var command = new Command("serve", "Run Scalegram (embedded defaults: one process, no servers to install).")
        {
            HostArgs.Urls, HostArgs.DataDir, Role, Queues,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(RunAsync);
        return command;
    }

    /// <summary>Why a --queues value cannot be used with a role, or null when it can.</summary>
    public static string? QueuesProblem(string queues, NodeRole role)
    {
        if (role is not (NodeRole.Worker or NodeRole.All))
        {
            return $"--queues applies to --role worker or all (this is --role {role.ToString().ToLowerInvariant()}, which runs no jobs).";
        }

        var names = MessagingOptions.QueueList(queues);
        var unknown = names.Where(q => !JobTypes.Queues.Contains(q)).ToList();
        if (names.Count == 0 || unknown.Count > 0)
        {
            return $"--queues must be a comma-separated list of {string.Join(", ", JobTypes.Queues.Order())} (got '{queues}'{(unknown.Count > 0 ? $"; unknown: {string.Join(", ", unknown)}" : "")}).";
        }

        return null;
    }

    public static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        if (!NodeRoles.TryParse(parse.GetValue(Role), out var role))
        {
            await Console.Error.WriteLineAsync($"--role must be one of {NodeRoles.Names} (got '{parse.GetValue(Role)}').");
            return 2;
        }

        var args = HostArgs.From(parse);
        if (parse.GetValue(Queues) is { } queues)
        {
            if (QueuesProblem(queues, role) is { } problem)
            {
                await Console.Error.WriteLineAsync(problem);
                return 2;
            }

            args = [.. args, $"--Messaging:WorkerQueues={string.Join(',', MessagingOptions.QueueList(queues))}"];
        }

        await using var app = ScalegramApp.Build(args, role);
        await app.RunAsync();
        return 0;
    }
}
