using System.Globalization;
using Scalegram.Photos;

namespace Scalegram.Ui;

/// <summary>How pages show a photo: which variants go in srcset, its alt text, its age. The scripts mirror these rules.</summary>
internal static class PhotoView
{
    /// <summary>A feed card is at most 614 CSS pixels wide; on a phone it is the screen's width.</summary>
    public const string CardSizes = "(max-width: 640px) 100vw, 614px";

    /// <summary>The photo page shows the image up to 720 CSS pixels wide.</summary>
    public const string LargeSizes = "(max-width: 900px) 100vw, 720px";

    /// <summary>A grid cell is a third of a column of at most 935 CSS pixels.</summary>
    public const string GridSizes = "(max-width: 960px) 33vw, 310px";

    /// <summary>
    /// The &lt;source&gt; types a &lt;picture&gt; offers before its JPEG &lt;img&gt;, best first: the browser takes the
    /// first it decodes. A photo made before these formats existed has none, and its sources get no srcset.
    /// </summary>
    public static readonly IReadOnlyList<string> ModernTypes = ["image/avif", "image/webp"];

    public static VariantDto? Variant(PhotoDto photo, string name) => photo.Variants.FirstOrDefault(v => v.Name == name);

    /// <summary>The non-square variants in one of <see cref="ModernTypes"/>; null (no srcset attribute) when the photo has none.</summary>
    public static string? FullSrcset(PhotoDto photo, string type) => TypedSrcset(photo, type, "medium", "large");

    /// <summary>The grid's variants in one of <see cref="ModernTypes"/>; null when the photo has none.</summary>
    public static string? GridSrcset(PhotoDto photo, string type) => TypedSrcset(photo, type, "thumb", "medium");

    /// <summary>The non-square variants, for cards and the photo page.</summary>
    public static string FullSrcset(PhotoDto photo) => Srcset(photo, "medium", "large");

    /// <summary>The square thumbnail (and the medium one for dense screens, cropped by CSS), for grids.</summary>
    public static string GridSrcset(PhotoDto photo) => Srcset(photo, "thumb", "medium");

    public static string AltText(PhotoDto photo) =>
        string.IsNullOrWhiteSpace(photo.Caption) ? $"Photo by {photo.Owner.Username}" : photo.Caption;

    public static string Initial(string name) =>
        string.IsNullOrEmpty(name) ? "?" : char.ToUpperInvariant(name[0]).ToString();

    /// <summary>"now", "5m", "3h", "2d", then a date: short, like the scripts' <c>timeAgo</c>.</summary>
    public static string TimeAgo(DateTimeOffset at, DateTimeOffset now)
    {
        var age = now - at;
        return age.TotalSeconds < 60 ? "now"
            : age.TotalMinutes < 60 ? $"{(int)age.TotalMinutes}m"
            : age.TotalHours < 24 ? $"{(int)age.TotalHours}h"
            : age.TotalDays < 7 ? $"{(int)age.TotalDays}d"
            : at.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
    }

    public static string Iso(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    public static string Count(long n, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? one : many)}");

    private static string? TypedSrcset(PhotoDto photo, string type, params string[] names)
    {
        var entries = names.Select(n => Variant(photo, n)).OfType<VariantDto>()
            .Select(v => (v, Source: v.Sources?.FirstOrDefault(s => s.Type == type)))
            .Where(x => x.Source is not null)
            .Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Source!.Url} {x.v.Width}w"))
            .ToList();
        return entries.Count == 0 ? null : string.Join(", ", entries);
    }

    private static string Srcset(PhotoDto photo, params string[] names) =>
        string.Join(", ", names.Select(n => Variant(photo, n)).OfType<VariantDto>().Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Url} {v.Width}w")));
}
