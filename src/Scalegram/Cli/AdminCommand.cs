using System.CommandLine;
using Scalegram.Accounts;
using Scalegram.Data.Migrations;
using Scalegram.Roles;

namespace Scalegram.Cli;

/// <summary>`scalegram admin grant|revoke USER`: gives or takes the admin role (which opens /ops).</summary>
internal static class AdminCommand
{
    public static Command Create()
    {
        var admin = new Command("admin", "Manage administrators.");
        admin.Subcommands.Add(Change("grant", true));
        admin.Subcommands.Add(Change("revoke", false));
        return admin;
    }

    private static Command Change(string name, bool isAdmin)
    {
        var user = new Argument<string>("username") { Description = "The account to change." };
        var command = new Command(name, isAdmin ? "Make an account an administrator." : "Take the administrator role away.") { user, HostArgs.DataDir };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            await using var app = ScalegramApp.Build(HostArgs.From(parse), NodeRole.Web);
            await app.Services.GetRequiredService<Migrator>().MigrateAllAsync(ct);
            var username = parse.GetValue(user)!;
            if (!await app.Services.GetRequiredService<AccountService>().SetAdminAsync(username, isAdmin, ct))
            {
                await Console.Error.WriteLineAsync($"No account named '{username}'.");
                return 1;
            }

            Console.WriteLine(isAdmin ? $"{username} is now an administrator." : $"{username} is no longer an administrator.");
            return 0;
        });
        return command;
    }
}
