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

    /// <summary>
    /// Reads the delimiters from a header segment (MSH, FHS or BHS, at least its 3 letters); null with the field at
    /// fault (<c>MSH-1</c>, <c>MSH-2</c>) and a reason when they are missing or unusable.
    /// </summary>
    internal static Hl7Delimiters? TryParse(string headerLine, out string? field, out string? reason)
    {
        var name = headerLine[..3];
        if (headerLine.Length < 4)
        {
            (field, reason) = ($"{name}-1", $"{name}-1, the field separator, is missing");
            return null;
        }
        // "MSH" + field separator + 4 (or 5) encoding characters + field separator (or end of line).
        var separator = headerLine[3];
        var end = headerLine.IndexOf(separator, 4);
        var encoding = end < 0 ? headerLine[4..] : headerLine[4..end];
        field = $"{name}-2";
        if (encoding.Length is < 4 or > 5)
        {
            reason = $"{name}-2 must hold 4 encoding characters (component, repetition, escape, subcomponent), found {encoding.Length}";
            return null;
        }
        var all = separator + encoding;
        if (all.Any(c => char.IsLetterOrDigit(c) || char.IsWhiteSpace(c)) || all.Distinct().Count() != all.Length)
        {
            reason = $"{name}-1/{name}-2 delimiters must be distinct punctuation characters";
            return null;
        }
        (field, reason) = (null, null);
        return new Hl7Delimiters(separator, encoding[0], encoding[1], encoding[2], encoding[3], encoding.Length == 5 ? encoding[4] : null);
    }
}
