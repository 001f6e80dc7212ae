using System.Globalization;
using LcnecBatch.Core.Events;
using nietras.SeparatedValues;

namespace LcnecBatch.Core.Formats.Csv;

/// <summary>
/// Typed access to the cells of the current row. The first problem found is kept as the row's
/// <see cref="Error"/>; every message comes from here so they read alike.
/// </summary>
internal sealed class CsvRow(Dictionary<string, int> columns, string sourcePath)
{
    private const int MaxEchoLength = 40;
    private readonly Dictionary<string, string?> _cells = new(StringComparer.OrdinalIgnoreCase);
    private readonly int _headerFields = columns.Values.Max() + 1;
    private string? _shortRowColumn;
    private int _shortRowFields;

    public string SourcePath { get; } = sourcePath;

    public int Line { get; private set; }

    public Rejection? Error { get; private set; }

    public void Reset(SepReader.Row row)
    {
        Line = row.LineNumberFrom;
        Error = null;
        _cells.Clear();
        foreach (var (name, index) in columns)
        {
            var cell = index < row.ColCount ? Clean(row[index].Span) : null;
            if (cell is not null && cell.Contains('\uFFFD', StringComparison.Ordinal))
            {
                Fail(name.ToLowerInvariant(), "value is not valid UTF-8");
            }
            _cells[name] = cell;
        }
        var fields = row.ColCount;
        if (fields < _headerFields)
        {
            // A short row: blamed on the first known column it lacks, when a required value is asked for there.
            _shortRowColumn = columns.Where(c => c.Value >= fields).OrderBy(c => c.Value).First().Key.ToLowerInvariant();
            _shortRowFields = fields;
        }
        else
        {
            _shortRowColumn = null;
        }
    }


    private static string? Clean(ReadOnlySpan<char> cell)
    {
        var trimmed = cell.Trim();
        return trimmed.IsEmpty ? null : trimmed.ToString();
    }

    private string? Cell(string column) => _cells.TryGetValue(column, out var value) ? value : null;

    private void Fail(string column, string reason)
    {
        Error ??= new Rejection(SourcePath, Line, column, reason);
    }

    private bool CheckPresent(string column)
    {
        if (Cell(column) is not null)
        {
            return true;
        }
        if (_shortRowColumn is not null)
        {
            Error ??= new Rejection(SourcePath, Line, _shortRowColumn, $"row has {_shortRowFields} field(s) but the header has {_headerFields}");
        }
        else
        {
            Fail(column, "required value is missing");
        }
        return false;
    }

    private static string Echo(string value) =>
        value.Length <= MaxEchoLength ? $"\"{value}\"" : $"\"{value[..MaxEchoLength]}…\"";

    public string? RequiredText(string column) => CheckPresent(column) ? Cell(column) : null;

    /// <summary>An identifier (mrn): required, and never quoted back in a message.</summary>
    public string? RequiredIdentifier(string column) => RequiredText(column);

    /// <summary>Accessions are compared and used in file names upper-cased.</summary>
    public string? RequiredAccession() => RequiredText("accession")?.ToUpperInvariant();

    public string? OptionalText(string column) => Cell(column);

    public DateOnly RequiredDate(string column) => CheckPresent(column) ? ParseDate(column, Cell(column)!, echo: true) ?? default : default;

    public DateOnly? OptionalDate(string column, bool echo) => Cell(column) is { } text ? ParseDate(column, text, echo) : null;

    private DateOnly? ParseDate(string column, string text, bool echo)
    {
        if (IsoDate.TryParse(text, out var date))
        {
            return date;
        }
        Fail(column, echo ? $"{Echo(text)} is not a date (expected yyyy-MM-dd)" : "value is not a date (expected yyyy-MM-dd)");
        return null;
    }

    public T Required<T>(string column, VocabularyTable<T> words) where T : struct, Enum =>
        CheckPresent(column) ? Optional(column, words) ?? default : default;

    public T? Optional<T>(string column, VocabularyTable<T> words) where T : struct, Enum
    {
        if (Cell(column) is not { } text)
        {
            return null;
        }
        if (words.TryParse(text, out var value))
        {
            return value;
        }
        Fail(column, $"{Echo(text)} is not one of {words.Expected}");
        return null;
    }

    public decimal? OptionalNumber(string column)
    {
        if (Cell(column) is not { } text)
        {
            return null;
        }
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        Fail(column, $"{Echo(text)} is not a number");
        return null;
    }

    public bool? OptionalBoolean(string column)
    {
        if (Cell(column) is not { } text)
        {
            return null;
        }
        switch (Vocabulary.Normalize(text))
        {
            case "true" or "yes" or "y" or "1":
                return true;
            case "false" or "no" or "n" or "0":
                return false;
            default:
                Fail(column, $"{Echo(text)} is not true or false");
                return null;
        }
    }

    /// <summary>A path relative to this file's batch; returned relative to the archive root.</summary>
    public string? OptionalBatchPath(string column)
    {
        if (Cell(column) is not { } text)
        {
            return null;
        }
        if (!BatchPath.TryNormalize(text, out var normalized, out var reason))
        {
            Fail(column, $"{reason}; not opened");
            return null;
        }
        var slash = SourcePath.LastIndexOf('/');
        return slash < 0 ? normalized : $"{SourcePath[..slash]}/{normalized}";
    }
}

/// <summary>ISO 8601 dates; a date-time with offset gives its date as written (the lab's local date).</summary>
public static class IsoDate
{
    public static bool TryParse(string text, out DateOnly date)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return true;
        }
        if (text.Length > 10 && text[10] is 'T' or ' '
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return true;
        }
        date = default;
        return false;
    }
}
