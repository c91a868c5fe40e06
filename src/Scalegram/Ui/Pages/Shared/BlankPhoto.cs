using Scalegram.Imaging;
using Scalegram.Photos;

namespace Scalegram.Ui.Pages.Shared;

/// <summary>An empty photo, rendered once into a &lt;template&gt; that the scripts copy and fill.</summary>
internal static class BlankPhoto
{
    public static readonly PhotoDto Value = new("", new UserSummary("", "", ""), "", Filters.None, PhotoStatus.Processing, null, [], 0, 0, false, DateTimeOffset.UnixEpoch);
}
