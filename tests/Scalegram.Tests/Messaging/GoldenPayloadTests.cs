using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Scalegram.Jobs;
using Scalegram.Messaging;
using Scalegram.Photos;
using Scalegram.Roles;
using Scalegram.Social;
using Scalegram.Tests.Infrastructure;

namespace Scalegram.Tests.Messaging;

/// <summary>
/// Job payloads and stored variant lists cross process boundaries (web and worker deploy apart),
/// so their JSON is pinned in Golden/*.json: a change here is a wire-format change.
/// </summary>
public sealed class GoldenPayloadTests
{
    /// <summary>
    /// What each job type carries, as the golden file pins it. Keyed by the type's name, so a job type
    /// declared in <see cref="JobTypes"/> without an entry here (and a golden file) fails the tests below.
    /// </summary>
    private static readonly Dictionary<string, (string File, object Sample)> PayloadOf = new()
    {
        [JobTypes.ProcessPhoto] = ("photo-job.json", new PhotoJob(1234567890123456789)),
        [JobTypes.FanOutPhoto] = ("photo-job.json", new PhotoJob(1234567890123456789)),
        [JobTypes.PurgePhoto] = ("purge-photo-job.json", new PurgePhotoJob(42, ["originals/42-abc.jpg", "p/42/large-def.jpg"])),
        [JobTypes.PurgeEdge] = ("purge-photo-job.json", new PurgePhotoJob(42, ["originals/42-abc.jpg", "p/42/large-def.jpg"])),
        [JobTypes.PurgePublicMedia] = ("purge-photo-job.json", new PurgePhotoJob(42, ["originals/42-abc.jpg", "p/42/large-def.jpg"])),
        [JobTypes.BackfillTimeline] = ("follow-job.json", new FollowJob(11, 22)),
        [JobTypes.MirrorFollow] = ("follow-job.json", new FollowJob(11, 22)),
        [JobTypes.DeleteAccount] = ("account-deletion-job.json", new AccountDeletionJob(1234567890123456789, "alice", 1767225600000)),
    };

    private static string Golden(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", name)).Trim();

    private static void AssertSameJson(string expected, string actual) =>
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(expected)), JsonSerializer.Serialize(JsonDocument.Parse(actual)));

    /// <summary>Every job type the code declares: the values of <see cref="JobTypes"/>' public string constants.</summary>
    public static TheoryData<string> DeclaredJobTypes => new(JobTypeNames());

    [Theory]
    [MemberData(nameof(DeclaredJobTypes))]
    public void Every_job_type_has_a_golden_payload(string type)
    {
        Assert.True(
            PayloadOf.TryGetValue(type, out var payload),
            $"Job type '{type}' has no golden payload: add Golden/<payload>.json and an entry in {nameof(PayloadOf)}.");
        var golden = Golden(payload.File);
        var payloadType = payload.Sample.GetType();
        AssertSameJson(golden, JsonSerializer.Serialize(payload.Sample, payloadType, JobJson.Options));

        // A node deployed later reads what an older node wrote, losing nothing.
        var read = JsonSerializer.Deserialize(golden, payloadType, JobJson.Options);
        Assert.NotNull(read);
        AssertSameJson(golden, JsonSerializer.Serialize(read, payloadType, JobJson.Options));
    }

    [Fact]
    public void Golden_payloads_name_only_declared_job_types() =>
        Assert.Empty(PayloadOf.Keys.Except(JobTypeNames()));

    [Fact]
    public void Stored_variants()
    {
        IReadOnlyList<StoredVariant> variants =
        [
            new("large", 1080, 810, "p/7/large-0123456789abcdef0123.jpg"),
            new("medium", 640, 480, "p/7/medium-0123456789abcdef0123.jpg"),
            new("thumb", 320, 320, "p/7/thumb-0123456789abcdef0123.jpg"),
        ];
        AssertSameJson(Golden("stored-variants.json"), JsonSerializer.Serialize(variants, PhotoJson.Options));
        Assert.Equal(variants, PhotoJson.ReadVariants(Golden("stored-variants.json")));
    }

    [Fact]
    public void Stored_variants_with_other_formats_and_what_older_nodes_read_of_them()
    {
        IReadOnlyList<StoredVariant> variants =
        [
            new("large", 1080, 810, "p/7/large-0123456789abcdef0123.jpg", [new("image/avif", "p/7/large-1111111111abcdef0123.avif"), new("image/webp", "p/7/large-2222222222abcdef0123.webp")]),
            new("thumb", 320, 320, "p/7/thumb-0123456789abcdef0123.jpg", [new("image/webp", "p/7/thumb-3333333333abcdef0123.webp")]),
        ];
        var golden = Golden("stored-variants-with-formats.json");
        AssertSameJson(golden, JsonSerializer.Serialize(variants, PhotoJson.Options));
        var read = PhotoJson.ReadVariants(golden);
        Assert.Equal(variants.Select(v => v.AllKeys.ToList()), read.Select(v => v.AllKeys.ToList()));

        // A node from before the formats reads the same rows as JPEG-only variants: the JPEG key is where it was.
        var old = JsonSerializer.Deserialize<List<OldStoredVariant>>(golden, PhotoJson.Options)!;
        Assert.Equal(["p/7/large-0123456789abcdef0123.jpg", "p/7/thumb-0123456789abcdef0123.jpg"], old.Select(v => v.Key));
    }

    /// <summary>StoredVariant as it was before other formats (and placeholders) existed.</summary>
    private sealed record OldStoredVariant(string Name, int Width, int Height, string Key);

    [Fact]
    public void Job_type_names_and_queues_are_stable()
    {
        var names = JobTypeNames();
        Assert.NotEmpty(names);
        var actual = names.ToDictionary(t => t, JobTypes.QueueOf);
        var golden = JsonSerializer.Deserialize<Dictionary<string, string>>(Golden("job-types.json"))!;
        Assert.Equal(golden.OrderBy(kv => kv.Key, StringComparer.Ordinal), actual.OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_handler_of_the_worker_role_runs_a_declared_job_type_with_golden_files()
    {
        await using var worker = await TestServer.StartAsync(NodeRole.Worker);
        var handled = worker.Services.GetServices<IJobHandler>().Select(h => h.Type).ToList();
        var golden = JsonSerializer.Deserialize<Dictionary<string, string>>(Golden("job-types.json"))!;

        Assert.Equal(handled.Count, handled.Distinct().Count());
        Assert.All(handled, type =>
        {
            Assert.True(golden.ContainsKey(type), $"Handler for '{type}': the job type is missing from Golden/job-types.json.");
            Assert.True(PayloadOf.ContainsKey(type), $"Handler for '{type}': the job type has no golden payload.");
        });

        // And nothing is declared (so enqueued somewhere) that no worker would run.
        Assert.Equal(JobTypeNames().Order(StringComparer.Ordinal), handled.Order(StringComparer.Ordinal));
    }

    private static string[] JobTypeNames() =>
        typeof(JobTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();
}
