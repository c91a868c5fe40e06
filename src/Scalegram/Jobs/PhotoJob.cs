namespace Scalegram.Jobs;

/// <summary>photo.process and feed.fanout: the photo to work on.</summary>
public sealed record PhotoJob(long PhotoId);
