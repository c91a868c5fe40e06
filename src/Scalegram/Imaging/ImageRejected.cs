namespace Scalegram.Imaging;

/// <summary>The image can never be processed; the message is shown to its owner as the failure reason.</summary>
internal sealed class ImageRejected(string reason, string code = ImageRejected.Unreadable) : Exception(reason)
{
    public const string Unreadable = "unreadable-image";
    public const string TooLarge = "image-too-large";

    /// <summary>The problem code an upload refused for this reason answers with.</summary>
    public string Code { get; } = code;
}
