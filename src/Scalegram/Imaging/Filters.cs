namespace Scalegram.Imaging;

/// <summary>The filters a user may choose at upload.</summary>
internal static class Filters
{
    public const string None = "none";
    public const string Grayscale = "grayscale";
    public const string Sepia = "sepia";
    public const string Blur = "blur";
    public const string Vivid = "vivid";

    public static readonly IReadOnlyList<string> All = [None, Grayscale, Sepia, Blur, Vivid];

    public static bool IsKnown(string name) => All.Contains(name);
}
