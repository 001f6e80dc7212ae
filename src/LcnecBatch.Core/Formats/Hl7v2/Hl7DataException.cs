namespace LcnecBatch.Core.Formats.Hl7v2;

/// <summary>
/// A message that cannot be taken, with where: the physical line of the segment and the field (<c>OBX-5</c>).
/// Thrown inside the reader and turned into a <see cref="Rejection"/>; the reason never quotes message content.
/// </summary>
public sealed class Hl7DataException : Exception
{
    public Hl7DataException(int line, string? field, string reason)
        : base(field is null ? $"line {line}: {reason}" : $"line {line}, {field}: {reason}")
    {
        Line = line;
        Field = field;
        Reason = reason;
    }

    public Hl7DataException()
        : this(0, null, "invalid HL7 v2 message")
    {
    }

    public Hl7DataException(string message)
        : this(0, null, message)
    {
    }

    public Hl7DataException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    public int Line { get; }

    public string? Field { get; }

    public string Reason { get; }
}
