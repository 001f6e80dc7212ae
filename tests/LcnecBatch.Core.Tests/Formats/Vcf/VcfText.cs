using System.Globalization;
using System.Text;

namespace LcnecBatch.Core.Tests.Formats.Vcf;

/// <summary>Builds small VCF texts for tests: header lines, then records, tab-separated.</summary>
internal sealed class VcfText
{
    private readonly List<string> _meta;
    private readonly List<string> _records = [];
    private string[] _samples = [];

    public VcfText(string version = "VCFv4.3") => _meta = [$"##fileformat={version}"];

    public VcfText Meta(string line)
    {
        _meta.Add(line);
        return this;
    }

    public VcfText Contig(string id, long length) => Meta(string.Create(CultureInfo.InvariantCulture, $"##contig=<ID={id},length={length}>"));

    public VcfText Info(string id, string number, string type) =>
        Meta($"##INFO=<ID={id},Number={number},Type={type},Description=\"{id}, a test field\">");

    /// <summary>The INFO fields breakend callers use: SVTYPE, MATEID, EVENT.</summary>
    public VcfText BreakendInfo() => Info("SVTYPE", "1", "String").Info("MATEID", ".", "String").Info("EVENT", "1", "String");

    public VcfText Samples(params string[] names)
    {
        _samples = names;
        return this;
    }

    public VcfText Record(string chrom, long pos, string id, string reference, string alt, string info = ".", string filter = "PASS", params string[] formatAndSamples)
    {
        var fields = new List<string> { chrom, pos.ToString(CultureInfo.InvariantCulture), id, reference, alt, "50", filter, info };
        fields.AddRange(formatAndSamples);
        _records.Add(string.Join('\t', fields));
        return this;
    }

    public VcfText Line(string raw)
    {
        _records.Add(raw);
        return this;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var line in _meta)
        {
            text.Append(line).Append('\n');
        }
        text.Append("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO");
        if (_samples.Length > 0)
        {
            text.Append("\tFORMAT\t").Append(string.Join('\t', _samples));
        }
        text.Append('\n');
        foreach (var record in _records)
        {
            text.Append(record).Append('\n');
        }
        return text.ToString();
    }

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(ToString());
}
