using Microsoft.Net.Http.Headers;

namespace Scalegram.Photos;

/// <summary>
/// Picks the format of a variant an API client asked for by Accept. AVIF and WebP are chosen only when
/// the client names them (q &gt; 0): a bare <c>*/*</c> (curl, old libraries) gets the JPEG every client reads,
/// as browsers list image/avif and image/webp by name when they decode them.
/// </summary>
internal static class FormatNegotiation
{
    /// <summary>The source to send; <paramref name="sources"/> is best first and ends with the JPEG.</summary>
    public static SourceDto Choose(IReadOnlyList<SourceDto> sources, IEnumerable<string> accept)
    {
        var jpeg = sources[^1];
        if (!MediaTypeHeaderValue.TryParseList([.. accept], out var ranges))
        {
            return jpeg;
        }

        SourceDto? best = null;
        var bestQ = 0.0;
        foreach (var source in sources.Take(sources.Count - 1))
        {
            var named = ranges.Where(r => r.MediaType.Equals(source.Type, StringComparison.OrdinalIgnoreCase)).ToList();
            var q = named.Count == 0 ? 0 : named.Max(r => r.Quality ?? 1.0);
            if (q > bestQ)
            {
                (best, bestQ) = (source, q);
            }
        }

        return best ?? jpeg;
    }
}
