using LcnecBatch.Core.Genomics;
using LcnecBatch.Core.Tests.Formats.Vcf;

namespace LcnecBatch.Core.Tests.Genomics;

/// <summary>Which raw files can show an ALK fusion (and so are an ALK test): read from the real scanner on real bytes.</summary>
public class FusionCapabilityTests
{
    private static AlkNgsScan Scan(VcfText vcf, string name = "S-1.vcf") => AlkNgsScanner.Scan(new MemoryStream(vcf.ToBytes()), name);

    private static VcfText Panel() => new VcfText("VCFv4.2").Contig("chr2", 242193529).Contig("chr17", 83257441);

    [Fact]
    public void SmallVariantVcf_CannotShowAFusion()
    {
        var scan = Scan(Panel().Record("chr17", 7673802, ".", "C", "T"));

        Assert.True(scan.Succeeded);
        Assert.False(scan.IsFusionCapable);
    }

    [Fact]
    public void GvcfNonRefBlocks_AreNotStructuralVariants()
    {
        var scan = Scan(Panel().Meta("##ALT=<ID=NON_REF,Description=\"Any other allele\">").Record("chr17", 7673802, ".", "C", "<NON_REF>").Record("chr17", 7673900, ".", "G", "A,<*>"));

        Assert.False(scan.IsFusionCapable);
    }

    [Theory]
    [InlineData("##INFO=<ID=SVTYPE,Number=1,Type=String,Description=\"Type of structural variant\">")]
    [InlineData("##ALT=<ID=BND,Description=\"Breakend\">")]
    [InlineData("##ALT=<ID=DEL,Description=\"Deletion\">")]
    [InlineData("##ALT=<ID=INV,Description=\"Inversion\">")]
    [InlineData("##INFO=<ID=MATEID,Number=.,Type=String,Description=\"ID of mate breakends\">")]
    public void HeaderDeclaringSvCalling_MakesAFileWithoutCallsAnAlkTest(string meta)
    {
        var scan = Scan(Panel().Meta(meta).Record("chr17", 7673802, ".", "C", "T"));

        Assert.True(scan.IsFusionCapable);
        Assert.Empty(scan.Fusions);
    }

    [Theory]
    [InlineData("<DEL>")]
    [InlineData("<DUP:TANDEM>")]
    [InlineData("T]chr17:7600000]")]
    public void StructuralRecordWithoutHeader_MakesTheFileFusionCapable(string alt)
    {
        var scan = Scan(Panel().Record("chr17", 7673802, ".", "C", alt, alt.StartsWith('<') ? "END=7674000" : "."));

        Assert.True(scan.IsFusionCapable);
    }

    [Fact]
    public void FusionTable_AlwaysCanShowAFusion()
    {
        const string header = "#FusionName\tJunctionReadCount\tSpanningFragCount\test_J\test_S\tSpliceType\tLeftGene\tLeftBreakpoint\tRightGene\tRightBreakpoint\tLargeAnchorSupport\tFFPM\n";
        var scan = AlkNgsScanner.Scan(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(header)), "S-1.star-fusion.tsv");

        Assert.True(scan.Succeeded);
        Assert.True(scan.IsFusionCapable);
    }
}
