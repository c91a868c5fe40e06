using Spectre.Console;

namespace Scalegram.Bench.Workloads;

/// <summary>
/// Creates the run's own data before the load starts, with a progress bar: users (signed up and
/// signed in), follows towards popular users, and photos, then waits for the pipeline to finish them.
/// </summary>
internal static class BenchSeeder
{
    private const int FollowsPerUser = 10;

    public static async Task SeedAsync(BenchApi api, BenchWorld world, int users, IReadOnlyList<byte[]> jpegs, CancellationToken ct)
    {
        var photos = Math.Max(20, users / 2);
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var usersTask = progress.AddTask($"sign up {users} users", maxValue: users);
                await Parallel.ForEachAsync(Enumerable.Range(0, users), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (_, token) =>
                {
                    var name = world.NewUsername();
                    await RetryWhileLimitedAsync(() => api.SignUpAsync(name, token), token);
                    string? session = null;
                    await RetryWhileLimitedAsync(
                        async () =>
                        {
                            var (error, t) = await api.SignInAsync(name, token);
                            session = t;
                            return error;
                        },
                        token);
                    world.AddUser(new BenchUser(name, session));
                    usersTask.Increment(1);
                });

                var follows = users * Math.Min(FollowsPerUser, users - 1);
                var followsTask = progress.AddTask($"make {follows} follows", maxValue: follows);
                var random = new Random(7);
                var pairs = Enumerable.Range(0, users).SelectMany(_ =>
                {
                    var who = world.Actor(random);
                    return Enumerable.Range(0, Math.Min(FollowsPerUser, users - 1)).Select(_ => (who, world.Popular(random)));
                }).ToList();
                await Parallel.ForEachAsync(pairs, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (pair, token) =>
                {
                    if (pair.who.Username != pair.Item2.Username)
                    {
                        await Required(api.SendAsync("follow", HttpMethod.Put, $"/api/me/following/{pair.Item2.Username}", pair.who.Token, null, token));
                    }

                    followsTask.Increment(1);
                });

                var uploadTask = progress.AddTask($"upload {photos} photos", maxValue: photos);
                var owners = Enumerable.Range(0, photos).Select(_ => world.Popular(random)).ToList();
                await Parallel.ForEachAsync(owners.Select((o, i) => (o, i)), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (item, token) =>
                {
                    var (error, id) = await api.UploadAsync(item.o.Token, jpegs[item.i % jpegs.Count], token);
                    await Required(Task.FromResult(error));
                    world.AddPhoto(id!);
                    uploadTask.Increment(1);
                });

                var readyTask = progress.AddTask("wait for the photo pipeline", maxValue: photos);
                await WaitForPipelineAsync(api, world, readyTask, ct);
            });
    }

    private static async Task WaitForPipelineAsync(BenchApi api, BenchWorld world, ProgressTask task, CancellationToken ct)
    {
        var pending = world.Photos.ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (pending.Count > 0 && DateTime.UtcNow < deadline)
        {
            var still = new List<string>();
            foreach (var id in pending)
            {
                if (await api.PhotoStatusAsync(id, null, ct) is null or "processing")
                {
                    still.Add(id);
                }
            }

            task.Value = world.PhotoCount - still.Count;
            pending = still;
            if (pending.Count > 0)
            {
                await Task.Delay(500, ct);
            }
        }

        if (pending.Count > 0)
        {
            throw new BenchFailed($"{pending.Count} seeded photos were still processing after 3 minutes; is a worker running?");
        }
    }

    /// <summary>Sign-ups and sign-ins are rate-limited per address; wait for the window rather than fail the seed.</summary>
    private static async Task RetryWhileLimitedAsync(Func<Task<string?>> call, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var error = await call();
            if (error is null)
            {
                return;
            }

            if (!error.Contains("429", StringComparison.Ordinal) || attempt > 30)
            {
                throw new BenchFailed($"Seeding failed: {error}.");
            }

            await Task.Delay(TimeSpan.FromSeconds(3), ct);
        }
    }

    private static async Task Required(Task<string?> call)
    {
        if (await call is { } error)
        {
            throw new BenchFailed($"Seeding failed: {error}.");
        }
    }
}
