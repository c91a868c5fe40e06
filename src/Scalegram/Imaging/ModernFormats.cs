using NetVips;

namespace Scalegram.Imaging;

/// <summary>
/// The formats made beside each JPEG variant (WebP, and AVIF where libvips can write AV1): smaller
/// files for browsers and clients that take them, each stored under its own content-hashed key.
/// </summary>
internal static class ModernFormats
{
    public const string Webp = "webp";
    public const string Avif = "avif";

    /// <summary>The names a setting may list, best first (the order clients are offered them in).</summary>
    public static readonly IReadOnlyList<string> Known = [Avif, Webp];

    /// <summary>The formats to make from a setting's list, best first; AVIF is dropped when the library cannot write it.</summary>
    public static IReadOnlyList<AlternateFormat> Choose(IEnumerable<string> names, int webpQuality, int avifQuality, int avifEffort)
    {
        var wanted = names.Select(n => n.Trim().ToLowerInvariant()).ToHashSet();
        var chosen = new List<AlternateFormat>();
        if (wanted.Contains(Avif) && HeifSupport.CanEncodeAvif)
        {
            chosen.Add(new AlternateFormat(Avif, "image/avif", "avif", avifQuality, avifEffort));
        }

        if (wanted.Contains(Webp))
        {
            // Effort 0 without smart subsampling: files within ~2% of effort 4's at a third of its time (docs/photo-pipeline.md).
            chosen.Add(new AlternateFormat(Webp, "image/webp", "webp", webpQuality, 0));
        }

        return chosen;
    }

    /// <summary>Encodes an already resized variant in each format, metadata stripped as for the JPEG.</summary>
    public static IReadOnlyList<EncodedAlternate> Encode(Image resized, IReadOnlyList<AlternateFormat>? formats, CancellationToken ct)
    {
        if (formats is null || formats.Count == 0)
        {
            return [];
        }

        var encoded = new List<EncodedAlternate>(formats.Count);
        foreach (var format in formats)
        {
            var bytes = format.Name == Avif
                ? VipsCancellation.Compute(resized, r => r.HeifsaveBuffer(q: format.Quality, compression: Enums.ForeignHeifCompression.Av1, effort: format.Effort, keep: Enums.ForeignKeep.None), ct)
                : VipsCancellation.Compute(resized, r => r.WebpsaveBuffer(q: format.Quality, effort: format.Effort, keep: Enums.ForeignKeep.None), ct);
            encoded.Add(new EncodedAlternate(format, bytes));
        }

        return encoded;
    }
}

/// <summary>One format made beside the JPEG, with its encoder settings.</summary>
internal sealed record AlternateFormat(string Name, string MediaType, string Extension, int Quality, int Effort);

/// <summary>A variant's bytes in one of the <see cref="ModernFormats"/>.</summary>
internal sealed record EncodedAlternate(AlternateFormat Format, byte[] Bytes);
