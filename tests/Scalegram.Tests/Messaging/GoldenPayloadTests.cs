using Scalegram.Jobs;
using System.Text.Json;
using Scalegram.Messaging;
using Scalegram.Photos;
using Scalegram.Social;

namespace Scalegram.Tests.Messaging;

/// <summary>
/// Job payloads and stored variant lists cross process boundaries (web and worker deploy apart),
/// so their JSON is pinned in Golden/*.json: a change here is a wire-format change.
/// </summary>
public sealed class GoldenPayloadTests
{
    private static string Golden(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", name)).Trim();

    private static void AssertSameJson(string expected, string actual) =>
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(expected)), JsonSerializer.Serialize(JsonDocument.Parse(actual)));

    [Fact]
    public void Photo_job_payload()
    {
        var job = new PhotoJob(1234567890123456789);
        AssertSameJson(Golden("photo-job.json"), JsonSerializer.Serialize(job, JobJson.Options));
        Assert.Equal(job, JsonSerializer.Deserialize<PhotoJob>(Golden("photo-job.json"), JobJson.Options));
    }

    [Fact]
    public void Purge_job_payload()
    {
        var job = new PurgePhotoJob(42, ["originals/42-abc.jpg", "p/42/large-def.jpg"]);
        AssertSameJson(Golden("purge-photo-job.json"), JsonSerializer.Serialize(job, JobJson.Options));
        var read = JsonSerializer.Deserialize<PurgePhotoJob>(Golden("purge-photo-job.json"), JobJson.Options)!;
        Assert.Equal(job.PhotoId, read.PhotoId);
        Assert.Equal(job.Keys, read.Keys);
    }

    [Fact]
    public void Follow_job_payload()
    {
        var job = new FollowJob(11, 22);
        AssertSameJson(Golden("follow-job.json"), JsonSerializer.Serialize(job, JobJson.Options));
        Assert.Equal(job, JsonSerializer.Deserialize<FollowJob>(Golden("follow-job.json"), JobJson.Options));
    }

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
    public void Job_type_names_and_queues_are_stable()
    {
        var actual = new[] { JobTypes.ProcessPhoto, JobTypes.PurgePhoto, JobTypes.FanOutPhoto, JobTypes.BackfillTimeline, JobTypes.MirrorFollow }
            .ToDictionary(t => t, JobTypes.QueueOf);
        AssertSameJson(Golden("job-types.json"), JsonSerializer.Serialize(actual));
    }
}
