using System.CommandLine;
using Scalegram.Data;
using Scalegram.Storage;
using Spectre.Console;

namespace Scalegram.Cli;

/// <summary>
/// `scalegram blobs copy --to s3`: copies the local blob directory into the configured S3 store
/// (Storage:S3:*), with a progress bar. Resumable: rerun it after an interruption and it copies only
/// what is missing or different.
/// </summary>
internal static class BlobsCommand
{
    private static readonly Option<string> To = new("--to")
    {
        Description = "The destination store: s3 (configured by Storage:S3:ServiceUrl, :Bucket, :AccessKey, :SecretKey, :Region).",
        Required = true,
    };

    private static readonly Option<string?> From = new("--from")
    {
        Description = "The local blob directory to copy. Default: Storage:Directory, else DATA_DIR/blobs.",
    };

    private static readonly Option<int> Parallel = new("--parallel")
    {
        Description = "How many blobs to copy at once.",
        DefaultValueFactory = _ => 4,
    };

    public static Command Create()
    {
        To.AcceptOnlyFromAmong("s3");
        var copy = new Command("copy", "Copy every local blob into the S3 store; skips blobs already there with the same size and SHA-256.")
        {
            To, From, Parallel, HostArgs.DataDir,
        };
        copy.TreatUnmatchedTokensAsErrors = false;
        copy.SetAction(async (parse, ct) => await CopyAsync(parse, ct));
        return new Command("blobs", "Blob store maintenance.") { copy };
    }

    private static async Task<int> CopyAsync(ParseResult parse, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder(HostArgs.From(parse));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        using var host = builder.Build();
        var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var data = builder.Configuration.GetSection(DataOptions.Section).Get<DataOptions>() ?? new DataOptions();
        var problems = storage.S3.Problems().ToList();
        if (problems.Count > 0)
        {
            problems.ForEach(p => Console.Error.WriteLine(p));
            return 1;
        }

        var directory = parse.GetValue(From) is { Length: > 0 } from ? Path.GetFullPath(from) : StorageTier.LocalDirectory(storage, data);
        if (!Directory.Exists(directory))
        {
            Console.Error.WriteLine($"There is no blob directory at {directory} (--from, Storage:Directory or --data-dir).");
            return 1;
        }

        using var s3 = new S3BlobStore(storage.S3, host.Services.GetRequiredService<ILoggerFactory>().CreateLogger<S3BlobStore>());
        var copier = new BlobCopier(new LocalBlobStore(directory), s3);
        try
        {
            await s3.EnsureBucketAsync(ct);
            var blobs = await copier.PlanAsync(ct);
            Console.WriteLine($"Copying {blobs.Count} blob(s) from {directory} to s3://{s3.Bucket} at {storage.S3.ServiceUrl}");
            BlobCopyResult? result = null;
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask("copy blobs", maxValue: Math.Max(1, blobs.Count));
                    result = await copier.CopyAsync(blobs, Math.Max(1, parse.GetValue(Parallel)), (_, _) => task.Increment(1), ct);
                    task.Value = task.MaxValue;
                });
            Console.WriteLine($"Copied {result!.Copied} blob(s) ({result.CopiedBytes} bytes), skipped {result.Skipped} already there, of {result.Total}.");
            return 0;
        }
        catch (BlobStoreUnavailableException e)
        {
            Console.Error.WriteLine($"{e.Message} Nothing copied so far is lost: run the same command again when the store answers.");
            return 2;
        }
        catch (Amazon.Runtime.AmazonServiceException e)
        {
            Console.Error.WriteLine($"The S3 store refused: {e.Message} ({(int)e.StatusCode} {e.ErrorCode}). Check Storage:S3:AccessKey, :SecretKey, :Region and :Bucket.");
            return 2;
        }
    }
}
