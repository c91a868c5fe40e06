using System.Buffers.Binary;
using System.Text;

namespace Scalegram.Imaging;

/// <summary>
/// Reads just enough of an embedded ICC profile to tell sRGB from anything else (Adobe RGB, Display P3,
/// CMYK): converting sRGB to sRGB would change nothing and double the decode's CPU time.
/// </summary>
internal static class IccProfile
{
    /// <summary>True when the profile is an RGB profile whose description names sRGB; false when unsure.</summary>
    public static bool IsSrgb(byte[] icc)
    {
        try
        {
            return Ascii(icc, 16, 4) == "RGB " && Description(icc) is { } d && d.Contains("sRGB", StringComparison.OrdinalIgnoreCase);
        }
        catch (ArgumentException)
        {
            // Malformed: treat it as "not sRGB" so libvips, which validates profiles, decides.
            return false;
        }
    }

    private static string? Description(byte[] icc)
    {
        var count = U32(icc, 128);
        for (var i = 0; i < Math.Min(count, 256); i++)
        {
            var entry = 132 + (12 * i);
            if (Ascii(icc, entry, 4) != "desc")
            {
                continue;
            }

            var at = U32(icc, entry + 4);
            return Ascii(icc, at, 4) switch
            {
                "desc" => Ascii(icc, at + 12, Math.Max(0, U32(icc, at + 8) - 1)),
                "mluc" => Encoding.BigEndianUnicode.GetString(Slice(icc, at + U32(icc, at + 16 + 8), U32(icc, at + 16 + 4))),
                _ => null,
            };
        }

        return null;
    }

    private static int U32(byte[] b, int at) => (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(Slice(b, at, 4)));

    private static string Ascii(byte[] b, int at, int length) => Encoding.ASCII.GetString(Slice(b, at, length));

    private static ReadOnlySpan<byte> Slice(byte[] b, int at, int length) =>
        at >= 0 && length >= 0 && (long)at + length <= b.Length ? b.AsSpan(at, length) : throw new ArgumentException("ICC profile is truncated.");
}
