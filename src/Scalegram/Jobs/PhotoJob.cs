namespace Scalegram.Jobs;

/// <summary>photo.process and feed.fanout: the photo to work on.</summary>
internal sealed record PhotoJob(long PhotoId);
