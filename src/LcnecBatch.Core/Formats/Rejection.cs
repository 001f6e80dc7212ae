namespace LcnecBatch.Core.Formats;

/// <summary>
/// A row that was not accepted, with where and why. The reason never quotes free text or identifiers
/// (mrn, accession, birth date): rejections end up in logs and on terminals.
/// </summary>
public sealed record Rejection(string File, int Line, string? Column, string Reason)
{
    public override string ToString() =>
        Column is null ? $"{File}:{Line}: {Reason}" : $"{File}:{Line}: column \"{Column}\": {Reason}";
}

/// <summary>A whole file that cannot be read (wrong header, not UTF-8, corrupt). It goes to quarantine with this as its sidecar.</summary>
public sealed record FileFailure(string File, int? Line, string Reason)
{
    public override string ToString() => Line is { } line ? $"{File}:{line}: {Reason}" : $"{File}: {Reason}";
}

/// <summary>Thrown by a reader when the file as a whole is unreadable; carries position, never content.</summary>
public sealed class FileFormatException : Exception
{
    public FileFormatException(int? line, string reason, Exception? inner = null)
        : base(line is null ? reason : $"line {line}: {reason}", inner)
    {
        Line = line;
        Reason = reason;
    }

    public FileFormatException()
        : this(null, "unreadable file")
    {
    }

    public FileFormatException(string message)
        : this(null, message)
    {
    }

    public FileFormatException(string message, Exception innerException)
        : this(null, message, innerException)
    {
    }

    public int? Line { get; }

    public string Reason { get; }
}
