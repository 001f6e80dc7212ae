using System.Globalization;
using System.IO.Compression;
using System.Text;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats.Fusions;
using LcnecBatch.Core.Genomics;
using LcnecBatch.Core.Tests.Formats.Vcf;

namespace LcnecBatch.Core.Tests.Genomics;

/// <summary>
/// Raw NGS input that is odd or hostile (issue 13): fusion tables that would slip past the caller filter, breakends
/// off their contig, breakend syntax that used to throw, numbers too big for their field, and lines or records
/// built to make a reader quadratic or unbounded.
/// </summary>
public class HostileNgsInputTests
{
    private const string StarFusionColumns = "#FusionName\tLeftGene\tLeftBreakpoint\tRightGene\tRightBreakpoint";
    private const string StarFusionEml4Alk = "EML4--ALK\tEML4^ENSG00000143924\tchr2:42295516:+\tALK^ENSG00000171094\tchr2:29223528:-";
    private const string ArribaColumns = "#gene1\tgene2\tbreakpoint1\tbreakpoint2";
    private const string ArribaEml4Alk = "EML4\tALK\tchr2:42295516\tchr2:29223528";

    // --- 1. caller filters --------------------------------------------------------------------------------------

    [Fact]
    public void Scan_StarFusionWithoutFfpmColumn_IsQuarantinedAtTheHeaderNamingTheColumn()
    {
        var scan = ScanText(StarFusionColumns + "\n" + StarFusionEml4Alk + "\n", "S26-00001.star-fusion.tsv");

        Assert.Equal("line 1: STAR-Fusion header lacks column FFPM, which the minimum-FFPM filter needs", FailureText(scan));
        Assert.Empty(scan.Fusions);
    }

    [Fact]
    public void Scan_StarFusionWithoutFfpmColumn_IsReadWhenTheFfpmFilterIsOff()
    {
        var scan = ScanText(StarFusionColumns + "\n" + StarFusionEml4Alk + "\n", "S26-00001.star-fusion.tsv", new NgsScanOptions { StarFusionMinimumFfpm = 0 });

        Assert.True(FusionDetail.From(Assert.Single(scan.Fusions)).Counts);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("nan")]
    [InlineData("inf")]
    [InlineData("-inf")]
    [InlineData("Infinity")]
    [InlineData("1e400")]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("NA")]
    [InlineData("many")]
    public void Scan_StarFusionFfpmNotAFiniteNumber_KeepsTheCallButItDoesNotCount(string ffpm)
    {
        var scan = ScanText(StarFusionColumns + "\tFFPM\n" + StarFusionEml4Alk + "\t" + ffpm + "\n", "S26-00001.star-fusion.tsv");

        Assert.True(scan.Succeeded, scan.Failure?.ToString());
        var call = Assert.Single(scan.Fusions);
        Assert.Equal((false, "FFPM is empty or not a finite number"), (call.PassesFilter, call.NotCountedReason));
        Assert.False(FusionDetail.From(call).Counts);
        Assert.Equal(0, scan.CallsFilteredOut);
    }

    [Theory]
    [InlineData("0.05", false)]
    [InlineData("-1", false)]
    [InlineData("0.1", true)]
    [InlineData("3.5e1", true)]
    public void Scan_StarFusionFiniteFfpm_IsComparedWithTheThreshold(string ffpm, bool kept)
    {
        var scan = ScanText(StarFusionColumns + "\tFFPM\n" + StarFusionEml4Alk + "\t" + ffpm + "\n", "S26-00001.star-fusion.tsv");

        Assert.Equal(kept ? 1 : 0, scan.Fusions.Count);
        Assert.Equal(kept ? 0 : 1, scan.CallsFilteredOut);
        Assert.All(scan.Fusions, f => Assert.True(FusionDetail.From(f).Counts));
    }

    [Fact]
    public void Scan_StarFusionNanThreshold_LetsNothingThrough()
    {
        var scan = ScanText(StarFusionColumns + "\tFFPM\n" + StarFusionEml4Alk + "\t5\n", "S26-00001.star-fusion.tsv", new NgsScanOptions { StarFusionMinimumFfpm = double.NaN });

        Assert.Empty(scan.Fusions);
        Assert.Equal(1, scan.CallsFilteredOut);
    }

    [Fact]
    public void Scan_ArribaWithoutConfidenceColumn_IsQuarantinedAtTheHeaderNamingTheColumn()
    {
        var scan = ScanText(ArribaColumns + "\n" + ArribaEml4Alk + "\n", "S26-00001.arriba.tsv");

        Assert.Equal("line 1: Arriba header lacks column confidence, which the minimum-confidence filter needs", FailureText(scan));
        Assert.True(FusionDetail.From(Assert.Single(ScanText(ArribaColumns + "\n" + ArribaEml4Alk + "\n", "S26-00001.arriba.tsv",
            new NgsScanOptions { ArribaMinimumConfidence = ArribaConfidence.Low }).Fusions)).Counts);
    }

    [Theory]
    [InlineData("sure")]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("NaN")]
    public void Scan_ArribaConfidenceNotAKnownWord_KeepsTheCallButItDoesNotCount(string confidence)
    {
        var scan = ScanText(ArribaColumns + "\tconfidence\n" + ArribaEml4Alk + "\t" + confidence + "\n", "S26-00001.arriba.tsv");

        Assert.True(scan.Succeeded, scan.Failure?.ToString());
        var call = Assert.Single(scan.Fusions);
        Assert.Equal((false, "confidence is empty or not low, medium or high"), (call.PassesFilter, call.NotCountedReason));
        Assert.False(FusionDetail.From(call).Counts);
    }

    [Fact]
    public void Scan_ArribaConfidenceInAnotherCase_IsTheSameWord()
    {
        var scan = ScanText(ArribaColumns + "\tconfidence\n" + ArribaEml4Alk + "\tHigh\n" + ArribaEml4Alk + "\tLOW\n", "S26-00001.arriba.tsv");

        Assert.True(FusionDetail.From(Assert.Single(scan.Fusions)).Counts);
        Assert.Equal(1, scan.CallsFilteredOut);
    }

    // --- 2. breakends off their contig ----------------------------------------------------------------------------

    public static TheoryData<string, string, string> OffContigBreakends() => new()
    {
        // name, mate, reason
        { "mate beyond its declared length", "chr10:999999999", "mate position chr10:999999999 is beyond the end of chr10 (133797422 bases)" },
        { "mate one past the declared length", "chr10:133797423", "mate position chr10:133797423 is beyond the end of chr10 (133797422 bases)" },
        { "mate at position 0", "chr10:0", "mate position chr10:0 is before the start of its contig" },
        { "undeclared mate beyond GRCh38's chr5", "chr5:181538260", "mate position chr5:181538260 is beyond the end of chr5 (181538259 bases)" },
    };

    [Theory]
    [MemberData(nameof(OffContigBreakends))]
    public void Scan_BreakendMateOffItsContig_IsKeptButDoesNotCountAndOtherCallsStill(string name, string mate, string reason)
    {
        var vcf = Grch38()
            .Record("chr2", 29224000, "bad", "T", $"T]{mate}]", "SVTYPE=BND")
            .Record("chr2", 29224000, "k1", "T", "T]chr10:32017143]", "SVTYPE=BND;MATEID=k2")
            .Record("chr10", 32017143, "k2", "C", "C]chr2:29224000]", "SVTYPE=BND;MATEID=k1");

        var scan = ScanText(vcf.ToString(), "S26-00001.vcf");

        Assert.True(scan.Succeeded, name);
        Assert.Equal(2, scan.Fusions.Count);
        Assert.Equal((false, reason), (scan.Fusions[0].PassesFilter, scan.Fusions[0].NotCountedReason));
        Assert.False(FusionDetail.From(scan.Fusions[0]).Counts);
        Assert.True(FusionDetail.From(scan.Fusions[1]).Counts, name);
    }

    [Fact]
    public void Scan_BreakendRecordPositionBeyondItsContig_DoesNotCount()
    {
        var vcf = Grch38().Record("chr2", 242193530, "b1", "T", "T]chr10:32017143]", "SVTYPE=BND;GENE_NAME=ALK");

        var call = Assert.Single(ScanText(vcf.ToString(), "S26-00001.vcf").Fusions);

        Assert.Equal("position chr2:242193530 is beyond the end of chr2 (242193529 bases)", call.NotCountedReason);
        Assert.False(FusionDetail.From(call).Counts);
    }

    [Fact]
    public void Scan_BreakendRecordAtPositionZero_DoesNotCount()
    {
        var vcf = Grch38().Record("chr2", 0, "b1", "N", "N]chr10:32017143]", "SVTYPE=BND;GENE_NAME=ALK");

        Assert.Equal("position chr2:0 is before the start of its contig", Assert.Single(ScanText(vcf.ToString(), "S26-00001.vcf").Fusions).NotCountedReason);
    }

    [Fact]
    public void Scan_MateWithoutDeclaredLengthOrBuild_IsCheckedAgainstTheLongerOfTheTwoBuilds()
    {
        // chr10 is 135,534,747 bases on GRCh37 and 133,797,422 on GRCh38: 135,000,000 is on GRCh37's only.
        static AlkFusionCall Call(VcfText vcf) =>
            Assert.Single(ScanText(vcf.Record("chr2", 29224000, "b1", "T", "T]chr10:135000000]", "SVTYPE=BND;GENE_NAME=ALK").ToString(), "S26-00001.vcf").Fusions);

        Assert.Null(Call(new VcfText().BreakendInfo()).NotCountedReason);
        Assert.Equal("mate position chr10:135000000 is beyond the end of chr10 (133797422 bases)", Call(Grch38()).NotCountedReason);
        Assert.Null(Call(new VcfText().BreakendInfo().Meta("##reference=file:///refs/hs37d5.fa")).NotCountedReason);
    }

    [Fact]
    public void Scan_FusionTableBreakpointAtPositionZero_DoesNotCount()
    {
        var scan = ScanText(ArribaColumns + "\tconfidence\nEML4\tALK\tchr2:0\tchr2:29223528\thigh\n", "S26-00001.arriba.tsv");

        Assert.Equal("breakpoint1 chr2:0 is before the start of its contig", Assert.Single(scan.Fusions).NotCountedReason);
    }

    // --- 4. exceptions that used to escape, and numbers too big for their field ---------------------------------

    [Theory]
    [InlineData("T[")]
    [InlineData("T]")]
    [InlineData("T[[")]
    public void Scan_BreakendAltEndingInItsOnlyBracket_FailsWithLineAndColumn(string alt)
    {
        var vcf = Grch38().Record("chr2", 29224000, "b1", "T", alt, "SVTYPE=BND");

        foreach (var (kind, open) in NgsInputs.Kinds)
        {
            using var stream = open(vcf.ToBytes());
            var scan = AlkNgsScanner.Scan(stream, "S26-00001.vcf");

            Assert.Equal("line 8: column 5 (ALT): allele 1 is not a valid breakend (t[p[, t]p], ]p]t, [p[t, t. or .t)", FailureText(scan));
            Assert.Equal(5, scan.FailureColumn);
        }
    }

    [Fact]
    public void Scan_ArribaExonNumberBeyondInt_FailsRatherThanWrappingToAnotherExon()
    {
        var text = ArribaColumns + "\tconfidence\texon_number1\texon_number2\nKIF5B\tALK\tchr10:32017143\tchr2:29223528\thigh\t15\t4294967317\n";

        Assert.Equal("line 2: column 7 (exon_number2): is too large", FailureText(ScanText(text, "S26-00001.arriba.tsv")));
    }

    [Fact]
    public void Scan_VcfExonNumberBeyondInt_IsLeftUnknownRatherThanWrapped()
    {
        // 4294967317 wraps to 21 as an int; ALK's first kept exon comes from coordinates instead.
        var vcf = Grch38().Record("chr2", 29224000, "b1", "T", "T]chr10:32017143]", "SVTYPE=BND;GENE_NAME=ALK;EXON_NUMBER=4294967317");

        Assert.Equal(20, Assert.Single(ScanText(vcf.ToString(), "S26-00001.vcf").Fusions).AlkExon);
    }

    // --- 5. long lines, many columns, many alleles, many records ------------------------------------------------

    [Fact]
    public void Scan_OneMegabyteInfoField_IsReadLikeAShortOne()
    {
        var info = "SVTYPE=BND;PAD=" + new string('x', 1 << 20);
        var vcf = Grch38().Record("chr2", 29224000, "b1", "T", "T]chr10:32017143]", info);

        var scan = ScanText(vcf.ToString(), "S26-00001.vcf");

        Assert.True(FusionDetail.From(Assert.Single(scan.Fusions)).Counts);
    }

    [Theory]
    [InlineData("S26-00001.vcf")]
    [InlineData("S26-00001.arriba.tsv")]
    [InlineData("S26-00001.star-fusion.tsv")]
    public void Scan_OneMegabyteLineWithoutNewline_FailsOnItsColumns(string fileName)
    {
        var scan = ScanText(HeaderFor(fileName) + new string('A', 1 << 20), fileName);

        Assert.False(scan.Succeeded);
        Assert.Equal(fileName.EndsWith(".vcf", StringComparison.Ordinal) ? 8 : 2, scan.Failure!.Line);
    }

    [Theory]
    [InlineData("S26-00001.vcf", "line 8: column 9: record has 1000001 columns; the header line declares 8")]
    [InlineData("S26-00001.arriba.tsv", "line 2: column 6: row has 1000001 columns; the header names 5")]
    [InlineData("S26-00001.star-fusion.tsv", "line 2: column 7: row has 1000001 columns; the header names 6")]
    public void Scan_LineOfAMillionTabs_FailsOnItsColumnCount(string fileName, string failure)
    {
        var scan = ScanText(HeaderFor(fileName) + new string('\t', 1_000_000) + "\n", fileName);

        Assert.Equal(failure, FailureText(scan));
    }

    [Theory]
    [InlineData("S26-00001.vcf", 8)]
    [InlineData("S26-00001.arriba.tsv", 2)]
    [InlineData("S26-00001.star-fusion.tsv", 2)]
    public void Scan_LineLongerThanTheLimit_IsQuarantinedWithoutReadingItWhole(string fileName, int line)
    {
        var options = new NgsScanOptions { MaxLineLength = 1 << 20 };

        var scan = ScanText(HeaderFor(fileName) + new string('A', 3 << 20) + "\n", fileName, options);

        Assert.Equal($"line {line}: line is longer than 1048576 bytes", FailureText(scan));
    }

    [Fact]
    public void Scan_GzipOfALineBeyondTheDefaultLimit_IsQuarantinedNotBufferedWhole()
    {
        // 80 MB of one line, 80 kB compressed: a decompression bomb meets the 64 MiB line limit.
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(HeaderFor("S26-00001.vcf")));
            var chunk = Encoding.ASCII.GetBytes(new string('A', 1 << 20));
            for (var i = 0; i < 80; i++)
            {
                gzip.Write(chunk);
            }
        }
        packed.Position = 0;

        var scan = AlkNgsScanner.Scan(packed, "S26-00001.vcf.gz");

        Assert.Equal("line 8: line is longer than 67108864 bytes", FailureText(scan));
    }

    [Fact]
    public void Scan_RecordOfTwentyThousandBreakendAllelesAndAnnotations_IsReadInOnePass()
    {
        const int alleles = 20_000;
        var alts = string.Join(',', Enumerable.Range(1, alleles).Select(i => string.Create(CultureInfo.InvariantCulture, $"T]chr10:{32_000_000 + i}]")));
        var csq = string.Join(',', Enumerable.Repeat("-|intron_variant|MODIFIER|ALK|ENSG00000171094|Transcript|ENST00000389048.8|protein_coding||19/28||", alleles));
        var vcf = Grch38().Meta(VepHeader).Record("chr2", 29224000, "b1", "T", alts, "SVTYPE=BND;CSQ=" + csq);

        var scan = ScanText(vcf.ToString(), "S26-00001.vcf");

        Assert.Equal(alleles, scan.Fusions.Count);
        Assert.All(scan.Fusions, f => Assert.Equal("chr2:29224000", f.AlkBreakpoint));
    }

    [Fact]
    public void Scan_TwentyThousandBreakendsSharingOneMateId_ArePairedInOnePass()
    {
        const int records = 20_000;
        var vcf = Grch38();
        for (var i = 0; i < records; i++)
        {
            vcf.Record("chr2", 29224000, "x", "T", "T]chr10:32017143]", "SVTYPE=BND;MATEID=y");
        }

        var scan = ScanText(vcf.ToString(), "S26-00001.vcf");

        Assert.Equal(records, scan.Fusions.Count);
    }

    [Fact]
    public void Scan_TwentyThousandAlkRowsOfAFusionTable_AreReadInOnePass()
    {
        var text = new StringBuilder(StarFusionColumns + "\tFFPM\n");
        for (var i = 0; i < 20_000; i++)
        {
            text.Append(StarFusionEml4Alk).Append("\t1.5\n");
        }

        var scan = ScanText(text.ToString(), "S26-00001.star-fusion.tsv");

        Assert.Equal((20_000, GenomeBuild.GRCh38), (scan.Fusions.Count, scan.Build));
    }

    private const string VepHeader = "##INFO=<ID=CSQ,Number=.,Type=String,Description=\"Consequence annotations from Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|EXON|INTRON|HGVSc|HGVSp\">";

    private static VcfText Grch38() => new VcfText("VCFv4.2").Contig("chr2", 242193529).Contig("chr10", 133797422).BreakendInfo();

    private static string HeaderFor(string fileName) =>
        fileName.EndsWith(".vcf", StringComparison.Ordinal) ? Grch38().ToString()
        : fileName.EndsWith(".arriba.tsv", StringComparison.Ordinal) ? ArribaColumns + "\tconfidence\n"
        : StarFusionColumns + "\tFFPM\n";

    private static AlkNgsScan ScanText(string text, string fileName, NgsScanOptions? options = null) =>
        AlkNgsScanner.Scan(new MemoryStream(Encoding.UTF8.GetBytes(text)), fileName, options);

    private static string FailureText(AlkNgsScan scan) =>
        scan.Failure is { } failure ? $"line {failure.Line}: {failure.Reason}" : "no failure";
}
