namespace Scalegram.Photos;

/// <summary>What happened to a delete request.</summary>
internal enum DeleteOutcome
{
    Deleted,
    NotFound,
    Forbidden,
}
