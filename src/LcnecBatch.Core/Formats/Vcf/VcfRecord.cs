using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace LcnecBatch.Core.Formats.Vcf;

/// <summary>
/// The record a <see cref="VcfReader"/> is on. Forward-only, like <c>Utf8JsonReader</c>: the same instance is
/// refilled by every <see cref="VcfReader.Read"/>, and nothing is decoded until asked for. Fixed columns are checked
/// when the record is read; INFO and FORMAT values when they are read, against the header's declared types.
/// </summary>
public sealed class VcfRecord
{
    internal const int InfoColumn = 8;
    private const int FixedColumns = 8;

    private readonly VcfHeader _header;
    private readonly int[] _fieldStart = new int[FixedColumns + 2];
    private byte[] _buffer = [];
    private int _lineStart;
    private int _lineLength;
    private int _columns;

    internal VcfRecord(VcfHeader header) => _header = header;

    public long LineNumber { get; private set; }

    public long Position { get; private set; }

    public ReadOnlySpan<byte> Line => _buffer.AsSpan(_lineStart, _lineLength);

    public ReadOnlySpan<byte> ChromBytes => Field(0);

    public ReadOnlySpan<byte> IdBytes => Field(2);

    public ReadOnlySpan<byte> RefBytes => Field(3);

    public ReadOnlySpan<byte> AltBytes => Field(4);

    public ReadOnlySpan<byte> FilterBytes => Field(6);

    public ReadOnlySpan<byte> InfoBytes => Field(7);

    public string Chrom => Encoding.UTF8.GetString(ChromBytes);

    /// <summary>The ID column, or null for ".".</summary>
    public string? Id => IdBytes is [(byte)'.'] ? null : Encoding.UTF8.GetString(IdBytes);

    public string Ref => Encoding.UTF8.GetString(RefBytes);

    /// <summary>The ALT alleles; empty for ".".</summary>
    public IReadOnlyList<string> Alts => AltBytes is [(byte)'.'] ? [] : Encoding.UTF8.GetString(AltBytes).Split(',');

    public double? Qual
    {
        get
        {
            var text = Field(5);
            if (text is [(byte)'.'])
            {
                return null;
            }
            return Utf8Parser.TryParse(text, out double value, out var used) && used == text.Length
                ? value
                : throw Error(6, "QUAL", "is not a number");
        }
    }

    /// <summary>FILTER is PASS, or "." (no filters applied).</summary>
    public bool PassesFilter => FilterBytes is [(byte)'.'] || FilterBytes.SequenceEqual("PASS"u8);

    public IReadOnlyList<string> Filters => FilterBytes is [(byte)'.'] ? [] : Encoding.UTF8.GetString(FilterBytes).Split(';');

    public int SampleCount => _columns > FixedColumns + 1 ? _columns - FixedColumns - 1 : 0;

    /// <summary>The raw value of an INFO key (empty for a flag), or false when absent.</summary>
    public bool TryGetInfo(string key, out ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var info = InfoBytes;
        if (info is [(byte)'.'])
        {
            value = default;
            return false;
        }
        Span<byte> name = stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        name = name[..Encoding.UTF8.GetBytes(key, name)];
        while (!info.IsEmpty)
        {
            var semicolon = info.IndexOf((byte)';');
            var entry = semicolon < 0 ? info : info[..semicolon];
            info = semicolon < 0 ? default : info[(semicolon + 1)..];
            if (entry.StartsWith(name) && (entry.Length == name.Length || entry[name.Length] == (byte)'='))
            {
                value = entry.Length == name.Length ? default : entry[(name.Length + 1)..];
                return true;
            }
        }
        value = default;
        return false;
    }

    public bool HasInfo(string key) => TryGetInfo(key, out _);

    /// <summary>A String or Character INFO value as written (commas kept), or null when absent or ".".</summary>
    public string? GetInfoString(string key) =>
        TryGetInfo(key, out var value) && !value.IsEmpty && value is not [(byte)'.'] ? Encoding.UTF8.GetString(value) : null;

    /// <summary>An INFO value's comma-separated items (for Number=A, one per ALT allele).</summary>
    public IReadOnlyList<string> GetInfoValues(string key) => GetInfoString(key)?.Split(',') ?? [];

    /// <summary>
    /// One ALT allele's (0-based) item of a per-allele INFO field: Number=A holds one item per ALT, Number=R one for
    /// REF first. Null when absent or ".".
    /// </summary>
    public string? GetInfoForAllele(string key, int altIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(altIndex);
        var values = GetInfoValues(key);
        var index = altIndex + (_header.Info.TryGetValue(key, out var definition) && definition.Number == "R" ? 1 : 0);
        return index < values.Count && values[index] != "." ? values[index] : null;
    }

    /// <summary>An Integer INFO value (the first, when several), or null when absent. Not an integer: a format error.</summary>
    public long? GetInfoInteger(string key)
    {
        CheckType(key, VcfValueType.Integer);
        if (!TryGetInfo(key, out var value) || value.IsEmpty || value is [(byte)'.'])
        {
            return null;
        }
        var first = value.IndexOf((byte)',') is var comma and >= 0 ? value[..comma] : value;
        return Utf8Parser.TryParse(first, out long number, out var used) && used == first.Length
            ? number
            : throw Error(InfoColumn, "INFO", $"{key} is not an integer");
    }

    /// <summary>A Float INFO value (the first, when several), or null when absent. Not a number: a format error.</summary>
    public double? GetInfoFloat(string key)
    {
        CheckType(key, VcfValueType.Float);
        if (!TryGetInfo(key, out var value) || value.IsEmpty || value is [(byte)'.'])
        {
            return null;
        }
        var first = value.IndexOf((byte)',') is var comma and >= 0 ? value[..comma] : value;
        return Utf8Parser.TryParse(first, out double number, out var used) && used == first.Length
            ? number
            : throw Error(InfoColumn, "INFO", $"{key} is not a number");
    }

    /// <summary>A FORMAT value of one sample (0-based), or null when the key is absent or the value is ".".</summary>
    public string? GetSampleValue(int sample, string key)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sample);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(sample, SampleCount);
        var keys = Encoding.UTF8.GetString(Field(FixedColumns)).Split(':');
        var index = Array.IndexOf(keys, key);
        if (index < 0)
        {
            return null;
        }
        var rest = _buffer.AsSpan(_fieldStart[FixedColumns + 1], _lineStart + _lineLength - _fieldStart[FixedColumns + 1]);
        for (var s = 0; s < sample; s++)
        {
            rest = rest[(rest.IndexOf((byte)'\t') + 1)..];
        }
        var tab = rest.IndexOf((byte)'\t');
        var values = Encoding.UTF8.GetString(tab < 0 ? rest : rest[..tab]).Split(':');
        return index < values.Length && values[index] != "." ? values[index] : null;
    }

    /// <summary>A format error at a column of this record, made by the one error helper.</summary>
    public FileFormatException Error(int column, string? columnName, string reason) => NgsFormatError.At(LineNumber, column, columnName, reason);

    internal void Load(byte[] buffer, int start, int length, long lineNumber, int expectedColumns)
    {
        _buffer = buffer;
        _lineStart = start;
        _lineLength = length;
        LineNumber = lineNumber;
        var line = Line;
        var at = 0;
        var column = 0;
        for (; column < FixedColumns; column++)
        {
            _fieldStart[column] = start + at;
            var tab = line[at..].IndexOf((byte)'\t');
            if (tab < 0)
            {
                break;
            }
            at += tab + 1;
        }
        if (column < FixedColumns - 1)
        {
            throw Error(column + 2, Names[column + 1], $"is missing: the record has {column + 1} columns, VCF records have 8 or more");
        }
        _fieldStart[FixedColumns] = column == FixedColumns ? start + at : start + length + 1;
        _fieldStart[FixedColumns + 1] = start + length + 1;
        _columns = FixedColumns;
        if (column == FixedColumns)
        {
            // The 8th tab was found: FORMAT and samples follow.
            var rest = line[at..];
            _columns = FixedColumns + 1 + rest.Count((byte)'\t');
            var formatTab = rest.IndexOf((byte)'\t');
            _fieldStart[FixedColumns + 1] = formatTab < 0 ? start + length + 1 : start + at + formatTab + 1;
        }
        if (_columns != expectedColumns && !(expectedColumns == FixedColumns && _columns == FixedColumns + 1))
        {
            throw Error(Math.Min(_columns, expectedColumns) + 1, null, $"record has {_columns} columns; the header line declares {expectedColumns}");
        }
        for (var i = 0; i < FixedColumns; i++)
        {
            if (Field(i).IsEmpty)
            {
                throw Error(i + 1, Names[i], "is empty (write \".\" for a missing value)");
            }
        }
        var pos = Field(1);
        if (!Utf8Parser.TryParse(pos, out long position, out var used) || used != pos.Length || position < 0 || pos[0] is (byte)'+' or (byte)'-')
        {
            throw Error(2, "POS", "is not a whole number");
        }
        Position = position;
        var reference = Field(3);
        if (reference.IndexOfAnyExcept(Bases) >= 0)
        {
            throw Error(4, "REF", "holds characters other than A, C, G, T and N");
        }
    }

    private static readonly string[] Names = ["CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT"];

    private static readonly SearchValues<byte> Bases = SearchValues.Create("ACGTNacgtn"u8);

    private ReadOnlySpan<byte> Field(int index)
    {
        var start = _fieldStart[index];
        var end = _fieldStart[index + 1] - 1;
        return _buffer.AsSpan(start, Math.Max(0, end - start));
    }

    private void CheckType(string key, VcfValueType requested)
    {
        if (_header.Info.TryGetValue(key, out var definition) && definition.Type != requested && !(requested == VcfValueType.Float && definition.Type == VcfValueType.Integer))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"INFO {key} is declared {definition.Type}, not {requested}"));
        }
    }
}
