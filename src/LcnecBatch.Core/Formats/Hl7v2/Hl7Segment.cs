namespace LcnecBatch.Core.Formats.Hl7v2;

/// <summary>
/// One segment as it stood on its physical line. Fields are numbered as the standard numbers them
/// (<c>PID-3</c> is <c>Raw(3)</c>; for MSH, MSH-1 is the field separator itself). Values are split on the
/// delimiters first and unescaped last, so an escaped delimiter never splits a value.
/// </summary>
public sealed class Hl7Segment
{
    private readonly string[] _fields;

    internal Hl7Segment(string name, int line, string text, Hl7Delimiters delimiters)
    {
        Name = name;
        Line = line;
        Delimiters = delimiters;
        _fields = text.Split(delimiters.Field);
    }

    public string Name { get; }

    /// <summary>The 1-based physical line the segment starts on.</summary>
    public int Line { get; }

    public Hl7Delimiters Delimiters { get; }

    private bool IsHeader => Name is "MSH" or "FHS" or "BHS";

    /// <summary>The raw (still escaped) text of field <paramref name="number"/>; empty when absent.</summary>
    public string Raw(int number)
    {
        if (IsHeader)
        {
            // Split on "|", "MSH|^~\&|A" gives ["MSH", "^~\&", "A"]: MSH-2 is at index 1.
            return number == 1 ? Delimiters.Field.ToString() : number - 1 < _fields.Length ? _fields[number - 1] : "";
        }
        return number < _fields.Length ? _fields[number] : "";
    }

    public string FieldName(int number) => $"{Name}-{number}";

    /// <summary>The repetitions of a field; an empty field has none.</summary>
    public IReadOnlyList<Hl7Value> Repetitions(int number)
    {
        var raw = Raw(number);
        if (raw.Length == 0 || raw == "\"\"")
        {
            return [];
        }
        // MSH-2 holds the encoding characters themselves and is never split.
        if (IsHeader && number == 2)
        {
            return [new Hl7Value(this, number, raw)];
        }
        return raw.Split(Delimiters.Repetition).Select(r => new Hl7Value(this, number, r)).ToList();
    }

    /// <summary>The first repetition of a field, or an empty value.</summary>
    public Hl7Value Field(int number) => Repetitions(number) is [var first, ..] ? first : new Hl7Value(this, number, "");

    /// <summary>Component <paramref name="component"/> (1-based) of the first repetition, unescaped; null when empty.</summary>
    public string? Text(int number, int component = 1, int subcomponent = 1) => Field(number).Component(component, subcomponent);
}

/// <summary>One repetition of a field: components and subcomponents, decoded on request with the field's position on errors.</summary>
public readonly struct Hl7Value
{
    private readonly Hl7Segment _segment;
    private readonly int _field;

    internal Hl7Value(Hl7Segment segment, int field, string raw)
    {
        _segment = segment;
        _field = field;
        RawText = raw;
    }

    public string RawText { get; }

    public bool IsEmpty => string.IsNullOrEmpty(RawText) || RawText == "\"\"";

    /// <summary>A component's subcomponent, unescaped; null when empty.</summary>
    public string? Component(int component, int subcomponent = 1)
    {
        if (IsEmpty)
        {
            return null;
        }
        var components = RawText.Split(_segment.Delimiters.Component);
        if (component > components.Length)
        {
            return null;
        }
        var subcomponents = components[component - 1].Split(_segment.Delimiters.Subcomponent);
        if (subcomponent > subcomponents.Length)
        {
            return null;
        }
        var decoded = Decode(subcomponents[subcomponent - 1]);
        return decoded.Trim().Length == 0 ? null : decoded;
    }

    /// <summary>
    /// The whole value read as text (TX, FT, ST): text types have no components, so a stray component or
    /// subcomponent delimiter in it is kept as a character rather than splitting the text.
    /// </summary>
    public string AsText() => IsEmpty ? "" : Decode(RawText);

    private string Decode(string raw) => Hl7Escape.Decode(raw, _segment.Delimiters);
}
