using LcnecBatch.Core.Formats.Vcf;
using LcnecBatch.Core.Genomics;
using LcnecBatch.Core.Tests.Formats.Vcf;

namespace LcnecBatch.Core.Tests.Genomics;

/// <summary>Every Arriba, STAR-Fusion and VCF file of the real corpus, and the ALK calls in them.</summary>
public class CorpusScanTests
{
    // The H2228 STAR-Fusion table predates FFPM: with the FFPM filter on (the default) it is quarantined.
    private static readonly NgsScanOptions FfpmFilterOff = new() { StarFusionMinimumFfpm = 0 };

    [GenomicsCorpusFact]
    public void Scan_EveryCorpusNgsFile_ReadsWithoutFailure()
    {
        var files = GenomicsCorpus.NgsFiles().ToList();

        Assert.Equal(4, files.Count);
        foreach (var file in files)
        {
            var scan = Scan(file, FfpmFilterOff);
            Assert.True(scan.Succeeded, $"{file}: {scan.Failure}");
            Assert.NotNull(scan.Format);
            Assert.True(scan.RecordsRead > 0, file);
        }
    }

    [GenomicsCorpusFact]
    public void Scan_EveryCorpusNgsFile_ReadsTheSameFromEverySplitGzipMemberAndBgzfBlock()
    {
        foreach (var file in GenomicsCorpus.NgsFiles())
        {
            var bytes = File.ReadAllBytes(file);
            var expected = NgsInputs.Describe(AlkNgsScanner.Scan(new MemoryStream(bytes), Path.GetFileName(file), FfpmFilterOff));
            foreach (var (name, open) in NgsInputs.EverySplit(bytes))
            {
                using var stream = open();
                var actual = NgsInputs.Describe(AlkNgsScanner.Scan(stream, Path.GetFileName(file), FfpmFilterOff));
                Assert.True(expected == actual, $"{Path.GetFileName(file)}, {name}:\n{actual}");
            }
        }
    }

    [GenomicsCorpusFact]
    public void Scan_StarFusionH2228WithTheDefaultFfpmFilter_IsQuarantinedForItsMissingFfpmColumn()
    {
        var scan = Scan(GenomicsCorpus.File("star-fusion_benchmarking_H2228/star-fusion.fusion_candidates.final.abridged"));

        Assert.Equal((1, "STAR-Fusion header lacks column FFPM, which the minimum-FFPM filter needs"), (scan.Failure!.Line, scan.Failure.Reason));
        Assert.Empty(scan.Fusions);
    }

    [GenomicsCorpusFact]
    public void Scan_StarFusionH2228_FindsEml4AlkV3bAndTheReciprocalAlkPtpn3()
    {
        var scan = Scan(GenomicsCorpus.File("star-fusion_benchmarking_H2228/star-fusion.fusion_candidates.final.abridged"), FfpmFilterOff);

        Assert.Equal(NgsFileFormat.StarFusion, scan.Format);
        Assert.Equal(GenomeBuild.GRCh37, scan.Build);
        var fusion = Assert.Single(scan.FunctionalFusions);
        Assert.Equal(
            new AlkFusionCall("EML4", "chr2:42492091", "chr2:29446394", 6, 20, new EmlAlkVariant("v3b", "E6b;A20", AlkVariantClass.Short),
                "star-fusion", GenomeBuild.GRCh37, PassesFilter: true, IsReciprocal: false, Line: 3),
            fusion);
        Assert.Equal(["chr2:42492091", "chr2:29446394"], fusion.Breakpoints);
        var reciprocal = Assert.Single(scan.Fusions, f => f.IsReciprocal);
        Assert.Equal(("PTPN3", "chr2:29497965", "chr9:112219679", 11), (reciprocal.Partner, reciprocal.AlkBreakpoint, reciprocal.PartnerBreakpoint, reciprocal.AlkExon));
        Assert.Null(reciprocal.Variant);
    }

    [GenomicsCorpusFact]
    public void Scan_FusionCatcherVcf_FindsEml4AlkAndNpm1AlkWithTheirBreakpoints()
    {
        var scan = Scan(GenomicsCorpus.File("fusioncatcher_test/final-list_candidate-fusion-genes.vcf"));

        Assert.Equal((NgsFileFormat.Vcf, NgsCompression.None, GenomeBuild.GRCh38), (scan.Format, scan.Compression, scan.Build));
        Assert.Empty(scan.SampleNames);
        Assert.Equal(44, scan.RecordsRead);
        Assert.Collection(
            scan.Fusions,
            eml4 =>
            {
                Assert.Equal(("EML4", "chr2:42301391", "chr2:29223587"), (eml4.Partner, eml4.PartnerBreakpoint, eml4.AlkBreakpoint));
                // FusionCatcher's call sits one base inside EML4 exon 14 and 59 bases into ALK intron 19.
                Assert.Equal((14, 20), (eml4.PartnerExon, eml4.AlkExon));
                Assert.Equal(new EmlAlkVariant(null, "E14;A20", AlkVariantClass.Long), eml4.Variant);
                Assert.Equal(("fusioncatcher", false, true, 62L), (eml4.Caller, eml4.IsReciprocal, eml4.PassesFilter, eml4.Line));
            },
            npm1 =>
            {
                Assert.Equal(("NPM1", "chr5:171391799", "chr2:29223528"), (npm1.Partner, npm1.PartnerBreakpoint, npm1.AlkBreakpoint));
                Assert.Equal(["chr5:171391799", "chr2:29223528"], npm1.Breakpoints);
                Assert.Equal((null, 20), (npm1.PartnerExon, npm1.AlkExon));
                Assert.Null(npm1.Variant);
                Assert.False(npm1.IsReciprocal);
            });
    }

    [GenomicsCorpusFact]
    public void Scan_ArribaTestFiles_HaveNoAlkCall()
    {
        foreach (var file in new[] { "arriba_test/fusions.tsv", "arriba_RNAsum_testdata/fusions.tsv" })
        {
            var scan = Scan(GenomicsCorpus.File(file));

            Assert.Equal(NgsFileFormat.Arriba, scan.Format);
            Assert.Empty(scan.Fusions);
        }
        Assert.Equal(4, Scan(GenomicsCorpus.File("arriba_RNAsum_testdata/fusions.tsv")).RecordsRead);
    }

    [GenomicsCorpusFact]
    public void Scan_FusionCatcherTextTable_IsNotMistakenForAnotherFormat()
    {
        var scan = Scan(GenomicsCorpus.File("fusioncatcher_test/final-list_candidate-fusion-genes.txt"));

        Assert.False(scan.Succeeded);
        Assert.Equal("not a VCF (##fileformat=VCF…), Arriba (#gene1…) or STAR-Fusion (#FusionName…) file", scan.Failure!.Reason);
    }

    private static AlkNgsScan Scan(string file, NgsScanOptions? options = null)
    {
        using var stream = File.OpenRead(file);
        return AlkNgsScanner.Scan(stream, Path.GetFileName(file), options);
    }
}
