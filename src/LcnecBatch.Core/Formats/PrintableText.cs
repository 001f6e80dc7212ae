using System.Globalization;
using System.Text;

namespace LcnecBatch.Core.Formats;

/// <summary>
/// Text from input (file names, paths, reasons that name a column) made safe to print on one terminal line: control
/// characters (C0, DEL, C1), line and paragraph separators and bidirectional overrides are shown as escapes, so a file
/// name cannot end a line early, move the cursor or reorder what follows; and it is cut to a bounded length.
/// </summary>
public static class PrintableText
{
    public const int DefaultMaxLength = 300;

    public static string Escape(string? text, int maxLength = DefaultMaxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        var cut = text.Length > maxLength;
        var visible = cut ? text.AsSpan(0, maxLength) : text.AsSpan();
        if (!cut && visible.IndexOfAnyInRange('\0', '\u001F') < 0 && !visible.ContainsAny(Unsafe))
        {
            return text;
        }
        var builder = new StringBuilder(visible.Length + 16);
        foreach (var c in visible)
        {
            switch (c)
            {
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (IsUnsafe(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        if (cut)
        {
            builder.Append(CultureInfo.InvariantCulture, $"... ({text.Length - maxLength} more characters)");
        }
        return builder.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> Unsafe = System.Buffers.SearchValues.Create(
        "\u007F\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F"
        + "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F"
        + "\u2028\u2029\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\uFEFF");

    private static bool IsUnsafe(char c) => c < ' ' || Unsafe.Contains(c);
}
