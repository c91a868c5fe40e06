using System.CommandLine;
using Scalegram.Data.Ids;
using Scalegram.Data.Migrations;
using Scalegram.Roles;

namespace Scalegram.Cli;

/// <summary>
/// `scalegram ids mint --shard N --count M [--wait]` (hidden): mints IDs for one logical shard the way
/// a node does, under a node lease taken at start and given back at the end, and prints them one a
/// line, so tests can prove IDs stay unique across processes.
/// </summary>
internal static class IdsCommand
{
    public static Command Create()
    {
        var shard = new Option<int>("--shard") { Description = "The logical shard the IDs belong to.", Required = true };
        var count = new Option<int>("--count") { Description = "How many IDs to mint.", DefaultValueFactory = _ => 1 };
        var wait = new Option<bool>("--wait") { Description = "Print 'ready', then mint only after a line arrives on stdin (a start barrier for tests)." };
        var mint = new Command("mint", "Mint IDs for a logical shard and print them, one a line.") { shard, count, wait, HostArgs.DataDir };
        mint.TreatUnmatchedTokensAsErrors = false;
        mint.SetAction(async (parse, ct) =>
        {
            await using var app = ScalegramApp.Build([.. HostArgs.From(parse), "--Data:MigrateOnStart=false"], NodeRole.Worker);
            await app.Services.GetRequiredService<Migrator>().MigrateAllAsync(ct);
            var ids = app.Services.GetRequiredService<IdGenerator>();

            // The host is not started, so hold the node lease here, as a node does from start to stop.
            var keeper = app.Services.GetRequiredService<NodeLeaseKeeper>();
            await keeper.StartAsync(ct);
            await using var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
            if (parse.GetValue(wait))
            {
                await output.WriteLineAsync("ready");
                await output.FlushAsync(ct);
                await Console.In.ReadLineAsync(ct);
            }

            var logicalShard = parse.GetValue(shard);
            var minted = new long[parse.GetValue(count)];
            for (var i = 0; i < minted.Length; i++)
            {
                minted[i] = ids.Next(logicalShard);
            }

            foreach (var id in minted)
            {
                await output.WriteLineAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            await output.WriteLineAsync("done");
            await output.FlushAsync(ct);
            await keeper.StopAsync(ct);
            return 0;
        });
        return new Command("ids", "Inspect the ID generator (for tests and operators).") { Hidden = true, Subcommands = { mint } };
    }
}
