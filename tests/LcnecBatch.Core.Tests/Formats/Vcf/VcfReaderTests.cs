using System.Text;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Formats.Vcf;
using LcnecBatch.Core.Genomics;

namespace LcnecBatch.Core.Tests.Formats.Vcf;

public class VcfReaderTests
{
    private static VcfText Typical() => new VcfText("VCFv4.2")
        .Meta("##reference=file:///refs/hs37d5.fa")
        .Contig("1", 249250621).Contig("2", 243199373)
        .Info("DP", "1", "Integer").Info("AF", "A", "Float").Info("SOMATIC", "0", "Flag").Info("NOTE", "1", "String")
        .Meta("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">")
        .Meta("##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths, \\\"ref\\\" first\">")
        .Samples("TUMOR", "NORMAL")
        .Record("1", 1000, "rs1", "A", "G,T", "DP=40;AF=0.25,0.5;SOMATIC;NOTE=a=b", "PASS", "GT:AD", "0/1:20,10,10", "0/0:30,0,0")
        .Record("2", 29443631, ".", "G", "T", "DP=12", "LowQual;q10", "GT", "0/1", ".");

    [Theory]
    [MemberData(nameof(NgsInputs.KindNames), MemberType = typeof(NgsInputs))]
    public void Open_Header_DeclaresTypesContigsSamplesAndBuild(string kind)
    {
        using var reader = VcfReader.Open(NgsInputs.Open(kind, Typical().ToString()));

        var header = reader.Header;
        Assert.Equal("VCFv4.2", header.FileFormat);
        Assert.Equal(new VcfFieldDefinition("AF", "A", VcfValueType.Float, "AF, a test field"), header.Info["AF"]);
        Assert.Equal(VcfValueType.Flag, header.Info["SOMATIC"].Type);
        Assert.Equal("Allelic depths, \"ref\" first", header.Format["AD"].Description);
        Assert.Equal(243199373, header.Contigs["2"]);
        Assert.Equal(["TUMOR", "NORMAL"], header.Samples);
        Assert.Equal(GenomeBuild.GRCh37, header.Build);
    }

    [Theory]
    [MemberData(nameof(NgsInputs.KindNames), MemberType = typeof(NgsInputs))]
    public void Read_Records_GiveTypedValuesOnDemand(string kind)
    {
        using var reader = VcfReader.Open(NgsInputs.Open(kind, Typical().ToString()));

        Assert.True(reader.Read());
        var record = reader.Current;
        Assert.Equal(("1", 1000L, "rs1", "A"), (record.Chrom, record.Position, record.Id, record.Ref));
        Assert.Equal(["G", "T"], record.Alts);
        Assert.Equal(50, record.Qual);
        Assert.True(record.PassesFilter);
        Assert.Equal(40, record.GetInfoInteger("DP"));
        Assert.Equal(["0.25", "0.5"], record.GetInfoValues("AF"));
        Assert.Equal(0.25, record.GetInfoFloat("AF"));
        Assert.Equal("0.5", record.GetInfoForAllele("AF", 1));
        Assert.Null(record.GetInfoForAllele("AF", 2));
        Assert.True(record.HasInfo("SOMATIC"));
        Assert.False(record.HasInfo("SOMA"));
        Assert.Equal("a=b", record.GetInfoString("NOTE"));
        Assert.Equal(2, record.SampleCount);
        Assert.Equal("20,10,10", record.GetSampleValue(0, "AD"));
        Assert.Equal("0/0", record.GetSampleValue(1, "GT"));
        Assert.Null(record.GetSampleValue(1, "DP"));

        Assert.True(reader.Read());
        record = reader.Current;
        Assert.Null(record.Id);
        Assert.False(record.PassesFilter);
        Assert.Equal(["LowQual", "q10"], record.Filters);
        Assert.Null(record.GetSampleValue(1, "GT"));
        Assert.Null(record.GetInfoString("NOTE"));

        Assert.False(reader.Read());
        Assert.Equal(2, reader.RecordCount);
    }

    [Fact]
    public void Read_EverySplitOfTheInput_ReadsTheSameRecords()
    {
        var bytes = Typical().ToBytes();
        var expected = Records(new MemoryStream(bytes));

        foreach (var (name, open) in NgsInputs.EverySplit(bytes))
        {
            Assert.True(expected == Records(open()), name);
        }
    }

    [Fact]
    public void Read_CrlfAndBomAndMissingFinalNewline_ReadAlike()
    {
        var text = Typical().ToString();
        var variant = "\uFEFF" + text.Replace("\n", "\r\n", StringComparison.Ordinal).TrimEnd('\r', '\n');

        Assert.Equal(Records(new MemoryStream(Encoding.UTF8.GetBytes(text))), Records(new MemoryStream(Encoding.UTF8.GetBytes(variant))));
    }

    [Fact]
    public void GetInfoInteger_ValueThatIsNotAnInteger_IsAFormatErrorAtTheInfoColumn()
    {
        var text = new VcfText().Info("DP", "1", "Integer").Record("1", 5, ".", "A", "C", "DP=4x").ToString();
        using var reader = VcfReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        Assert.True(reader.Read());

        var error = Assert.Throws<FileFormatException>(() => reader.Current.GetInfoInteger("DP"));

        Assert.Equal("line 4: column 8 (INFO): DP is not an integer", error.Message);
        Assert.Equal(8, NgsFormatError.ColumnOf(error));
    }

    public static TheoryData<string, string, string> BadFiles() => new()
    {
        { "not a VCF", "chr1\t5\n", "line 1: file does not begin with ##fileformat=VCFv4.x: not a VCF file" },
        { "empty", string.Empty, "line 1: file is empty" },
        { "old version", "##fileformat=VCFv3.3\n", "line 1: unsupported VCF version (4.0 to 4.5 are read)" },
        { "meta without =", "##fileformat=VCFv4.2\n##nothing\n", "line 2: meta-information line has no key=value" },
        { "INFO without ID", "##fileformat=VCFv4.2\n##INFO=<Number=1,Type=Integer,Description=\"d\">\n", "line 2: ##INFO line has no ID" },
        { "INFO bad Type", "##fileformat=VCFv4.2\n##INFO=<ID=DP,Number=1,Type=Int,Description=\"d\">\n", "line 2: ##INFO line for DP has no valid Type (Integer, Float, Flag, Character or String)" },
        { "INFO bad Number", "##fileformat=VCFv4.2\n##INFO=<ID=DP,Number=x,Type=Integer,Description=\"d\">\n", "line 2: ##INFO line for DP has no valid Number (an integer, A, R, G or .)" },
        { "unclosed quote", "##fileformat=VCFv4.2\n##INFO=<ID=DP,Number=1,Type=Integer,Description=\"depth>\n", "line 2: ##INFO line has a quoted value that is never closed" },
        { "INFO not in < >", "##fileformat=VCFv4.2\n##INFO=ID=DP\n", "line 2: ##INFO line is not enclosed in < >" },
        { "contig length", "##fileformat=VCFv4.2\n##contig=<ID=2,length=24x>\n", "line 2: ##contig line for 2 has a length that is not a whole number" },
        { "no #CHROM line", "##fileformat=VCFv4.2\n##source=x\n", "line 3: header ends without the #CHROM line" },
        { "record before #CHROM", "##fileformat=VCFv4.2\n1\t5\t.\tA\tC\t.\t.\t.\n", "line 2: header ends without the #CHROM line" },
        { "#CHROM misnamed", "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tALT\tREF\tQUAL\tFILTER\tINFO\n", "line 2: column 4: header line should name column REF here (tab-separated #CHROM POS ID REF ALT QUAL FILTER INFO)" },
        { "samples without FORMAT", "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tS1\n", "line 2: column 9: header line should name column FORMAT before the samples" },
        { "same sample twice", "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tDOE^JOHN\tDOE^JOHN\n", "line 2: header line names the same sample twice" },
        { "POS not a number", Header + "1\t5e3\t.\tA\tC\t.\tPASS\t.\n", "line 3: column 2 (POS): is not a whole number" },
        { "POS negative", Header + "1\t-5\t.\tA\tC\t.\tPASS\t.\n", "line 3: column 2 (POS): is not a whole number" },
        { "too few columns", Header + "1\t5\t.\tA\tC\n", "line 3: column 6 (QUAL): is missing: the record has 5 columns, VCF records have 8 or more" },
        { "empty ID", Header + "1\t5\t\tA\tC\t.\tPASS\t.\n", "line 3: column 3 (ID): is empty (write \".\" for a missing value)" },
        { "REF not bases", Header + "1\t5\t.\tA-\tC\t.\tPASS\t.\n", "line 3: column 4 (REF): holds characters other than A, C, G, T and N" },
        { "header after records", Header + "1\t5\t.\tA\tC\t.\tPASS\t.\n#CHROM\n", "line 4: column 1 (CHROM): header line after the first record" },
        { "sample column missing", HeaderWithSamples + "1\t5\t.\tA\tC\t.\tPASS\t.\tGT\t0/1\n", "line 3: column 11: record has 10 columns; the header line declares 11" },
        { "extra column", HeaderWithSamples + "1\t5\t.\tA\tC\t.\tPASS\t.\tGT\t0/1\t0/0\t0/0\n", "line 3: column 12: record has 12 columns; the header line declares 11" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Read_BadFile_FailsWithLineColumnAndReasonFromEverySource(string name, string text, string message)
    {
        foreach (var (kind, open) in NgsInputs.Kinds)
        {
            var error = Assert.Throws<FileFormatException>(() => Records(open(Encoding.UTF8.GetBytes(text))));
            Assert.True(message == error.Message, $"{name} via {kind}: {error.Message}");
            Assert.DoesNotContain("DOE", error.Message, StringComparison.Ordinal);
        }
    }

    private const string Header = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";

    private const string HeaderWithSamples = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tDOE^JOHN\tDOE^JANE\n";

    private static string Records(Stream stream)
    {
        using var reader = VcfReader.Open(stream);
        var text = new StringBuilder(string.Join(",", reader.Header.Samples)).Append('|').Append(reader.Header.Build).Append('\n');
        while (reader.Read())
        {
            var r = reader.Current;
            text.Append(r.LineNumber).Append(' ').Append(Encoding.UTF8.GetString(r.Line)).Append('\n');
        }
        return text.ToString();
    }
}
