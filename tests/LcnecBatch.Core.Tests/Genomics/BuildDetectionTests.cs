using System.Text;
using LcnecBatch.Core.Formats.Vcf;
using LcnecBatch.Core.Genomics;
using LcnecBatch.Core.Tests.Formats.Vcf;

namespace LcnecBatch.Core.Tests.Genomics;

/// <summary>The genome build: configured, from the VCF header (chr2 length, ##reference), or from the breakpoints.</summary>
public class BuildDetectionTests
{
    [Theory]
    [InlineData("##contig=<ID=2,length=243199373>", GenomeBuild.GRCh37)]
    [InlineData("##contig=<ID=chr2,length=243199373,assembly=b37>", GenomeBuild.GRCh37)]
    [InlineData("##contig=<ID=chr2,length=242193529>", GenomeBuild.GRCh38)]
    [InlineData("##contig=<ID=2,length=242193529,md5=f98db672eb0993dcfdabafe2a882905c>", GenomeBuild.GRCh38)]
    [InlineData("##contig=<ID=NC_000002.11>", GenomeBuild.GRCh37)]
    [InlineData("##contig=<ID=NC_000002.12>", GenomeBuild.GRCh38)]
    [InlineData("##reference=file:///refs/hs37d5.fa", GenomeBuild.GRCh37)]
    [InlineData("##reference=/data/ucsc.hg19.fasta", GenomeBuild.GRCh37)]
    [InlineData("##reference=file:///ref/human_g1k_v37.fasta", GenomeBuild.GRCh37)]
    [InlineData("##reference=ftp://ftp.ensembl.org/pub/release-98/fasta/homo_sapiens/dna/Homo_sapiens.GRCh38.dna.primary_assembly.fa", GenomeBuild.GRCh38)]
    [InlineData("##reference=/refs/GRCh38_full_analysis_set_plus_decoy_hla.fa", GenomeBuild.GRCh38)]
    [InlineData("##reference=file:///ref/Homo_sapiens_assembly38.fasta", GenomeBuild.GRCh38)]
    [InlineData("##assembly=hg38", GenomeBuild.GRCh38)]
    [InlineData("##reference=/refs/genome.fa", null)]
    [InlineData("##reference=/refs/hg19_to_hg38_liftover.fa", null)]
    [InlineData("##contig=<ID=chr2,length=242000000>", null)]
    public void Header_BuildFromContigLengthOrReference(string meta, GenomeBuild? build)
    {
        using var reader = VcfReader.Open(new MemoryStream(new VcfText().Meta(meta).ToBytes()));

        Assert.Equal(build, reader.Header.Build);
    }

    [Fact]
    public void Header_Chr2LengthOutranksTheReferenceName()
    {
        var vcf = new VcfText().Meta("##reference=/refs/hg19.fa").Contig("chr2", 242193529);

        using var reader = VcfReader.Open(new MemoryStream(vcf.ToBytes()));

        Assert.Equal(GenomeBuild.GRCh38, reader.Header.Build);
    }

    [Theory]
    [InlineData(29446394L, GenomeBuild.GRCh37)]
    [InlineData(29446396L, GenomeBuild.GRCh37)]
    [InlineData(29447000L, GenomeBuild.GRCh37)]
    [InlineData(29223528L, GenomeBuild.GRCh38)]
    [InlineData(29224000L, GenomeBuild.GRCh38)]
    [InlineData(29300000L, null)]
    public void BuildFromAlkBreakpoint_OnlyOneBuildsWindowFits(long position, GenomeBuild? build)
    {
        Assert.Equal(build, AlkLocus.BuildFromAlkBreakpoint(position));
    }

    [Fact]
    public void Scan_HeaderWithoutBuild_TakesItFromTheAlkBreakpoint()
    {
        var vcf = new VcfText().BreakendInfo().Record("2", 29446394, "b1", "C", "C]2:42522656]", "SVTYPE=BND");

        var scan = Scan(vcf);

        Assert.Equal(GenomeBuild.GRCh37, scan.Build);
        Assert.Equal(("EML4", "v1"), (Assert.Single(scan.Fusions).Partner, scan.Fusions[0].Variant?.Name));
    }

    [Fact]
    public void Scan_ConfiguredBuild_OverridesTheHeader()
    {
        var vcf = new VcfText().Meta("##reference=/refs/hg19.fa").BreakendInfo().Record("chr2", 29223528, "b1", "C", "C]chr2:42295516]", "SVTYPE=BND");

        Assert.Null(Scan(vcf).Fusions.SingleOrDefault()?.Variant);
        var configured = Scan(vcf, new NgsScanOptions { GenomeBuild = GenomeBuild.GRCh38 });
        Assert.Equal(GenomeBuild.GRCh38, configured.Build);
        Assert.Equal("v1", Assert.Single(configured.Fusions).Variant?.Name);
    }

    [Theory]
    [InlineData("GRCh37", GenomeBuild.GRCh37)]
    [InlineData("hg19", GenomeBuild.GRCh37)]
    [InlineData("38", GenomeBuild.GRCh38)]
    [InlineData("HG38", GenomeBuild.GRCh38)]
    [InlineData("T2T", null)]
    public void Parse_ConfigurationWords(string word, GenomeBuild? build)
    {
        Assert.Equal(build, GenomeBuilds.Parse(word));
    }

    private static AlkNgsScan Scan(VcfText vcf, NgsScanOptions? options = null) =>
        NgsInputs.ScanAtEverySplit(Encoding.UTF8.GetBytes(vcf.ToString()), "S26-04417.vcf", options);
}
