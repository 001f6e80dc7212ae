using System.Globalization;
using System.Text;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Tests.Audit;
using LcnecBatch.Core.Tests.Formats.Vcf;

namespace LcnecBatch.Core.Tests.Pipeline;

/// <summary>
/// Issue 15 through the command line's run (real CSV rows, VCF and Arriba bytes in batch folders): what each ALK result
/// class does to the rules, what counts as an ALK test, and discordance per specimen. The exact alert events, by date.
/// </summary>
public sealed class AlkResultScenarioTests : IDisposable
{
    private static readonly DateOnly Day0 = new(2026, 3, 2);

    private const string ArribaHeader = "#gene1\tgene2\tstrand1(gene/fusion)\tstrand2(gene/fusion)\tbreakpoint1\tbreakpoint2\tsite1\tsite2\ttype\tsplit_reads1\tsplit_reads2\tdiscordant_mates\tcoverage1\tcoverage2\tconfidence\treading_frame\ttags\tretained_protein_domains\tclosest_genomic_breakpoint1\tclosest_genomic_breakpoint2\tgene_id1\tgene_id2\ttranscript_id1\ttranscript_id2\tdirection1\tdirection2\tfilters\tfusion_transcript\tpeptide_sequence\tread_identifiers";

    private readonly ArchiveFolderBuilder _archive = new();

    public void Dispose() => _archive.Dispose();

    private static DateOnly Day(int n) => Day0.AddDays(n);

    /// <summary>A hotspot DNA panel: small variants only, no SV calling declared; G1202R when asked.</summary>
    private static byte[] SmallVariantVcf(string sample, bool g1202r = false)
    {
        var vcf = new VcfText("VCFv4.2").Contig("chr2", 242193529)
            .Meta("##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO' \">")
            .Meta("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">").Samples(sample);
        if (g1202r)
        {
            vcf.Record("chr2", 29220765, ".", "C", "T", "ANN=T|missense_variant|MODERATE|ALK|ENSG00000171094|transcript|ENST00000389048.8|protein_coding|23/29|c.3604G>A|p.Gly1202Arg||||||", "PASS", "GT", "0/1");
        }
        return vcf.Record("chr17", 7673802, ".", "C", "T", ".", "PASS", "GT", "0/1").ToBytes();
    }

    /// <summary>A DNA panel that calls structural variants (SVTYPE declared), with an EML4-ALK breakend pair when asked.</summary>
    private static byte[] SvVcf(string sample, bool fusion)
    {
        var vcf = new VcfText("VCFv4.2").Contig("chr2", 242193529).BreakendInfo()
            .Meta("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">").Samples(sample);
        if (fusion)
        {
            vcf.Record("chr2", 29224000, "bnd_a", "T", "T]chr2:42296000]", "SVTYPE=BND;MATEID=bnd_b", "PASS", "GT", "0/1")
                .Record("chr2", 42296000, "bnd_b", "G", "G]chr2:29224000]", "SVTYPE=BND;MATEID=bnd_a", "PASS", "GT", "0/1");
        }
        return vcf.Record("chr17", 7673802, ".", "C", "T", ".", "PASS", "GT", "0/1").ToBytes();
    }

    private static byte[] Arriba(bool fusion) => Encoding.UTF8.GetBytes(ArribaHeader + "\n" + (fusion
        ? "EML4\tALK\t+/+\t-/-\tchr2:42295516\tchr2:29223528\tsplice-site\tsplice-site\tinversion\t20\t11\t5\t80\t60\thigh\tin-frame\t.\t.\t.\t.\t.\t.\t.\t.\tdownstream\tdownstream\t.\t.\t.\t.\n"
        : ""));

    private static List<string> Events(RunResult run) =>
        [.. run.AlertEvents.Select(e => $"{e.On.ToString("MM-dd", CultureInfo.InvariantCulture)} {e.Kind} {e.Alert.RuleId} {e.Alert.Patient.Mrn} {e.Alert.Subject}").Order(StringComparer.Ordinal)];

    private RunResult Run(int asOf, ScreeningOptions? options = null) =>
        LocalRun.Screen(_archive.Night(Day(asOf)).Build(), Day(asOf), options ?? new ScreeningOptions(), includeResolved: true);

    [Fact]
    public void Screen_MutationOnlyRow_IsNeitherActionableNorResistance_AndIsNoAlkTest()
    {
        _archive.Patient(Day(0), "100001", "M", "1950-05-01", "current").Report(Day(0), "100001", "S-1")
            .Molecular(Day(5), "100001", "M-1", "detected", "ALK G1202R (VAF 12%)")
            .Molecular(Day(5), "100001", "M-2", "detected", "ALK F1174L");

        var run = Run(30);

        // No fusion anywhere: no ACTIONABLE, no RESISTANCE; and a point mutation is not an ALK fusion test.
        Assert.Equal(["03-17 Raised ALK_TEST_MISSING 100001 S-1"], Events(run));
        var missing = run.Alerts.Single().Finding;
        Assert.Contains("reports only a point mutation (G1202R): it neither reports nor excludes an ALK fusion", missing.Recommendation, StringComparison.Ordinal);
        Assert.Equal(["diagnosis", "stage", "molecular", "molecular"], missing.Evidence.Select(e => e.Kind));
    }

    [Fact]
    public void Screen_MutationOnlyRowOfTheRun_DoesNotSuppressUnreported_AndTheRawFusionMakesItAResistanceFinding()
    {
        _archive.Patient(Day(0), "100001", "M", "1950-05-01", "current").Report(Day(0), "100001", "S-1")
            .Molecular(Day(4), "100001", "M-1", "detected", "ALK G1202R").RawFile(Day(4), "M-1.vcf", SvVcf("M-1", fusion: true));

        var run = Run(30);

        Assert.Equal(
        [
            "03-06 Raised ALK_RESISTANCE_MUTATION 100001 M-1",
            "03-14 Raised ALK_FUSION_UNREPORTED 100001 M-1",
        ], Events(run));
        var unreported = run.Alerts.Single(a => a.RuleId == "ALK_FUSION_UNREPORTED").Finding;
        Assert.Contains("says ALK detected, but only a point mutation (G1202R), no fusion", unreported.Recommendation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ALK amplification")]
    [InlineData("ALK copy number gain (CN=8)")]
    [InlineData("ALK protein overexpression")]
    public void Screen_AmplificationOrExpression_IsNotActionable_NorAnAlkTest(string alteration)
    {
        _archive.Patient(Day(0), "100001", "M", "1950-05-01", "current").Report(Day(0), "100001", "S-1")
            .Molecular(Day(5), "100001", "M-1", "detected", alteration);

        var run = Run(30);

        Assert.Equal(["03-17 Raised ALK_TEST_MISSING 100001 S-1"], Events(run));
    }

    [Theory]
    [InlineData("ALK1", true)]
    [InlineData("Dako ALK1", true)]
    [InlineData("D5F3", false)]
    [InlineData("Ventana ALK (D5F3) CDx", false)]
    [InlineData("5A4", false)]
    [InlineData("", false)]
    public void Screen_IhcNegative_SilencesTestMissingOnlyWithAFusionCapableClone(string clone, bool fires)
    {
        _archive.Patient(Day(0), "100001", "M", "1950-05-01", "current").Report(Day(0), "100001", "S-1")
            .AlkIhc(Day(3), "100001", "S-1", "negative", clone);

        var run = Run(30);

        Assert.Equal(fires ? ["03-17 Raised ALK_TEST_MISSING 100001 S-1"] : [], Events(run));
        if (fires)
        {
            var finding = run.Alerts.Single().Finding;
            Assert.Equal("Advanced LCNEC without an ALK test that can find a fusion", finding.Title);
            Assert.Contains("negative with clone ALK1, which does not count: ALK1 is the lymphoma clone and misses most lung ALK fusions", finding.Recommendation, StringComparison.Ordinal);
            Assert.Contains("ihc", finding.Evidence.Select(e => e.Kind));
        }
    }

    [Fact]
    public void Screen_IhcNegativeWithoutClone_FiresWhenTheLabSaysUnknownClonesDoNotCount()
    {
        _archive.Patient(Day(0), "100001", "M", "1950-05-01", "current").Report(Day(0), "100001", "S-1")
            .AlkIhc(Day(3), "100001", "S-1", "negative", "");

        var run = Run(30, new ScreeningOptions { UnknownAlkCloneCountsAsTest = false });

        Assert.Equal(["03-17 Raised ALK_TEST_MISSING 100001 S-1"], Events(run));
        Assert.Contains("no recognised clone", run.Alerts.Single().Finding.Recommendation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("small-variant vcf", true)]
    [InlineData("sv vcf", false)]
    [InlineData("arriba", false)]
    [InlineData("arriba of another sample", true)]
    public void Screen_RawFile_SilencesTestMissingOnlyWhenItCanShowAFusionOfThisSpecimen(string file, bool fires)
    {
        var (name, bytes) = file switch
        {
            "small-variant vcf" => ("M-1.vcf", SmallVariantVcf("M-1", g1202r: true)),
            "sv vcf" => ("M-1.vcf", SvVcf("M-1", fusion: false)),
            "arriba" => ("M-1.arriba.tsv", Arriba(fusion: false)),
            _ => ("M-1.vcf", SvVcf("OTHER-7", fusion: false)),
        };
        _archive.Patient(Day(0), "100001", "M", "1950-05-01", "current").Report(Day(0), "100001", "S-1")
            .Molecular(Day(3), "100001", "M-1", "indeterminate").RawFile(Day(3), name, bytes);

        var run = Run(30);

        Assert.Equal(fires ? ["03-17 Raised ALK_TEST_MISSING 100001 S-1"] : [], Events(run));
        if (file == "small-variant vcf")
        {
            Assert.Contains("is a small-variant VCF (no structural-variant calling): it cannot show an ALK fusion", run.Alerts.Single().Finding.Recommendation, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Screen_Discordance_PairsIhcWithMolecularOfTheSameSpecimen_NotARebiopsyMonthsLater()
    {
        _archive.Patient(Day(0), "100001", "M", "1950-05-01", "current").Report(Day(0), "100001", "S-1")
            // IHC positive on the diagnostic biopsy; its own NGS (a DNA panel with a raw VCF) finds no rearrangement.
            .AlkIhc(Day(2), "100001", "S-1", "positive", "D5F3")
            .Molecular(Day(30), "100001", "S-1", "not_detected").RawFile(Day(30), "S-1.vcf", SvVcf("S-1", fusion: false))
            // A second patient: IHC negative on the biopsy; a re-biopsy 200 days later has an EML4-ALK fusion.
            .Patient(Day(0), "100002", "M", "1950-05-01", "current").Report(Day(0), "100002", "S-2")
            .AlkIhc(Day(2), "100002", "S-2", "negative", "D5F3")
            .Molecular(Day(200), "100002", "M-9", "detected", "EML4-ALK (E13;A20)")
            // A third: IHC negative, and a signed-out point mutation on the same accession is no detected rearrangement.
            .Patient(Day(0), "100003", "M", "1950-05-01", "current").Report(Day(0), "100003", "S-3")
            .AlkIhc(Day(2), "100003", "S-3", "negative", "D5F3")
            .Molecular(Day(5), "100003", "S-3", "detected", "ALK G1202R");

        var run = Run(210);

        var discordant = Assert.Single(run.Alerts, a => a.RuleId == "ALK_IHC_DISCORDANT");
        Assert.Equal(("100001", "S-1"), (discordant.Patient.Mrn, discordant.Subject));
        Assert.Contains("The NGS was DNA-based", discordant.Finding.Recommendation, StringComparison.Ordinal);
        Assert.Contains("test for the fusion by RNA NGS or FISH before calling the IHC wrong", discordant.Finding.Recommendation, StringComparison.Ordinal);
        Assert.Contains("IHC over-calls ALK in neuroendocrine tumours with any clone, D5F3 included", discordant.Finding.Recommendation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(14, true)]
    public void Screen_Discordance_AnotherAccessionPairsOnlyWithinTheConfiguredDays(int days, bool fires)
    {
        _archive.Patient(Day(0), "100001", "M", "1950-05-01", "current").Report(Day(0), "100001", "S-1")
            .AlkIhc(Day(2), "100001", "S-1", "negative", "D5F3")
            .Molecular(Day(12), "100001", "M-1", "detected", "EML4-ALK fusion (E6:A20)", method: "RT-PCR");

        var run = Run(20, new ScreeningOptions { DiscordancePairingDays = days });

        Assert.Equal(fires, run.Alerts.Any(a => a.RuleId == "ALK_IHC_DISCORDANT"));
    }
}
