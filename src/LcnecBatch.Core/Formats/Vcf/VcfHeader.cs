using System.Globalization;
using System.Text;
using LcnecBatch.Core.Genomics;

namespace LcnecBatch.Core.Formats.Vcf;

/// <summary>The value types a VCF header declares for INFO and FORMAT fields.</summary>
public enum VcfValueType
{
    Integer,
    Float,
    Flag,
    Character,
    String,
}

/// <summary>An <c>##INFO</c> or <c>##FORMAT</c> definition. <see cref="Number"/> is kept as written: 1, 2, A, R, G or ".".</summary>
public sealed record VcfFieldDefinition(string Id, string Number, VcfValueType Type, string Description);

/// <summary>What a VCF's header says: version, field definitions, contigs, reference, samples, and the build they imply.</summary>
public sealed class VcfHeader
{
    private static readonly string[] FixedColumns = ["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO"];

    private readonly Dictionary<string, VcfFieldDefinition> _info = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VcfFieldDefinition> _format = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long?> _contigs = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, string>> _meta = [];
    private string[] _samples = [];

    public string FileFormat { get; private set; } = string.Empty;

    public IReadOnlyDictionary<string, VcfFieldDefinition> Info => _info;

    public IReadOnlyDictionary<string, VcfFieldDefinition> Format => _format;

    /// <summary>Declared contigs and their lengths (null when a <c>##contig</c> line gives none).</summary>
    public IReadOnlyDictionary<string, long?> Contigs => _contigs;

    /// <summary>Every <c>##key=value</c> line in order, structured values kept raw.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Meta => _meta;

    public IReadOnlyList<string> Samples => _samples;

    /// <summary>The build the header proves: chromosome 2's declared length first, then <c>##reference</c>/<c>##assembly</c>.</summary>
    public GenomeBuild? Build
    {
        get
        {
            foreach (var (contig, length) in _contigs)
            {
                if (AlkLocus.IsChr2(contig) && (AlkLocus.BuildFromContig(contig) ?? (length is { } l ? GenomeBuilds.FromChr2Length(l) : null)) is { } build)
                {
                    return build;
                }
            }
            return Value("reference") is { } reference && GenomeBuilds.FromName(reference) is { } named
                ? named
                : GenomeBuilds.FromName(Value("assembly"));
        }
    }

    /// <summary>The first <c>##key=value</c> value for a key, or null.</summary>
    public string? Value(string key) => _meta.FirstOrDefault(m => m.Key == key).Value;

    /// <summary>The pipe-separated sub-field names of an annotation field such as ANN or CSQ, from its description.</summary>
    public IReadOnlyList<string>? AnnotationFields(string infoId)
    {
        if (!_info.TryGetValue(infoId, out var definition))
        {
            return null;
        }
        var description = definition.Description;
        var format = description.IndexOf("Format:", StringComparison.OrdinalIgnoreCase);
        var list = format >= 0 ? description[(format + 7)..] : description.Contains('\'', StringComparison.Ordinal) ? description[(description.IndexOf('\'', StringComparison.Ordinal) + 1)..] : null;
        if (list is null || !list.Contains('|', StringComparison.Ordinal))
        {
            return null;
        }
        return [.. list.Trim().Trim('\'', '"', ' ').Split('|').Select(f => f.Trim().Trim('\'', '"', ' '))];
    }

    internal void ReadFileFormat(string line, long lineNumber)
    {
        if (!line.StartsWith("##fileformat=", StringComparison.Ordinal))
        {
            throw NgsFormatError.At(lineNumber, null, null, "file does not begin with ##fileformat=VCFv4.x: not a VCF file");
        }
        var version = line["##fileformat=".Length..].Trim();
        if (version is not ("VCFv4.0" or "VCFv4.1" or "VCFv4.2" or "VCFv4.3" or "VCFv4.4" or "VCFv4.5"))
        {
            throw NgsFormatError.At(lineNumber, null, null, "unsupported VCF version (4.0 to 4.5 are read)");
        }
        FileFormat = version;
        _meta.Add(new("fileformat", version));
    }

    internal void ReadMeta(string line, long lineNumber)
    {
        var equals = line.IndexOf('=', StringComparison.Ordinal);
        if (equals < 3)
        {
            throw NgsFormatError.At(lineNumber, null, null, "meta-information line has no key=value");
        }
        var key = line[2..equals];
        var value = line[(equals + 1)..];
        _meta.Add(new(key, value));
        if (key is not ("INFO" or "FORMAT" or "contig"))
        {
            return;
        }
        var fields = Structured(value, key, lineNumber);
        if (!fields.TryGetValue("ID", out var id) || id.Length == 0)
        {
            throw NgsFormatError.At(lineNumber, null, null, $"##{key} line has no ID");
        }
        if (key == "contig")
        {
            long? length = null;
            if (fields.TryGetValue("length", out var text))
            {
                length = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var l)
                    ? l
                    : throw NgsFormatError.At(lineNumber, null, null, $"##contig line for {id} has a length that is not a whole number");
            }
            _contigs[id] = length;
            return;
        }
        if (!fields.TryGetValue("Number", out var number) || !IsNumber(number))
        {
            throw NgsFormatError.At(lineNumber, null, null, $"##{key} line for {id} has no valid Number (an integer, A, R, G or .)");
        }
        if (!fields.TryGetValue("Type", out var typeText) || !Enum.TryParse<VcfValueType>(typeText, ignoreCase: false, out var type) || !Enum.IsDefined(type))
        {
            throw NgsFormatError.At(lineNumber, null, null, $"##{key} line for {id} has no valid Type (Integer, Float, Flag, Character or String)");
        }
        if (key == "FORMAT" && type == VcfValueType.Flag)
        {
            throw NgsFormatError.At(lineNumber, null, null, $"##FORMAT line for {id} declares a Flag, which FORMAT fields cannot be");
        }
        var definition = new VcfFieldDefinition(id, number, type, fields.GetValueOrDefault("Description") ?? string.Empty);
        (key == "INFO" ? _info : _format)[id] = definition;
    }

    internal void ReadColumns(string line, long lineNumber)
    {
        var columns = line.Split('\t');
        for (var i = 0; i < FixedColumns.Length; i++)
        {
            if (i >= columns.Length || columns[i] != FixedColumns[i])
            {
                throw NgsFormatError.At(lineNumber, i + 1, null, $"header line should name column {FixedColumns[i]} here (tab-separated #CHROM POS ID REF ALT QUAL FILTER INFO)");
            }
        }
        if (columns.Length > FixedColumns.Length && columns[FixedColumns.Length] != "FORMAT")
        {
            throw NgsFormatError.At(lineNumber, FixedColumns.Length + 1, null, "header line should name column FORMAT before the samples");
        }
        _samples = columns.Length > FixedColumns.Length + 1 ? columns[(FixedColumns.Length + 1)..] : [];
        for (var i = 0; i < _samples.Length; i++)
        {
            if (_samples[i].Length == 0)
            {
                throw NgsFormatError.At(lineNumber, FixedColumns.Length + 2 + i, null, "sample name is empty");
            }
        }
        if (_samples.Distinct(StringComparer.Ordinal).Count() != _samples.Length)
        {
            throw NgsFormatError.At(lineNumber, null, null, "header line names the same sample twice");
        }
    }

    private static bool IsNumber(string number) =>
        number is "A" or "R" or "G" or "." || (number.Length > 0 && number.All(char.IsAsciiDigit));

    /// <summary>Parses <c>&lt;Key=Value,Key="Quoted, with \" escapes"&gt;</c>.</summary>
    private static Dictionary<string, string> Structured(string value, string key, long lineNumber)
    {
        if (value.Length < 2 || value[0] != '<' || value[^1] != '>')
        {
            throw NgsFormatError.At(lineNumber, null, null, $"##{key} line is not enclosed in < >");
        }
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 1;
        var end = value.Length - 1;
        while (i < end)
        {
            var equals = value.IndexOf('=', i);
            if (equals < 0 || equals >= end)
            {
                throw NgsFormatError.At(lineNumber, null, null, $"##{key} line has an entry without '='");
            }
            var name = value[i..equals].Trim();
            i = equals + 1;
            string text;
            if (i < end && value[i] == '"')
            {
                var sb = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= end)
                    {
                        throw NgsFormatError.At(lineNumber, null, null, $"##{key} line has a quoted value that is never closed");
                    }
                    var c = value[i++];
                    if (c == '\\' && i < end)
                    {
                        sb.Append(value[i++]);
                    }
                    else if (c == '"')
                    {
                        break;
                    }
                    else
                    {
                        sb.Append(c);
                    }
                }
                text = sb.ToString();
                if (i < end && value[i] != ',')
                {
                    throw NgsFormatError.At(lineNumber, null, null, $"##{key} line has text after a quoted value");
                }
            }
            else
            {
                var comma = value.IndexOf(',', i);
                var stop = comma < 0 || comma > end ? end : comma;
                text = value[i..stop];
                i = stop;
            }
            fields.TryAdd(name, text);
            i++;
        }
        return fields;
    }
}
