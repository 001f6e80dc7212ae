namespace LcnecBatch.Core.Formats.Hl7v2;

/// <summary>
/// The delimiters a message declares for itself in MSH-1 and MSH-2 (or FHS/BHS-1 and -2): field, component,
/// repetition, escape, subcomponent and, from v2.7, truncation.
/// </summary>
public sealed record Hl7Delimiters(char Field, char Component, char Repetition, char Escape, char Subcomponent, char? Truncation)
{
    public static Hl7Delimiters Standard { get; } = new('|', '^', '~', '\\', '&', null);

    /// <summary>The text of MSH-2 for these delimiters.</summary>
    public string EncodingCharacters => Truncation is { } t
        ? $"{Component}{Repetition}{Escape}{Subcomponent}{t}"
        : $"{Component}{Repetition}{Escape}{Subcomponent}";

    /// <summary>Reads the delimiters from a header segment (MSH, FHS or BHS); null with a reason when they are unusable.</summary>
    internal static Hl7Delimiters? TryParse(string headerLine, out string? reason)
    {
        // "MSH" + field separator + 4 (or 5) encoding characters + field separator (or end of line).
        var field = headerLine[3];
        var end = headerLine.IndexOf(field, 4);
        var encoding = end < 0 ? headerLine[4..] : headerLine[4..end];
        if (encoding.Length is < 4 or > 5)
        {
            reason = $"{headerLine[..3]}-2 must hold 4 encoding characters (component, repetition, escape, subcomponent), found {encoding.Length}";
            return null;
        }
        var all = field + encoding;
        if (all.Any(c => char.IsLetterOrDigit(c) || char.IsWhiteSpace(c)) || all.Distinct().Count() != all.Length)
        {
            reason = $"{headerLine[..3]}-1/{headerLine[..3]}-2 delimiters must be distinct punctuation characters";
            return null;
        }
        reason = null;
        return new Hl7Delimiters(field, encoding[0], encoding[1], encoding[2], encoding[3], encoding.Length == 5 ? encoding[4] : null);
    }
}
