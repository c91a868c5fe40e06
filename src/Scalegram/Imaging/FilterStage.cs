using NetVips;

namespace Scalegram.Imaging;

/// <summary>
/// Applies the chosen filter to the working image. Alpha is flattened onto white first (variants are
/// JPEGs), 16-bit and grey images become 8-bit sRGB. A changed image is computed once, in memory, so the
/// three variants made from it do not each run the filter again.
/// </summary>
internal static class FilterStage
{
    private static readonly double[] SepiaMatrix =
    [
        0.393, 0.769, 0.189,
        0.349, 0.686, 0.168,
        0.272, 0.534, 0.131,
    ];

    public static Image Apply(Image image, string filter, CancellationToken ct = default)
    {
        var result = Filter(image, filter);
        return ReferenceEquals(result, image) ? image : VipsCancellation.Compute(result, r => r.CopyMemory(), ct);
    }

    private static Image Filter(Image image, string filter)
    {
        var rgb = image.HasAlpha() ? image.Flatten(background: [255, 255, 255]) : image;
        rgb = rgb.Interpretation is Enums.Interpretation.Srgb or Enums.Interpretation.Bw ? rgb : rgb.Colourspace(Enums.Interpretation.Srgb);
        if (rgb.Bands == 1 && filter != Filters.Grayscale)
        {
            rgb = rgb.Colourspace(Enums.Interpretation.Srgb);
        }

        return filter switch
        {
            Filters.Grayscale => rgb.Colourspace(Enums.Interpretation.Bw),
            Filters.Sepia => rgb.Recomb(Image.NewFromArray(ToRows(SepiaMatrix))).Cast(Enums.BandFormat.Uchar),
            Filters.Blur => rgb.Gaussblur(Math.Max(1.5, rgb.Width / 300.0)),
            Filters.Vivid => rgb.Linear([1.15, 1.15, 1.15], [-10, -10, -10]).Cast(Enums.BandFormat.Uchar),
            _ => rgb,
        };
    }

    private static double[,] ToRows(double[] m) => new double[,] { { m[0], m[1], m[2] }, { m[3], m[4], m[5] }, { m[6], m[7], m[8] } };
}
