using System.Text;
using System.Text.Json;
using Scalegram.Feed;
using Scalegram.Photos;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace Scalegram.Tests.Feed;

/// <summary>
/// Cached entries cross process boundaries through Redis (web nodes deploy at different times): the timeline head's
/// JSON is pinned in Golden/timeline-head.json, and a photo record's parsed variants never enter its cached JSON.
/// </summary>
public sealed class CachedEntryGoldenTests
{
    private static readonly FusionCacheSystemTextJsonSerializer Serializer = new();

    [Fact]
    public void Timeline_head()
    {
        var golden = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "timeline-head.json")).Trim();
        var head = new TimelineHead([505469140399372288, 505469140399372289], Complete: true);

        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(golden)), Encoding.UTF8.GetString(Serializer.Serialize(head)));
        var read = Serializer.Deserialize<TimelineHead>(Encoding.UTF8.GetBytes(golden))!;
        Assert.Equal(head.Ids, read.Ids);
        Assert.True(read.Complete);
    }

    [Fact]
    public void A_photo_records_parsed_variants_stay_out_of_its_cached_json()
    {
        var photo = new PhotoRecord { Id = 1, OwnerId = 2, Variants = """[{"name":"thumb","width":320,"height":320,"key":"p/1/thumb-x.jpg"}]""" };
        Assert.Single(photo.VariantList);

        var json = Encoding.UTF8.GetString(Serializer.Serialize(photo));

        Assert.DoesNotContain(nameof(PhotoRecord.VariantList), json, StringComparison.Ordinal);
        Assert.Equal("p/1/thumb-x.jpg", Assert.Single(Serializer.Deserialize<PhotoRecord>(Encoding.UTF8.GetBytes(json))!.VariantList).Key);
    }
}
