namespace Scalegram.Imaging;

/// <summary>The sizes every photo is served in: a square thumbnail and two that fit a box.</summary>
internal sealed record VariantSpec(string Name, int Size, bool Square)
{
    public static readonly VariantSpec Thumb = new("thumb", 320, Square: true);
    public static readonly VariantSpec Medium = new("medium", 640, Square: false);
    public static readonly VariantSpec Large = new("large", 1080, Square: false);

    public static readonly IReadOnlyList<VariantSpec> All = [Large, Medium, Thumb];
}
