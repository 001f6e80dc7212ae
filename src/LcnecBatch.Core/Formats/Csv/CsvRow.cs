using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Formats.Csv;

/// <summary>
/// Typed access to the cells of the current row. The first problem found is kept as the row's
/// <see cref="Error"/>; every message comes from here so they read alike.
/// </summary>
internal sealed partial class CsvRow(Dictionary<string, int> columns, IReadOnlyList<string> headerNames, string sourcePath)
{
    private const int MaxEchoLength = 40;
    private readonly Dictionary<string, string?> _cells = new(StringComparer.OrdinalIgnoreCase);
    private string? _shortRowColumn;
    private int _shortRowFields;

    public string SourcePath { get; } = sourcePath;

    /// <summary>Fields of the header row, named or not: every row must have this many (fewer only when the missing ones are not asked for).</summary>
    public int HeaderFields { get; } = headerNames.Count;

    public int Line { get; private set; }

    public Rejection? Error { get; private set; }

    public void Reset(CsvRecordReader record)
    {
        Line = record.LineFrom;
        Error = null;
        _cells.Clear();
        _shortRowColumn = null;
        var fields = record.FieldCount;
        if (fields > HeaderFields)
        {
            // Extra fields shift nothing we could trust: "4,5" in pack_years would route alerts to care team "5".
            Fail(ColumnAt(HeaderFields - 1), $"row has {fields} field(s) but the header has {HeaderFields}");
        }
        else if (record.StrayQuoteField >= 0)
        {
            Fail(ColumnAt(record.StrayQuoteField), "text follows the closing quote of a quoted value (a quote inside one must be doubled)");
        }
        foreach (var (name, index) in columns)
        {
            var cell = index < fields ? Clean(record[index]) : null;
            if (cell is not null && cell.Contains('\uFFFD', StringComparison.Ordinal))
            {
                Fail(name.ToLowerInvariant(), "value is not valid UTF-8");
            }
            _cells[name] = cell;
        }
        if (fields < HeaderFields)
        {
            // A short row: blamed on the first known column it lacks, when a required value is asked for there.
            _shortRowColumn = columns.Where(c => c.Value >= fields).OrderBy(c => c.Value).Select(c => c.Key.ToLowerInvariant()).FirstOrDefault();
            _shortRowFields = fields;
        }
    }

    /// <summary>A header column as a rejection names it: lower-case, control characters escaped; by position when unnamed.</summary>
    private string ColumnAt(int index) =>
        headerNames[index].Length == 0 ? $"#{index + 1}" : Escape(headerNames[index].ToLowerInvariant());

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
            Error ??= new Rejection(SourcePath, Line, _shortRowColumn, $"row has {_shortRowFields} field(s) but the header has {HeaderFields}");
        }
        else
        {
            Fail(column, "required value is missing");
        }
        return false;
    }

    /// <summary>
    /// A value as a rejection may show it: quoted, control characters escaped, at most <see cref="MaxEchoLength"/>
    /// characters; or not at all when it could be an identifier or free text (rejections go to terminals and logs).
    /// </summary>
    internal static string Echo(string value) => LooksLikeIdentifier(value) ? "value (not shown)" : $"\"{Escape(value)}\"";

    /// <summary>A date as a rejection may show it: only what looks like an attempt at a date (a column shifted by one holds an mrn).</summary>
    internal static string EchoDate(string value) =>
        DateShape().IsMatch(value) && value.Length <= MaxEchoLength ? $"\"{Escape(value)}\"" : "value (not shown)";

    /// <summary>Four digits in a row, an mrn or accession shape (<c>S26-04417</c>, <c>MRN123</c>), an @, or long.</summary>
    internal static bool LooksLikeIdentifier(string value) => value.Length > MaxEchoLength || value.Contains('@', StringComparison.Ordinal) || IdentifierShape().IsMatch(value);

    [GeneratedRegex(@"[0-9]{4}|[A-Za-z][0-9]*[-/ ]?[0-9]{3}|[A-Za-z]+[0-9]+[-/][0-9]+")]
    private static partial Regex IdentifierShape();

    [GeneratedRegex(@"^[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}(?:[T ][0-9:.+Z-]*)?$")]
    private static partial Regex DateShape();

    /// <summary>Control and format characters (CR, LF, TAB, ESC, C1, bidi overrides...) as escapes, quotes and backslashes escaped, cut at <see cref="MaxEchoLength"/>.</summary>
    internal static string Escape(string value)
    {
        var text = new StringBuilder(Math.Min(value.Length, MaxEchoLength) + 2);
        foreach (var c in value)
        {
            var escaped = c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                    or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                    => $"\\u{(int)c:X4}",
                _ => null,
            };
            var length = escaped?.Length ?? 1;
            if (text.Length + length > MaxEchoLength)
            {
                return text.Append('…').ToString();
            }
            if (escaped is null)
            {
                text.Append(c);
            }
            else
            {
                text.Append(escaped);
            }
        }
        return text.ToString();
    }

    public string? RequiredText(string column) => CheckPresent(column) ? Cell(column) : null;

    /// <summary>An identifier (mrn): required, and never quoted back in a message.</summary>
    public string? RequiredIdentifier(string column) => RequiredText(column);

    /// <summary>Accessions are compared and used in file names upper-cased.</summary>
    public string? RequiredAccession() => RequiredText("accession")?.ToUpperInvariant();

    public string? OptionalText(string column) => Cell(column);

    public DateOnly RequiredDate(string column) => CheckPresent(column) ? ParseDate(column, Cell(column)!, echo: true) ?? default : default;

    public DateOnly? OptionalDate(string column, bool echo) => Cell(column) is { } text ? ParseDate(column, text, echo) : null;

    /// <summary>A report or result date no fact can carry (after its batch, before 1900) rejects the row (<see cref="FactDates"/>).</summary>
    public DateOnly SpecimenDate(string column, DateOnly batchDate)
    {
        var date = RequiredDate(column);
        if (Error is null && FactDates.WhyNotSpecimenDate(date, batchDate) is { } why)
        {
            Fail(column, why);
        }
        return date;
    }

    /// <summary>A birth date after its batch or before 1900 rejects the row (<see cref="FactDates"/>).</summary>
    public DateOnly? BirthDate(string column, DateOnly batchDate)
    {
        var date = OptionalDate(column, echo: false);
        if (date is { } birth && Error is null && FactDates.WhyNotBirthDate(birth, batchDate) is { } why)
        {
            Fail(column, why);
        }
        return date;
    }

    private DateOnly? ParseDate(string column, string text, bool echo)
    {
        if (IsoDate.TryParse(text, out var date))
        {
            return date;
        }
        Fail(column, echo ? $"{EchoDate(text)} is not a date (expected yyyy-MM-dd)" : "value is not a date (expected yyyy-MM-dd)");
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
