namespace Scalegram.Workers.PhotoPipeline;

/// <summary>The image can never be processed; the message is shown to its owner as the failure reason.</summary>
public sealed class ImageRejected(string reason) : Exception(reason);
