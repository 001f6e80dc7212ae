using System.Security.Cryptography;
using System.Text;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Genomics;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Tests.Formats.Vcf;
using LcnecBatch.Core.Tests.Genomics;

namespace LcnecBatch.Core.Tests.Pipeline;

/// <summary>Raw NGS files through the batch ingestor: scanned and hashed in one pass, findings on the event, bad files quarantined.</summary>
public class RawNgsIngestionTests
{
    private static readonly DateOnly Batch = new(2026, 3, 2);

    private const string SnpEff = "##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO' \">";

    private static byte[] TumourVcf(string sample = "M26-00417-T") =>
        new VcfText("VCFv4.2").Contig("chr2", 242193529).BreakendInfo().Meta(SnpEff).Meta("##source=GenerateSVCandidates 1.6.0")
            .Info("DP", "1", "Integer").Meta("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">").Samples(sample)
            .Record("chr2", 29220765, ".", "C", "T", "DP=800;ANN=T|missense_variant|MODERATE|ALK|ENSG00000171094|transcript|ENST00000389048.8|protein_coding|23/29|c.3604G>A|p.Gly1202Arg||||||", "PASS", "GT", "0/1")
            .Record("chr2", 29224000, "MantaBND:7:0:1:0:0:0:0", "T", "T]chr2:42296000]", "SVTYPE=BND;MATEID=MantaBND:7:0:1:0:0:0:1", "PASS", "GT", "0/1")
            .Record("chr2", 42296000, "MantaBND:7:0:1:0:0:0:1", "G", "G]chr2:29224000]", "SVTYPE=BND;MATEID=MantaBND:7:0:1:0:0:0:0", "PASS", "GT", "0/1")
            .ToBytes();

    private const string ArribaHeader = "#gene1\tgene2\tstrand1(gene/fusion)\tstrand2(gene/fusion)\tbreakpoint1\tbreakpoint2\tsite1\tsite2\ttype\tsplit_reads1\tsplit_reads2\tdiscordant_mates\tcoverage1\tcoverage2\tconfidence\treading_frame\ttags\tretained_protein_domains\tclosest_genomic_breakpoint1\tclosest_genomic_breakpoint2\tgene_id1\tgene_id2\ttranscript_id1\ttranscript_id2\tdirection1\tdirection2\tfilters\tfusion_transcript\tpeptide_sequence\tread_identifiers";

    private static string ArribaRow(string gene1, string gene2, string bp1, string bp2, string direction1 = "downstream", string direction2 = "downstream") =>
        $"{gene1}\t{gene2}\t+/+\t-/-\t{bp1}\t{bp2}\tsplice-site\tsplice-site\tinversion\t12\t9\t4\t80\t60\thigh\tin-frame\t.\t.\t.\t.\t.\t.\t.\t.\t{direction1}\t{direction2}\t.\t.\t.\t.";

    private static (FileIngestion Ingestion, List<TimelineEvent> Events) Ingest(string name, byte[] bytes, NgsScanOptions? options = null)
    {
        var events = new List<TimelineEvent>();
        using var content = new MemoryStream(bytes);
        var ingestion = BatchIngestor.Ingest(Batch, $"2026-03-02/ngs/{name}", content, events.Add, options);
        return (ingestion, events);
    }

    public static TheoryData<string> Compressions() => ["plain", "gzip", "bgzf"];

    [Theory]
    [MemberData(nameof(Compressions))]
    public void Ingest_Vcf_CarriesItsFusionAndMutationAndTheHashOfItsBytes(string compression)
    {
        var bytes = compression switch
        {
            "gzip" => NgsInputs.Gzip(TumourVcf()),
            "bgzf" => NgsInputs.Bgzf(TumourVcf(), 200, 400),
            _ => TumourVcf(),
        };

        var (ingestion, events) = Ingest(compression == "plain" ? "M26-00417.vcf" : "M26-00417.vcf.gz", bytes);

        Assert.Null(ingestion.Failure);
        Assert.Equal(BatchFileKind.RawNgs, ingestion.Kind);
        var raw = Assert.IsType<RawNgsFileArrived>(Assert.Single(events));
        Assert.Equal(("M26-00417", RawNgsKind.Vcf, Convert.ToHexStringLower(SHA256.HashData(bytes))), (raw.Accession, raw.Kind, raw.ContentHash));
        var fusion = Assert.Single(raw.Fusions);
        Assert.Equal(("EML4", 13, 20, "v1", "long", "manta", "GRCh38", 12L), (fusion.Partner, fusion.PartnerExon, fusion.AlkExon, fusion.Variant, fusion.VariantClass, fusion.Caller, fusion.Build, fusion.Line));
        Assert.Equal(["chr2:42296000", "chr2:29224000"], fusion.Breakpoints);
        var mutation = Assert.Single(raw.Mutations);
        Assert.Equal(("G1202R", "chr2:29220765", 11L), (mutation.Protein, mutation.Position, mutation.Line));
        Assert.False(raw.SampleMismatch);
    }

    [Fact]
    public void Ingest_ArribaTable_IsAnArribaFileWithItsCall()
    {
        var row = ArribaRow("EML4", "ALK", "chr2:42295516", "chr2:29223528");

        var (ingestion, events) = Ingest("M26-00417.arriba.tsv", Encoding.UTF8.GetBytes(ArribaHeader + "\n" + row + "\n"));

        Assert.Null(ingestion.Failure);
        var raw = Assert.IsType<RawNgsFileArrived>(Assert.Single(events));
        Assert.Equal(RawNgsKind.Arriba, raw.Kind);
        var fusion = Assert.Single(raw.CountingFusions);
        Assert.Equal(("EML4", "v1", "arriba", 2L), (fusion.Partner, fusion.Variant, fusion.Caller, fusion.Line));
    }

    [Fact]
    public void Ingest_MoreCallsThanAnEventCarries_KeepsTheCountingOnesAndSaysHowManyWereLeft()
    {
        var rows = Enumerable.Range(0, 36).Select(i => ArribaRow("ALK", "PTPN3", "chr2:29275099", $"chr9:1094574{i:00}", "upstream", "downstream"))
            .Concat(Enumerable.Range(0, 4).Select(i => ArribaRow($"PARTNER{i}", "ALK", $"chr5:10000{i}", "chr2:29223528")));

        var (_, events) = Ingest("M26-00417.arriba.tsv", Encoding.UTF8.GetBytes(ArribaHeader + "\n" + string.Join("\n", rows) + "\n"));

        var raw = Assert.IsType<RawNgsFileArrived>(Assert.Single(events));
        Assert.Equal(BatchIngestor.MaxCallsCarried, raw.Fusions.Count);
        Assert.Equal(["PARTNER0", "PARTNER1", "PARTNER2", "PARTNER3"], raw.CountingFusions.Select(f => f.Partner));
        Assert.Equal(8, raw.CallsOmitted);
        Assert.Equal(raw.Fusions.OrderBy(f => f.Line), raw.Fusions);
    }

    [Fact]
    public void Ingest_TruncatedGzip_IsQuarantinedWithLineAndReasonAndNoFact()
    {
        var gzip = NgsInputs.Gzip(TumourVcf());

        var (ingestion, events) = Ingest("M26-00417.vcf.gz", gzip[..(gzip.Length - 30)]);

        Assert.Empty(events);
        Assert.True(ingestion.Quarantined);
        Assert.Equal(BatchFileKind.RawNgs, ingestion.Kind);
        Assert.Equal("2026-03-02/ngs/M26-00417.vcf.gz", ingestion.Failure!.File);
        Assert.NotNull(ingestion.Failure.Line);
        Assert.Contains("gzip", ingestion.Failure.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Ingest_MalformedRecord_IsQuarantinedAtItsLineAndColumn()
    {
        var vcf = new VcfText("VCFv4.2").Contig("chr2", 242193529).Samples("M26-00417")
            .Record("chr2", 29224000, ".", "T", "T", "DP=12", "PASS", "GT", "0/1")
            .Line("chr2\tnot-a-number\t.\tT\tC\t.\tPASS\t.\tGT\t0/1");

        var (ingestion, events) = Ingest("M26-00417.vcf", vcf.ToBytes());

        Assert.Empty(events);
        Assert.Equal(5, ingestion.Failure!.Line);
        Assert.StartsWith("column 2 (POS)", ingestion.Failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_SampleNotNamingTheAccession_IsTakenAndReported()
    {
        var (ingestion, events) = Ingest("M26-00417.vcf", TumourVcf(sample: "TUMOR"));

        Assert.Null(ingestion.Failure);
        Assert.True(ingestion.SampleMismatch);
        Assert.True(Assert.IsType<RawNgsFileArrived>(Assert.Single(events)).SampleMismatch);
    }

    [Fact]
    public void Ingest_SameBytesTwice_IsOneFact()
    {
        var first = Assert.Single(Ingest("M26-00417.vcf", TumourVcf()).Events);
        var second = Assert.Single(Ingest("M26-00417.vcf", TumourVcf()).Events);

        Assert.Equal(first.EventId, second.EventId);
        Assert.Equal(first, second);
    }

    [GenomicsCorpusFact]
    public void Ingest_EveryCorpusNgsFile_IsTakenWithTheScannersFindings()
    {
        var files = GenomicsCorpus.NgsFiles().ToList();
        Assert.NotEmpty(files);
        var fusions = 0;
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var suffix = name.EndsWith(".vcf.gz", StringComparison.Ordinal) ? ".vcf.gz"
                : name.EndsWith(".vcf", StringComparison.Ordinal) ? ".vcf"
                : name == "fusions.tsv" ? ".arriba.tsv"
                : ".star-fusion.tsv";
            // The H2228 STAR-Fusion table predates FFPM: it is read only with the FFPM filter off.
            var (ingestion, events) = Ingest($"CORPUS-1{suffix}", File.ReadAllBytes(file), new NgsScanOptions { StarFusionMinimumFfpm = 0 });

            Assert.True(ingestion.Failure is null, $"{file}: {ingestion.Failure}");
            fusions += Assert.IsType<RawNgsFileArrived>(Assert.Single(events)).CountingFusions.Count();
        }
        Assert.True(fusions >= 3, $"only {fusions} counting ALK fusions in the corpus");
    }
}
