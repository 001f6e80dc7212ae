using System.Text;
using LcnecBatch.Core.Formats.Fusions;
using LcnecBatch.Core.Genomics;
using LcnecBatch.Core.Tests.Formats.Vcf;

namespace LcnecBatch.Core.Tests.Genomics;

/// <summary>Arriba and STAR-Fusion tables: read by header name, filtered as configured, failing with position.</summary>
public class FusionTableScanTests
{
    private const string ArribaHeader = "#gene1\tgene2\tstrand1(gene/fusion)\tstrand2(gene/fusion)\tbreakpoint1\tbreakpoint2\tsite1\tsite2\ttype\tsplit_reads1\tsplit_reads2\tdiscordant_mates\tcoverage1\tcoverage2\tconfidence\treading_frame\ttags\tretained_protein_domains\tclosest_genomic_breakpoint1\tclosest_genomic_breakpoint2\tgene_id1\tgene_id2\ttranscript_id1\ttranscript_id2\tdirection1\tdirection2\tfilters\tfusion_transcript\tpeptide_sequence\tread_identifiers";

    // Arriba v1: directions right after type, no tags, domains or ids.
    private const string ArribaV1Header = "#gene1\tgene2\tstrand1(gene/fusion)\tstrand2(gene/fusion)\tbreakpoint1\tbreakpoint2\tsite1\tsite2\ttype\tdirection1\tdirection2\tsplit_reads1\tsplit_reads2\tdiscordant_mates\tcoverage1\tcoverage2\tconfidence\tclosest_genomic_breakpoint1\tclosest_genomic_breakpoint2\tfilters\tfusion_transcript\treading_frame\tpeptide_sequence\tread_identifiers";

    private const string StarFusionHeader = "#FusionName\tJunctionReadCount\tSpanningFragCount\test_J\test_S\tSpliceType\tLeftGene\tLeftBreakpoint\tRightGene\tRightBreakpoint\tLargeAnchorSupport\tFFPM\tLeftBreakDinuc\tLeftBreakEntropy\tRightBreakDinuc\tRightBreakEntropy\tannots";

    private static readonly EmlAlkVariant V1 = new("v1", "E13;A20", AlkVariantClass.Long);

    private static string Arriba(string gene1, string gene2, string bp1, string bp2, string confidence = "high", string direction1 = "downstream", string direction2 = "downstream") =>
        $"{gene1}\t{gene2}\t+/+\t-/-\t{bp1}\t{bp2}\tCDS/splice-site\tCDS/splice-site\tinversion\t12\t9\t4\t80\t60\t{confidence}\tin-frame\tMitelman\t.\t.\t.\tENSG00000143924.19\tENSG00000171094.18\tENST00000318522.10\tENST00000389048.8\t{direction1}\t{direction2}\tduplicates(3)\tACGT|TTGA\tAB|CD\tread1,read2";

    private static string ArribaV1(string gene1, string gene2, string bp1, string bp2, string confidence = "high") =>
        $"{gene1}\t{gene2}\t+/+\t-/-\t{bp1}\t{bp2}\tCDS/splice-site\tCDS/splice-site\tinversion\tdownstream\tdownstream\t12\t9\t4\t80\t60\t{confidence}\t.\t.\t.\tACGT|TTGA\tin-frame\tAB|CD\tread1";

    [Theory]
    [MemberData(nameof(NgsInputs.KindNames), MemberType = typeof(NgsInputs))]
    public void Scan_ArribaEml4Alk_IsFoundWithExonsVariantAndBuild(string kind)
    {
        var scan = Scan(ArribaHeader + "\n" + Arriba("EML4", "ALK", "chr2:42295516", "chr2:29223528") + "\n", "S26-04417.arriba.tsv", kind: kind);

        Assert.True(scan.Succeeded, scan.Failure?.ToString());
        Assert.Equal((NgsFileFormat.Arriba, GenomeBuild.GRCh38, 1L), (scan.Format, scan.Build, scan.RecordsRead));
        Assert.Equal(new AlkFusionCall("EML4", "chr2:42295516", "chr2:29223528", 13, 20, V1, "arriba", GenomeBuild.GRCh38, true, false, 2), Assert.Single(scan.Fusions));
    }

    [Fact]
    public void Scan_ArribaV1ColumnOrder_IsReadByHeaderName()
    {
        var call = Assert.Single(Scan(ArribaV1Header + "\n" + ArribaV1("EML4", "ALK", "2:42522656", "2:29446394") + "\n").Fusions);

        Assert.Equal(("EML4", "chr2:42522656", "chr2:29446394", GenomeBuild.GRCh37, V1), (call.Partner, call.PartnerBreakpoint, call.AlkBreakpoint, call.Build, call.Variant));
    }

    [Fact]
    public void Scan_ArribaExonNumberColumns_AreTakenAsWritten()
    {
        var text = ArribaHeader + "\texon_number1\texon_number2\n" + Arriba("KIF5B", "ALK", "chr10:32017143", "chr2:29223528") + "\t15\t20\n";

        var call = Assert.Single(Scan(text).Fusions);

        Assert.Equal(("KIF5B", 15, 20), (call.Partner, call.PartnerExon, call.AlkExon));
    }

    [Fact]
    public void Scan_ArribaLowConfidence_IsDroppedUnlessConfiguredOtherwise()
    {
        var text = ArribaHeader + "\n" + Arriba("EML4", "ALK", "chr2:42295516", "chr2:29223528", confidence: "low") + "\n";

        var scan = Scan(text);
        Assert.Empty(scan.Fusions);
        Assert.Equal(1, scan.CallsFilteredOut);
        Assert.Single(Scan(text, options: new NgsScanOptions { ArribaMinimumConfidence = ArribaConfidence.Low }).Fusions);
        Assert.Empty(Scan(ArribaHeader + "\n" + Arriba("EML4", "ALK", "chr2:42295516", "chr2:29223528", confidence: "medium") + "\n",
            options: new NgsScanOptions { ArribaMinimumConfidence = ArribaConfidence.High }).Fusions);
    }

    [Fact]
    public void Scan_ArribaAlkUpstream_IsTheReciprocalProduct()
    {
        var text = ArribaHeader + "\n" + Arriba("ALK", "PTPN3", "chr2:29275099", "chr9:109457399", direction1: "upstream", direction2: "downstream") + "\n";

        var call = Assert.Single(Scan(text).Fusions);

        Assert.True(call.IsReciprocal);
        Assert.Equal(("PTPN3", null, null), (call.Partner, call.Build, call.AlkExon));
        Assert.Equal(["chr2:29275099", "chr9:109457399"], call.Breakpoints);
        // Away from the fusion windows the build cannot be told from the breakpoint; configured, ALK exon 11 is known.
        Assert.Equal(11, Assert.Single(Scan(text, options: new NgsScanOptions { GenomeBuild = GenomeBuild.GRCh38 }).Fusions).AlkExon);
    }

    [Fact]
    public void Scan_ArribaIntergenicPartner_HasNoPartnerName()
    {
        var text = ArribaHeader + "\n" + Arriba("AC016907.2(1210),LINC01936(5800)", "ALK", "chr2:35000000", "chr2:29223528") + "\n";

        var call = Assert.Single(Scan(text).Fusions);

        Assert.Null(call.Partner);
        Assert.Equal("chr2:35000000", call.PartnerBreakpoint);
    }

    [Fact]
    public void Scan_ArribaCallsWithoutAlk_AreNotReported()
    {
        var text = ArribaHeader + "\n" + Arriba("BCR", "ABL1", "22:23632600", "9:133729451") + "\n" + Arriba("ALK", "ALK", "chr2:29300000", "chr2:29400000") + "\n";

        var scan = Scan(text);

        Assert.Empty(scan.Fusions);
        Assert.Equal(2, scan.RecordsRead);
    }

    [Theory]
    [MemberData(nameof(NgsInputs.KindNames), MemberType = typeof(NgsInputs))]
    public void Scan_StarFusionCurrentLayout_FiltersByFfpm(string kind)
    {
        var text = StarFusionHeader + "\n"
            + "EML4--ALK\t10\t31\t10.00\t31.00\tONLY_REF_SPLICE\tEML4^ENSG00000143924.19\tchr2:42295516:+\tALK^ENSG00000171094.18\tchr2:29223528:-\tYES_LDAS\t0.3255\tGT\t1.6895\tAG\t1.9086\t[\"Cosmic\"]\n"
            + "KIF5B--ALK\t1\t0\t1.00\t0.00\tONLY_REF_SPLICE\tKIF5B^ENSG00000170759.12\tchr10:32017143:-\tALK^ENSG00000171094.18\tchr2:29223528:-\tNO_LDAS\t0.0500\tGT\t1.8\tAG\t1.9\t[]\n";

        var scan = Scan(text, "S26-04417.star-fusion.tsv", kind: kind);

        Assert.Equal((NgsFileFormat.StarFusion, 2L, 1), (scan.Format, scan.RecordsRead, scan.CallsFilteredOut));
        Assert.Equal(new AlkFusionCall("EML4", "chr2:42295516", "chr2:29223528", 13, 20, V1, "star-fusion", GenomeBuild.GRCh38, true, false, 2), Assert.Single(scan.Fusions));
        Assert.Equal(2, Scan(text, options: new NgsScanOptions { StarFusionMinimumFfpm = 0 }).Fusions.Count);
    }

    public static TheoryData<string, string, int?, string> BadTables() => new()
    {
        { "Arriba without breakpoint2", "#gene1\tgene2\tbreakpoint1\n", null, "line 1: Arriba header lacks column(s) breakpoint2" },
        { "Arriba short row", "#gene1\tgene2\tbreakpoint1\tbreakpoint2\tconfidence\nEML4\tALK\tchr2:42295516\n", 4, "line 2: column 4: row has 3 columns; the header names 5" },
        { "Arriba bad breakpoint", "#gene1\tgene2\tbreakpoint1\tbreakpoint2\tconfidence\nEML4\tALK\tchr2:42295516\tchr2-29223528\thigh\n", 4, "line 2: column 4 (breakpoint2): is not a breakpoint (contig:position)" },
        { "Arriba without confidence", "#gene1\tgene2\tbreakpoint1\tbreakpoint2\nEML4\tALK\tchr2:42295516\tchr2:29223528\n", null, "line 1: Arriba header lacks column confidence, which the minimum-confidence filter needs" },
        { "STAR-Fusion without FFPM", "#FusionName\tLeftGene\tLeftBreakpoint\tRightGene\tRightBreakpoint\nEML4--ALK\tEML4^E\tchr2:42295516:+\tALK^A\tchr2:29223528:-\n", null, "line 1: STAR-Fusion header lacks column FFPM, which the minimum-FFPM filter needs" },
        { "STAR-Fusion empty gene", "#FusionName\tLeftGene\tLeftBreakpoint\tRightGene\tRightBreakpoint\tFFPM\nEML4--ALK\t.\tchr2:42295516:+\tALK^A\tchr2:29223528:-\t1\n", 2, "line 2: column 2 (LeftGene): is empty" },
    };

    [Theory]
    [MemberData(nameof(BadTables))]
    public void Scan_BadTable_FailsWithLineColumnAndReason(string name, string text, int? column, string message)
    {
        foreach (var (kind, _) in NgsInputs.Kinds)
        {
            var scan = Scan(text, kind: kind);

            Assert.False(scan.Succeeded, name);
            Assert.Equal(message, $"line {scan.Failure!.Line}: {scan.Failure.Reason}");
            Assert.Equal(column, scan.FailureColumn);
            Assert.Empty(scan.Fusions);
        }
    }

    // Every input is also read split at every chunk, gzip-member and BGZF-block boundary, and must read alike.
    private static AlkNgsScan Scan(string text, string fileName = "S26-04417.arriba.tsv", NgsScanOptions? options = null, string kind = "plain")
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (kind == "plain")
        {
            return NgsInputs.ScanAtEverySplit(bytes, fileName, options);
        }
        using var stream = NgsInputs.Open(kind, bytes);
        return AlkNgsScanner.Scan(stream, fileName, options);
    }
}
