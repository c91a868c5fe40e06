using System.CommandLine;
using Scalegram.Jobs;
using Scalegram.Messaging.RabbitMq;
using Scalegram.Roles;

namespace Scalegram.Cli;

/// <summary>`scalegram jobs dead --queue Q [--requeue] [--limit N]`: inspect or requeue RabbitMQ's dead-lettered jobs.</summary>
internal static class JobsCommand
{
    public static Command Create()
    {
        var queue = new Option<string>("--queue") { Description = string.Join(", ", JobTypes.Queues.Order()) + ".", Required = true };
        queue.AcceptOnlyFromAmong([.. JobTypes.Queues]);
        var requeue = new Option<bool>("--requeue") { Description = "Move the dead jobs back to their work queue (as first attempts) instead of listing them." };
        var limit = new Option<int>("--limit") { Description = "At most this many jobs (default 100).", DefaultValueFactory = _ => 100 };
        var dead = new Command("dead", "List (or with --requeue, retry) the jobs parked in a dead-letter queue.") { queue, requeue, limit, HostArgs.DataDir };
        dead.TreatUnmatchedTokensAsErrors = false;
        dead.SetAction(async (parse, ct) =>
        {
            await using var app = ScalegramApp.Build([.. HostArgs.From(parse), "--Data:MigrateOnStart=false"], NodeRole.Web);
            if (app.Services.GetService<RabbitMqConnection>() is null)
            {
                await Console.Error.WriteLineAsync("Dead-letter queues exist only on RabbitMQ: pass --Messaging:Engine=RabbitMq and --Messaging:RabbitMq:Uri=... (the embedded queue keeps dead jobs in the jobs table, state 'dead').");
                return 2;
            }

            var letters = new DeadLetters(app.Services.GetRequiredService<RabbitMqConnection>(), app.Services.GetRequiredService<RabbitMqPublisher>());
            var name = parse.GetValue(queue)!;
            if (parse.GetValue(requeue))
            {
                Console.WriteLine($"Requeued {await letters.RequeueAsync(name, parse.GetValue(limit), ct)} job(s) from {name}.");
                return 0;
            }

            var lines = await letters.ListAsync(name, parse.GetValue(limit), ct);
            Console.WriteLine($"{lines.Count} dead job(s) in {name} (id, type, attempts, payload, last error):");
            foreach (var line in lines)
            {
                Console.WriteLine(line);
            }

            return 0;
        });
        var jobs = new Command("jobs", "Operate on the job queues.") { dead };
        return jobs;
    }
}
