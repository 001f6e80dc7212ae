using System.Globalization;
using System.Text;

namespace LcnecBatch.Core.Formats.Hl7v2;

/// <summary>
/// HL7 v2 escape sequences (v2.5.1 §2.7): <c>\F\ \S\ \T\ \R\ \E\ \P\</c> for the delimiters, <c>\Xhh..\</c> for bytes,
/// and the FT formatting commands, of which only line breaks carry text (<c>\.br\</c>, <c>\.sp n\</c>). Highlighting
/// (<c>\H\ \N\</c>) and layout commands are dropped; anything else is an error: a strict reader says so.
/// </summary>
public static class Hl7Escape
{
    /// <summary>Decodes one leaf value (already split on delimiters). CR LF and lone CR become LF.</summary>
    /// <exception cref="FormatException">An unterminated or unknown escape sequence, with no content quoted.</exception>
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
            if (c != escape)
            {
                text.Append(c);
                i++;
                continue;
            }
            var close = value[(i + 1)..].IndexOf(escape);
            if (close < 0)
            {
                throw new FormatException($"escape sequence at character {i + 1} is never closed");
            }
            var sequence = value.Slice(i + 1, close);
            AppendSequence(text, sequence, delimiters, i + 1);
            i += close + 2;
        }
        return NormalizeLineBreaks(text.ToString());
    }

    private static void AppendSequence(StringBuilder text, ReadOnlySpan<char> sequence, Hl7Delimiters d, int position)
    {
        if (sequence.Length == 1)
        {
            switch (sequence[0])
            {
                case 'F': text.Append(d.Field); return;
                case 'S': text.Append(d.Component); return;
                case 'T': text.Append(d.Subcomponent); return;
                case 'R': text.Append(d.Repetition); return;
                case 'E': text.Append(d.Escape); return;
                case 'P' when d.Truncation is { } t: text.Append(t); return;
                case 'H' or 'N': return;
            }
        }
        else if (sequence.Length > 1 && sequence[0] == 'X')
        {
            AppendHex(text, sequence[1..], position);
            return;
        }
        else if (sequence.Length > 1 && sequence[0] == '.')
        {
            AppendFormatting(text, sequence[1..], position);
            return;
        }
        throw new FormatException($"unknown escape sequence at character {position}");
    }

    private static void AppendHex(StringBuilder text, ReadOnlySpan<char> hex, int position)
    {
        if (hex.Length % 2 != 0)
        {
            throw new FormatException($"hexadecimal escape at character {position} has an odd number of digits");
        }
        var bytes = new byte[hex.Length / 2];
        for (var b = 0; b < bytes.Length; b++)
        {
            if (!byte.TryParse(hex.Slice(b * 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[b]))
            {
                throw new FormatException($"hexadecimal escape at character {position} holds a non-hex digit");
            }
        }
        // The bytes are in the message's character set; UTF-8 when they form valid UTF-8, else Latin-1 (8859/1).
        try
        {
            text.Append(StrictUtf8.GetString(bytes));
        }
        catch (DecoderFallbackException)
        {
            text.Append(Encoding.Latin1.GetString(bytes));
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static void AppendFormatting(StringBuilder text, ReadOnlySpan<char> command, int position)
    {
        var name = command.Length >= 2 ? command[..2] : command;
        var argument = command[name.Length..].Trim();
        switch (name)
        {
            case "br":
                text.Append('\n');
                return;
            case "sp":
                var lines = argument.IsEmpty ? 1 : int.TryParse(argument, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : -1;
                if (lines < 0)
                {
                    break;
                }
                text.Append('\n', lines);
                return;
            case "sk":
                var spaces = argument.IsEmpty ? 1 : int.TryParse(argument, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s) ? s : -1;
                if (spaces < 0)
                {
                    break;
                }
                text.Append(' ', spaces);
                return;
            case "fi" or "nf" or "ce" or "in" or "ti":
                return;
        }
        throw new FormatException($"unknown formatting command at character {position}");
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
