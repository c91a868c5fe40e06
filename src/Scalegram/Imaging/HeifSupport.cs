using NetVips;

namespace Scalegram.Imaging;

/// <summary>
/// What the bundled libvips (NetVips.Native) can do with HEIF files, found by trying once rather than
/// assumed: its libheif decodes and encodes AV1 (AVIF), but ships no HEVC decoder, so phones' HEIC
/// photos cannot be decoded (their header still can). A build with libde265 would turn HEIC on by itself.
/// </summary>
internal static class HeifSupport
{
    // A 64×64 black HEIC (HEVC), made by Debian's vips heifsave: decoding its pixels is the only honest test.
    internal const string HevcSample = "AAAAHGZ0eXBoZWljAAAAAG1pZjFoZWljbWlhZgAAAYNtZXRhAAAAAAAAACFoZGxyAAAAAAAAAABwaWN0AAAAAAAAAAAAAAAAAAAAAA5waXRtAAAAAAABAAAANGlsb2MAAAAAREAAAgABAAAAAAGnAAEAAAAAAAAAFgACAAAAAAG9AAEAAAAAAAAAvgAAADhpaW5mAAAAAAACAAAAFWluZmUCAAAAAAEAAGh2YzEAAAAAFWluZmUCAAABAAIAAEV4aWYAAAAAwmlwcnAAAACkaXBjbwAAAHhodmNDAQNwAAAAAAAAAAAAHvAA/P34+AAADwMgAAEAGEABDAH//wNwAAADAJAAAAMAAAMAHroCQCEAAQArQgEBA3AAAAMAkAAAAwAAAwAeoCCBBZbqSSmubgQEDAgAAAMACAAAAwAIQCIAAQAHRAHBcrAiQAAAABRpc3BlAAAAAAAAAEAAAABAAAAAEHBpeGkAAAAAAwgICAAAABZpcG1hAAAAAAAAAAEAAQOBAoMAAAAaaXJlZgAAAAAAAAAOY2RzYwACAAEAAQAAANxtZGF0AAAAEigBrxOA5shoU///uuOnlGGjmAAAAAZFeGlmAABJSSoACAAAAAYAEgEDAAEAAAABAAAAGgEFAAEAAABWAAAAGwEFAAEAAABeAAAAKAEDAAEAAAACAAAAEwIDAAEAAAABAAAAaYcEAAEAAABmAAAAAAAAADhjAADoAwAAOGMAAOgDAAAGAACQBwAEAAAAMDIxMAGRBwAEAAAAAQIDAACgBwAEAAAAMDEwMAGgAwABAAAA//8AAAKgBAABAAAAQAAAAAOgBAABAAAAQAAAAAAAAAA=";

    private static readonly Lazy<bool> Hevc = new(() => CanDecode(Convert.FromBase64String(HevcSample)));

    private static readonly Lazy<bool> Av1 = new(TryEncodeAvif);

    /// <summary>True when HEIC (HEVC) images decode: HEIC uploads are accepted only then.</summary>
    public static bool CanDecodeHeic => Hevc.Value;

    /// <summary>True when heifsave can write AV1: AVIF variants are made only then.</summary>
    public static bool CanEncodeAvif => Av1.Value;

    private static bool TryEncodeAvif()
    {
        try
        {
            using var pixel = Image.Black(8, 8, bands: 3);
            var bytes = pixel.HeifsaveBuffer(compression: Enums.ForeignHeifCompression.Av1);
            return CanDecode(bytes);
        }
        catch (VipsException)
        {
            return false;
        }
    }

    private static bool CanDecode(byte[] bytes)
    {
        try
        {
            using var image = Image.NewFromBuffer(bytes);
            using var pixels = image.CopyMemory();
            return pixels.Width > 0;
        }
        catch (VipsException)
        {
            return false;
        }
    }
}
