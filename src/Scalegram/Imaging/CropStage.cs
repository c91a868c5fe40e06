using NetVips;

namespace Scalegram.Imaging;

/// <summary>Applies the user's crop, given in the original's displayed pixels, to the (smaller) working image.</summary>
internal static class CropStage
{
    public static Image Apply(Image working, CropRect? crop, ImageHeader header)
    {
        if (crop is not { } c)
        {
            return working;
        }

        var scale = (double)working.Width / header.DisplayWidth;
        var left = Math.Clamp((int)Math.Floor(c.X * scale), 0, working.Width - 1);
        var top = Math.Clamp((int)Math.Floor(c.Y * scale), 0, working.Height - 1);
        var width = Math.Clamp((int)Math.Round(c.Width * scale), 1, working.Width - left);
        var height = Math.Clamp((int)Math.Round(c.Height * scale), 1, working.Height - top);
        return working.ExtractArea(left, top, width, height);
    }
}
