using System.Globalization;
using System.Text;

namespace Scalegram.Web;

/// <summary>
/// Refuses control and format characters in text a user writes (names, captions, comments): NUL (which
/// PostgreSQL cannot store), BEL and terminal escapes, zero-width spaces, bidirectional overrides that make
/// text read differently than it is, the BOM, line/paragraph separators, unpaired surrogates and
/// noncharacters. Refused (400 invalid-text), never silently stripped: what is stored is what was sent.
/// Kept: the zero-width joiner and non-joiner (emoji sequences, Persian and Indic scripts), and tab and
/// line breaks in multi-line text.
/// </summary>
internal static class UserText
{
    public const string Code = "invalid-text";

    /// <summary>Whether <paramref name="text"/> is free of refused characters; <paramref name="multiLine"/> allows \t, \n and \r.</summary>
    public static bool IsClean(string? text, bool multiLine = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!Utf16IsWellFormed(text))
        {
            return false;
        }

        foreach (var rune in text.EnumerateRunes())
        {
            var value = rune.Value;
            if (multiLine && value is '\t' or '\n' or '\r')
            {
                continue;
            }

            if (value is 0x200C or 0x200D)
            {
                continue;
            }

            if ((value & 0xFFFE) == 0xFFFE || value is >= 0xFDD0 and <= 0xFDEF)
            {
                return false;
            }

            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.Control:
                case UnicodeCategory.Format:
                case UnicodeCategory.LineSeparator:
                case UnicodeCategory.ParagraphSeparator:
                case UnicodeCategory.Surrogate:
                    return false;
            }
        }

        return true;
    }

    /// <summary>The 400 answer for a text with a refused character in the field <paramref name="field"/>.</summary>
    public static IResult Problem(string field) =>
        Problems.BadRequest(Code, $"The {field} contains a control or invisible formatting character (such as NUL, a zero-width space or a right-to-left override); remove it.");

    private static bool Utf16IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
