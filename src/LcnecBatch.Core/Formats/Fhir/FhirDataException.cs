namespace LcnecBatch.Core.Formats.Fhir;

/// <summary>A resource that cannot be taken: its line, a JSON path to the element, and why (never its content).</summary>
internal sealed class FhirDataException : Exception
{
    public FhirDataException(int line, string? path, string reason, bool keepsSubject = false)
        : base(path is null ? $"line {line}: {reason}" : $"line {line}, {path}: {reason}")
    {
        Line = line;
        Path = path;
        Reason = reason;
        KeepsSubject = keepsSubject;
    }

    public FhirDataException()
        : this(0, null, "invalid FHIR resource")
    {
    }

    public FhirDataException(string message)
        : this(0, null, message)
    {
    }

    public FhirDataException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    public int Line { get; }

    public string? Path { get; }

    public string Reason { get; }

    /// <summary>A rejected Patient that still identifies its subject (only a date was wrong): resources naming it go on.</summary>
    public bool KeepsSubject { get; }
}
