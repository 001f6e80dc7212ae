namespace LcnecBatch.Core.Formats.Vcf;

/// <summary>
/// The one place VCF and fusion-file readers make their errors: a <see cref="FileFormatException"/> whose reason
/// says where (line, tab-separated column and its name) and why, and never quotes the file's content.
/// </summary>
public static class NgsFormatError
{
    private const string ColumnKey = "column";

    public static FileFormatException At(long? line, int? column, string? columnName, string reason, Exception? inner = null)
    {
        var where = (column, columnName) switch
        {
            (not null, not null) => $"column {column} ({columnName}): ",
            (not null, null) => $"column {column}: ",
            _ => string.Empty,
        };
        var error = new FileFormatException(line is null ? null : (int)Math.Min(line.Value, int.MaxValue), where + reason, inner);
        if (column is not null)
        {
            error.Data[ColumnKey] = column.Value;
        }
        return error;
    }

    /// <summary>The 1-based tab-separated column an error names, when it names one.</summary>
    public static int? ColumnOf(FileFormatException error) => error?.Data[ColumnKey] as int?;
}

/// <summary>Compressed input that cannot be decompressed; the reader above adds the line it was reading.</summary>
internal sealed class CorruptInputException(string reason, Exception? inner = null) : Exception(reason, inner)
{
    public CorruptInputException()
        : this("corrupt input")
    {
    }

    public CorruptInputException(string reason)
        : this(reason, null)
    {
    }
}
