using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace LcnecBatch.Core.Formats.Hl7v2;

/// <summary>
/// HL7 v2 escape sequences (v2.5.1 §2.7): <c>\F\ \S\ \T\ \R\ \E\ \P\</c> for the delimiters, <c>\Xhh..\</c> for bytes,
/// and the FT formatting commands, of which only line breaks and spaces carry text (<c>\.br\</c>, <c>\.sp n\</c>,
/// <c>\.sk n\</c>). Highlighting (<c>\H\ \N\</c>) and layout commands are dropped. Decoding never fails: a locally
/// defined escape (<c>\Z..\</c>, v2.7 §2.7.6) is kept as written, and an escape character that does not open a
/// sequence this reader knows (unknown letter, odd or non-hex <c>\X</c>, unknown command, never closed) is a
/// character like any other, so the text stays readable and nothing of it is lost.
/// </summary>
public static class Hl7Escape
{
    /// <summary>At most this many line breaks (<c>\.sp n\</c>) or spaces (<c>\.sk n\</c>) per command: layout, not content.</summary>
    public const int MaxRepeat = 16;

    /// <summary>Decodes one leaf value (already split on delimiters). CR LF and lone CR become LF.</summary>
    public static string Decode(ReadOnlySpan<char> value, Hl7Delimiters delimiters)
    {
        ArgumentNullException.ThrowIfNull(delimiters);
        var escape = delimiters.Escape;
        if (value.IndexOf(escape) < 0)
        {
            return value.ToString();
        }
        var text = new StringBuilder(value.Length);
        var i = 0;
        while (i < value.Length)
        {
            var c = value[i];
            var close = c == escape ? value[(i + 1)..].IndexOf(escape) : -1;
            if (close >= 0 && TryAppendSequence(text, value.Slice(i + 1, close), delimiters))
            {
                i += close + 2;
                continue;
            }
            text.Append(c);
            i++;
        }
        return NormalizeLineBreaks(text.ToString());
    }

    private static bool TryAppendSequence(StringBuilder text, ReadOnlySpan<char> sequence, Hl7Delimiters d)
    {
        if (sequence.Length == 0)
        {
            return false;
        }
        if (sequence[0] == 'Z')
        {
            // Locally defined: its meaning is the sender's, so it is kept exactly as sent.
            text.Append(d.Escape).Append(sequence).Append(d.Escape);
            return true;
        }
        if (sequence.Length == 1)
        {
            switch (sequence[0])
            {
                case 'F': text.Append(d.Field); return true;
                case 'S': text.Append(d.Component); return true;
                case 'T': text.Append(d.Subcomponent); return true;
                case 'R': text.Append(d.Repetition); return true;
                case 'E': text.Append(d.Escape); return true;
                case 'P' when d.Truncation is { } t: text.Append(t); return true;
                case 'H' or 'N': return true;
            }
            return false;
        }
        return sequence[0] switch
        {
            'X' => TryAppendHex(text, sequence[1..]),
            '.' => TryAppendFormatting(text, sequence[1..]),
            _ => false,
        };
    }

    private static bool TryAppendHex(StringBuilder text, ReadOnlySpan<char> hex)
    {
        if (hex.Length % 2 != 0)
        {
            return false;
        }
        var bytes = new byte[hex.Length / 2];
        for (var b = 0; b < bytes.Length; b++)
        {
            if (!byte.TryParse(hex.Slice(b * 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[b]))
            {
                return false;
            }
        }
        // The bytes are in the message's character set; UTF-8 when they form valid UTF-8, else Latin-1 (8859/1).
        text.Append(Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes));
        return true;
    }

    private static bool TryAppendFormatting(StringBuilder text, ReadOnlySpan<char> command)
    {
        var name = command.Length >= 2 ? command[..2] : command;
        var argument = command[name.Length..].Trim();
        switch (name)
        {
            case "br":
                text.Append('\n');
                return true;
            case "sp" when Repeat(argument) is { } lines:
                text.Append('\n', lines);
                return true;
            case "sk" when Repeat(argument) is { } spaces:
                text.Append(' ', spaces);
                return true;
            case "fi" or "nf" or "ce" or "in" or "ti":
                return true;
        }
        return false;
    }

    /// <summary>The count of a <c>.sp</c>/<c>.sk</c> command: 1 when absent, at most <see cref="MaxRepeat"/>; null when not a count.</summary>
    private static int? Repeat(ReadOnlySpan<char> argument)
    {
        if (argument.IsEmpty)
        {
            return 1;
        }
        if (argument.ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }
        var digits = argument.TrimStart('0');
        return digits.Length > 2 ? MaxRepeat : Math.Min(digits.IsEmpty ? 0 : int.Parse(digits, CultureInfo.InvariantCulture), MaxRepeat);
    }

    private static string NormalizeLineBreaks(string text) =>
        text.Contains('\r', StringComparison.Ordinal)
            ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n')
            : text;

    /// <summary>Escapes text for a field: delimiters become <c>\F\ \S\ \T\ \R\ \E\</c>, line breaks <c>\.br\</c>.</summary>
    public static string Encode(string text, Hl7Delimiters delimiters)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(delimiters);
        var result = new StringBuilder(text.Length + 8);
        var e = delimiters.Escape;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == e) result.Append(e).Append('E').Append(e);
            else if (c == delimiters.Field) result.Append(e).Append('F').Append(e);
            else if (c == delimiters.Component) result.Append(e).Append('S').Append(e);
            else if (c == delimiters.Subcomponent) result.Append(e).Append('T').Append(e);
            else if (c == delimiters.Repetition) result.Append(e).Append('R').Append(e);
            else if (c == delimiters.Truncation) result.Append(e).Append('P').Append(e);
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') continue;
            else if (c is '\n' or '\r') result.Append(e).Append(".br").Append(e);
            else result.Append(c);
        }
        return result.ToString();
    }
}
