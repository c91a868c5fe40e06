using System.Globalization;

namespace Scalegram.Web;

/// <summary>Cursors are the ID of the last item seen; lists never use offsets.</summary>
internal static class Cursor
{
    public static bool TryRead(string? cursor, long whenAbsent, out long value)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            value = whenAbsent;
            return true;
        }

        return long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
    }

    public static string Write(long id) => id.ToString(CultureInfo.InvariantCulture);

    public static IResult Invalid() => Problems.BadRequest("invalid-cursor", "The cursor is not one this API handed out; start again without it.");
}
