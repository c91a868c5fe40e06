using System.CommandLine;
using Scalegram.Data.Migrations;
using Scalegram.Roles;

namespace Scalegram.Cli;

/// <summary>`scalegram migrate`: applies pending schema migrations to every physical store, then exits.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Apply pending database migrations to every store and exit.") { HostArgs.DataDir };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            await using var app = ScalegramApp.Build([.. HostArgs.From(parse), "--Data:MigrateOnStart=false"], NodeRole.Web);
            var applied = await app.Services.GetRequiredService<Migrator>().MigrateAllAsync(ct);
            Console.WriteLine($"Applied {applied} migration(s).");
            return 0;
        });
        return command;
    }
}
