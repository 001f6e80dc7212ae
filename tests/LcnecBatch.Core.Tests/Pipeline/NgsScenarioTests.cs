using System.Globalization;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Formats.Fusions;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Tests.Audit;
using LcnecBatch.Core.Tests.Formats.Vcf;

namespace LcnecBatch.Core.Tests.Pipeline;

/// <summary>
/// Multi-batch timelines written as real files (CSV rows, gzip and plain VCFs) and replayed by the command line's
/// run: diagnosis, raw files, a late IHC, a file delivered twice, a truncated file, a late amended report and a
/// re-biopsy. The exact alert events, by date.
/// </summary>
public sealed class NgsScenarioTests : IDisposable
{
    private static readonly DateOnly Day0 = new(2026, 3, 2);

    private readonly ArchiveFolderBuilder _archive = new();

    public void Dispose() => _archive.Dispose();

    private static DateOnly Day(int n) => Day0.AddDays(n);

    private static byte[] Vcf(string sample, bool fusion = false, bool g1202r = false, string filter = "PASS")
    {
        var vcf = new VcfText("VCFv4.2").Contig("chr2", 242193529).BreakendInfo()
            .Meta("##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO' \">")
            .Meta("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">").Samples(sample);
        if (g1202r)
        {
            vcf.Record("chr2", 29220765, ".", "C", "T", "ANN=T|missense_variant|MODERATE|ALK|ENSG00000171094|transcript|ENST00000389048.8|protein_coding|23/29|c.3604G>A|p.Gly1202Arg||||||", filter, "GT", "0/1");
        }
        if (fusion)
        {
            vcf.Record("chr2", 29224000, "bnd_a", "T", "T]chr2:42296000]", "SVTYPE=BND;MATEID=bnd_b", filter, "GT", "0/1")
                .Record("chr2", 42296000, "bnd_b", "G", "G]chr2:29224000]", "SVTYPE=BND;MATEID=bnd_a", filter, "GT", "0/1");
        }
        return vcf.Record("chr17", 7673802, ".", "C", "T", ".", "PASS", "GT", "0/1").ToBytes();
    }

    private static List<string> Events(RunResult run) =>
        [.. run.AlertEvents.Select(e => $"{e.On.ToString("MM-dd", CultureInfo.InvariantCulture)} {e.Kind} {e.Alert.RuleId} {e.Alert.Patient.Mrn} {e.Alert.Subject}")];

    [Fact]
    public void Replay_FusionMissedThenReported_ThenResistance_GivesExactlyTheseAlertsByDate()
    {
        var missed = NgsInputs.Gzip(Vcf("M-1", fusion: true));
        var path = _archive
            .Patient(Day(0), "100001", "F", "1970-05-01", "never").Report(Day(0), "100001", "S-1")
            // The signed-out panel says "not detected"; the raw VCF holds EML4-ALK.
            .Molecular(Day(4), "100001", "M-1", "not_detected").RawFile(Day(4), "M-1.vcf.gz", missed)
            // The same file delivered again two nights later, and a truncated copy of another run.
            .RawFile(Day(6), "M-1.vcf.gz", missed)
            .RawFile(Day(6), "M-3.vcf.gz", NgsInputs.Gzip(Vcf("M-3", fusion: true))[..^25])
            .Molecular(Day(6), "100001", "M-3", "indeterminate")
            // ALK IHC negative, dated day 9, one night late.
            .AlkIhc(Day(9), "100001", "S-1", "negative", known: Day(10))
            // The amended report: EML4-ALK detected.
            .Molecular(Day(20), "100001", "M-1", "detected", "EML4-ALK fusion (E13:A20)")
            // Re-biopsy on progression: the raw VCF holds G1202R.
            .Report(Day(40), "100001", "M-2", "Liver, core biopsy: metastatic carcinoma, consistent with the known lung primary.")
            .RawFile(Day(40), "M-2.vcf", Vcf("M-2", g1202r: true))
            // A patient without LCNEC whose raw file holds a fusion: no alert.
            .Patient(Day(1), "200002", "M", "1950-01-01", "current").Report(Day(1), "200002", "S-9", "Lung, biopsy: adenocarcinoma.")
            .Molecular(Day(2), "200002", "M-9", "not_detected").RawFile(Day(2), "M-9.vcf", Vcf("M-9", fusion: true))
            .Night(Day(45))
            .Build();

        var run = LocalRun.Screen(path, Day(45), new ScreeningOptions(), includeResolved: true);

        Assert.Equal(
        [
            "03-14 Raised ALK_FUSION_UNREPORTED 100001 M-1",
            "03-22 Raised ALK_FUSION_ACTIONABLE 100001 M-1",
            "03-22 Raised ALK_IHC_DISCORDANT 100001 S-1",
            "03-22 Resolved ALK_FUSION_UNREPORTED 100001 M-1",
            "04-11 Raised ALK_RESISTANCE_MUTATION 100001 M-2",
        ], Events(run).Order(StringComparer.Ordinal));
        var quarantined = Assert.Single(run.Quarantined);
        Assert.Equal($"{Day(6):yyyy-MM-dd}/ngs/M-3.vcf.gz", quarantined.File);
        var unreported = run.Alerts.Single(a => a.RuleId == "ALK_FUSION_UNREPORTED");
        Assert.Equal((AlertStatus.Resolved, Day(11), Day(20)), (unreported.Status, unreported.Finding.DueSince, unreported.ResolvedOn));
        var actionable = run.Alerts.Single(a => a.RuleId == "ALK_FUSION_ACTIONABLE");
        Assert.Equal(["chr2:42296000", "chr2:29224000"], actionable.Finding.Fusion!.Breakpoints);
    }

    [Fact]
    public void Replay_FusionFilteredOrOnlyReciprocal_RaisesNothing()
    {
        var reciprocal = new VcfText("VCFv4.2").Contig("chr2", 242193529).BreakendInfo().Samples("M-1")
            .Record("chr2", 29224000, "b1", "T", "[chr2:42296000[T", "SVTYPE=BND", "PASS", "GT", "0/1").ToBytes();
        var path = _archive
            .Patient(Day(0), "100001", "M", "1950-05-01", "current").Report(Day(0), "100001", "S-1")
            .Molecular(Day(3), "100001", "M-1", "not_detected").RawFile(Day(3), "M-1.vcf", Vcf("M-1", fusion: true, filter: "MinSomaticScore"))
            .Molecular(Day(3), "100001", "M-2", "not_detected").RawFile(Day(3), "M-2.vcf", reciprocal)
            .Night(Day(30))
            .Build();

        var run = LocalRun.Screen(path, Day(30), new ScreeningOptions(), includeResolved: true);

        Assert.Empty(run.AlertEvents);
        Assert.Empty(run.Quarantined);
    }

    [Fact]
    public void Replay_RawFileBeforeAnyRowNamesIt_WaitsForTheAccession_ThenCountsFromItsOwnBatch()
    {
        var path = _archive
            .Patient(Day(0), "100001", "M", "1950-05-01", "current").Report(Day(0), "100001", "S-1")
            .RawFile(Day(2), "M-1.vcf", Vcf("M-1", fusion: true))
            .Molecular(Day(2), "100001", "M-1", "not_detected", known: Day(12))
            .Night(Day(30))
            .Build();

        var run = LocalRun.Screen(path, Day(30), new ScreeningOptions(), includeResolved: true);

        // The file is tied to the patient on day 12; by then its 7-day window (from day 2) has run out.
        Assert.Equal(["03-14 Raised ALK_FUSION_UNREPORTED 100001 M-1"], Events(run));
        Assert.Equal(Day(9), run.Alerts.Single().Finding.DueSince);
    }

    [Theory]
    [InlineData(ArribaConfidence.Medium, false)]
    [InlineData(ArribaConfidence.Low, true)]
    public void Replay_LowConfidenceArribaCall_CountsOnlyWhenTheLabSaysSo(ArribaConfidence minimum, bool fires)
    {
        const string header = "#gene1\tgene2\tstrand1(gene/fusion)\tstrand2(gene/fusion)\tbreakpoint1\tbreakpoint2\tsite1\tsite2\ttype\tsplit_reads1\tsplit_reads2\tdiscordant_mates\tcoverage1\tcoverage2\tconfidence\treading_frame\ttags\tretained_protein_domains\tclosest_genomic_breakpoint1\tclosest_genomic_breakpoint2\tgene_id1\tgene_id2\ttranscript_id1\ttranscript_id2\tdirection1\tdirection2\tfilters\tfusion_transcript\tpeptide_sequence\tread_identifiers";
        const string low = "EML4\tALK\t+/+\t-/-\tchr2:42295516\tchr2:29223528\tsplice-site\tsplice-site\tinversion\t2\t1\t0\t80\t60\tlow\tin-frame\t.\t.\t.\t.\t.\t.\t.\t.\tdownstream\tdownstream\t.\t.\t.\t.";
        var path = _archive
            .Patient(Day(0), "100001", "M", "1950-05-01", "current").Report(Day(0), "100001", "S-1")
            .Molecular(Day(3), "100001", "M-1", "not_detected").RawFile(Day(3), "M-1.arriba.tsv", System.Text.Encoding.UTF8.GetBytes(header + "\n" + low + "\n"))
            .Night(Day(30))
            .Build();
        var options = new ScreeningOptions { Ngs = { ArribaMinimumConfidence = minimum } };

        var run = LocalRun.Screen(path, Day(30), options);

        Assert.Equal(fires ? ["ALK_FUSION_UNREPORTED"] : [], run.Alerts.Select(a => a.RuleId));
    }
}
