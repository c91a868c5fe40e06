// The ceiling of bench/ceiling/run.sh: the least an ASP.NET Core endpoint can do on this machine — Kestrel, routing,
// one minimal-API GET answering a small JSON object, logging at Warning — and nothing of Scalegram's pipeline.
// Every Scalegram endpoint is measured as a share of it, in the same run. GET /page answers a ~35 KB JSON object
// shaped like a 20-photo feed page (made once, serialised per request): the ceiling of an answer that size.
//   dotnet ceiling.dll --urls http://127.0.0.1:PORT
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
var app = builder.Build();
var answer = new Pong("ok", 1);
app.MapGet("/", () => answer);
var page = FeedLike.Page();
app.MapGet("/page", () => page);
app.Run();

/// <summary>The small JSON object the ceiling answers.</summary>
internal sealed record Pong(string Status, int Version);

/// <summary>A feed-sized answer: 20 items with an owner and three variants in three formats each, like GET /api/feed's.</summary>
internal static class FeedLike
{
    public static Page Page() => new([.. Enumerable.Range(0, 20).Select(Item)], "MTIzNDU2Nzg5MDEyMzQ1Njc4");

    private static Item Item(int i)
    {
        var id = (7_000_000_000_000_000_000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Variant Variant(string name, int w, int h)
        {
            var key = $"photos/{id}/{name}-0123456789abcdef0123456789abcdef";
            return new(name, w, h, $"/media/{key}.jpg", [new("image/avif", $"/media/{key}.avif"), new("image/webp", $"/media/{key}.webp"), new("image/jpeg", $"/media/{key}.jpg")]);
        }

        return new(id, new Owner("7000000000000000123", $"poster{i % 10}", $"poster{i % 10}"), "", "none", "ready", null,
            [Variant("thumb", 320, 240), Variant("medium", 320, 240), Variant("large", 320, 240)], i, i % 3, false,
            DateTimeOffset.FromUnixTimeMilliseconds(1_796_000_000_000 + i), "data:image/webp;base64,UklGRjAAAABXRUJQVlA4ICQAAACQAQCdASoQAAwAAUAmJaQAA3AA/v89WAAAAA==");
    }
}

/// <summary>A page of items.</summary>
internal sealed record Page(IReadOnlyList<Item> Items, string? NextCursor);

/// <summary>A photo-like item.</summary>
internal sealed record Item(string Id, Owner Owner, string Caption, string Filter, string Status, string? FailureReason,
    IReadOnlyList<Variant> Variants, long Likes, long Comments, bool? LikedByMe, DateTimeOffset CreatedAt, string? Placeholder);

/// <summary>An owner summary.</summary>
internal sealed record Owner(string Id, string Username, string DisplayName);

/// <summary>One size of the item.</summary>
internal sealed record Variant(string Name, int Width, int Height, string Url, IReadOnlyList<Source> Sources);

/// <summary>One size in one format.</summary>
internal sealed record Source(string Type, string Url);
