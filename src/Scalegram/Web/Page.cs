namespace Scalegram.Web;

/// <summary>A page of a list, with the cursor for the next page (null at the end).</summary>
internal sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
