using System.Globalization;
using LcnecBatch.Core.Formats.Vcf;

namespace LcnecBatch.Core.Formats.Fusions;

/// <summary>A breakpoint as fusion callers write it: <c>contig:position</c>, optionally <c>:strand</c>. 1-based.</summary>
public sealed record FusionBreakpoint(string Contig, long Position, char? Strand)
{
    public static bool TryParse(string? text, out FusionBreakpoint? breakpoint)
    {
        breakpoint = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        var parts = text.Split(':');
        char? strand = null;
        if (parts.Length == 3 && parts[2] is "+" or "-")
        {
            strand = parts[2][0];
            parts = parts[..2];
        }
        if (parts.Length != 2 || parts[0].Length == 0 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var position))
        {
            return false;
        }
        breakpoint = new FusionBreakpoint(parts[0], position, strand);
        return true;
    }
}

/// <summary>
/// A tab-separated caller output read by header name (the header line starts with '#'): columns in any order,
/// unknown ones ignored, rows checked against the header's width. Errors come from <see cref="NgsFormatError"/>.
/// </summary>
internal sealed class FusionTable
{
    private readonly TextReader _text;
    private readonly Dictionary<string, int> _columns;
    private readonly string[] _names;
    private string[] _row = [];

    private FusionTable(TextReader text, string[] names, long headerLine)
    {
        _text = text;
        _names = names;
        _columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Length; i++)
        {
            _columns.TryAdd(names[i], i);
        }
        Line = headerLine;
    }

    public long Line { get; private set; }

    /// <summary>
    /// Reads the header (the first non-empty line) and checks the required columns are named, and the column a
    /// configured filter reads (<paramref name="filterColumn"/>, with the filter's name): a table without it would
    /// let every call through unfiltered.
    /// </summary>
    public static FusionTable Open(TextReader text, string format, (string Column, string Filter)? filterColumn, params string[] required)
    {
        long line = 0;
        while (text.ReadLine() is { } header)
        {
            line++;
            if (header.Length == 0)
            {
                continue;
            }
            var names = header.TrimStart('\uFEFF').TrimStart('#').Split('\t').Select(n => n.Trim()).ToArray();
            var table = new FusionTable(text, names, line);
            var missing = required.Where(r => !table.Has(r)).ToList();
            if (missing.Count > 0)
            {
                throw NgsFormatError.At(line, null, null, $"{format} header lacks column(s) {string.Join(", ", missing)}");
            }
            if (filterColumn is var (column, filter) && !table.Has(column))
            {
                throw NgsFormatError.At(line, null, null, $"{format} header lacks column {column}, which the {filter} filter needs");
            }
            return table;
        }
        throw NgsFormatError.At(1, null, null, $"file is empty: no {format} header");
    }

    public bool Has(string column) => _columns.ContainsKey(column);

    /// <summary>Moves to the next non-empty row; false at the end.</summary>
    public bool Read()
    {
        while (_text.ReadLine() is { } line)
        {
            Line++;
            if (line.Length == 0)
            {
                continue;
            }
            _row = line.Split('\t');
            if (_row.Length != _names.Length)
            {
                throw NgsFormatError.At(Line, Math.Min(_row.Length, _names.Length) + 1, null, $"row has {_row.Length} columns; the header names {_names.Length}");
            }
            return true;
        }
        return false;
    }

    /// <summary>A cell by column name; null when the column is absent or the cell is empty or ".".</summary>
    public string? Text(string column) =>
        _columns.TryGetValue(column, out var i) && _row[i].Trim() is { Length: > 0 } value && value != "." ? value : null;

    public string Required(string column) =>
        Text(column) ?? throw Error(column, "is empty");

    public long? Integer(string column)
    {
        var text = Text(column);
        if (text is null)
        {
            return null;
        }
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw Error(column, "is not a whole number");
    }

    /// <summary>
    /// A number as written, NaN and infinities included; null when the cell is empty, ".", "NA" (STAR-Fusion's missing
    /// value) or not a number. For filter values, where the caller decides what an unreadable value means.
    /// </summary>
    public double? NumberOrNull(string column) =>
        Text(column) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>A whole number that fits an int (exon numbers); null when the cell is empty.</summary>
    public int? SmallInteger(string column) =>
        Integer(column) is not { } value ? null : value <= int.MaxValue ? (int)value : throw Error(column, "is too large");

    public FusionBreakpoint Breakpoint(string column) =>
        FusionBreakpoint.TryParse(Text(column), out var breakpoint) ? breakpoint! : throw Error(column, "is not a breakpoint (contig:position)");

    public FileFormatException Error(string column, string reason) =>
        NgsFormatError.At(Line, _columns.TryGetValue(column, out var i) ? i + 1 : null, column, reason);
}
