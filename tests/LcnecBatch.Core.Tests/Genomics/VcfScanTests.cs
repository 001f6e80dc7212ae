using System.Text;
using LcnecBatch.Core.Genomics;
using LcnecBatch.Core.Tests.Formats.Vcf;

namespace LcnecBatch.Core.Tests.Genomics;

/// <summary>ALK fusions and resistance mutations in VCFs as each kind of caller writes them.</summary>
public class VcfScanTests
{
    private const string SnpEff = "##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO' \">";

    private const string Vep = "##INFO=<ID=CSQ,Number=.,Type=String,Description=\"Consequence annotations from Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|EXON|INTRON|HGVSc|HGVSp\">";

    private static readonly EmlAlkVariant V1 = new("v1", "E13;A20", AlkVariantClass.Long);

    private static VcfText Grch38(string version = "VCFv4.2") => new VcfText(version).Contig("chr1", 248956422).Contig("chr2", 242193529).BreakendInfo();

    [Theory]
    [MemberData(nameof(NgsInputs.KindNames), MemberType = typeof(NgsInputs))]
    public void Scan_MantaBreakendPair_IsOneEml4AlkCallFoundByCoordinates(string kind)
    {
        var vcf = Grch38("VCFv4.1").Meta("##source=GenerateSVCandidates 1.6.0")
            .Record("chr2", 29224000, "MantaBND:7:0:1:0:0:0:0", "T", "T]chr2:42296000]", "SVTYPE=BND;MATEID=MantaBND:7:0:1:0:0:0:1;EVENT=MantaBND:7:0:1:0:0:0:0")
            .Record("chr2", 42296000, "MantaBND:7:0:1:0:0:0:1", "G", "G]chr2:29224000]", "SVTYPE=BND;MATEID=MantaBND:7:0:1:0:0:0:0;EVENT=MantaBND:7:0:1:0:0:0:0");

        var scan = Scan(vcf, kind: kind);

        Assert.True(scan.Succeeded, scan.Failure?.ToString());
        Assert.Equal(GenomeBuild.GRCh38, scan.Build);
        Assert.Equal(new AlkFusionCall("EML4", "chr2:42296000", "chr2:29224000", 13, 20, V1, "manta", GenomeBuild.GRCh38, true, false, 9), Assert.Single(scan.Fusions));
    }

    [Fact]
    public void Scan_Vcf45BreakendsWithoutSvtype_ArePairedByEvent()
    {
        var vcf = new VcfText("VCFv4.5").Contig("chr2", 242193529).Info("EVENT", "A", "String")
            .Record("chr2", 29224000, "b1", "T", "T]chr2:42296000]", "EVENT=inv1")
            .Record("chr2", 42296000, "b2", "G", "G]chr2:29224000]", "EVENT=inv1");

        var call = Assert.Single(Scan(vcf).Fusions);

        Assert.Equal(("EML4", V1, false), (call.Partner, call.Variant, call.IsReciprocal));
    }

    [Fact]
    public void Scan_BreakendsWithoutIds_ArePairedByTheirPositions()
    {
        var vcf = Grch38()
            .Record("chr2", 29224000, ".", "T", "T]chr2:42296000]")
            .Record("chr2", 29300000, ".", "T", "T[chr1:5000[")
            .Record("chr2", 42296000, ".", "G", "G]chr2:29224000]");

        var scan = Scan(vcf);

        Assert.Equal(2, scan.Fusions.Count);
        Assert.Equal(("EML4", "chr2:29224000"), (scan.Fusions[0].Partner, scan.Fusions[0].AlkBreakpoint));
        Assert.Equal((null, "chr1:5000", "chr2:29300000"), (scan.Fusions[1].Partner, scan.Fusions[1].PartnerBreakpoint, scan.Fusions[1].AlkBreakpoint));
    }

    [Theory]
    // ALK keeps the bases at or below its breakpoint (exons 20–29, the kinase): a fusion.
    [InlineData("T]chr2:42296000]", false)]
    [InlineData("T[chr2:42296000[", false)]
    // ALK keeps the bases above it (exons 1–19): the reciprocal product, reported but not counted.
    [InlineData("]chr2:42296000]T", true)]
    [InlineData("[chr2:42296000[T", true)]
    public void Scan_BracketFormAtAlk_DecidesWhetherTheKinaseIsKept(string alt, bool reciprocal)
    {
        var vcf = Grch38().Record("chr2", 29224000, "b1", "T", alt, "SVTYPE=BND");

        var call = Assert.Single(Scan(vcf).Fusions);

        Assert.Equal(reciprocal, call.IsReciprocal);
        Assert.Equal("EML4", call.Partner);
        Assert.Equal(reciprocal ? ["chr2:29224000", "chr2:42296000"] : ["chr2:42296000", "chr2:29224000"], call.Breakpoints);
        Assert.Equal(reciprocal ? null : V1, call.Variant);
    }

    [Theory]
    [InlineData("T.", false)]
    [InlineData(".T", true)]
    [InlineData("TACGT.", false)]
    public void Scan_SingleBreakendInAlk_IsACallWithoutPartner(string alt, bool reciprocal)
    {
        var vcf = Grch38().Record("chr2", 29224000, "sb1", "T", alt, "SVTYPE=BND");

        var call = Assert.Single(Scan(vcf).Fusions);

        Assert.Equal((null, null, "chr2:29224000", reciprocal), (call.Partner, call.PartnerBreakpoint, call.AlkBreakpoint, call.IsReciprocal));
        Assert.Equal(["chr2:29224000"], call.Breakpoints);
        Assert.Equal(reciprocal ? 19 : 20, call.AlkExon);
    }

    [Theory]
    [InlineData("3to3", false)]
    [InlineData("5to5", true)]
    [InlineData(null, false)]
    public void Scan_DellyInversionSpanningEml4AndAlk_IsAnEml4AlkCall(string? ct, bool reciprocal)
    {
        var vcf = new VcfText("VCFv4.2").Meta("##source=DELLY").Meta("##reference=/refs/hs37d5.fa")
            .Info("SVTYPE", "1", "String").Info("END", "1", "Integer").Info("CHR2", "1", "String").Info("CT", "1", "String")
            .Record("2", 29447000, "INV00000001", "N", "<INV>", "SVTYPE=INV;CHR2=2;END=42523000" + (ct is null ? string.Empty : $";CT={ct}"));

        var call = Assert.Single(Scan(vcf).Fusions);

        Assert.Equal(("EML4", "chr2:42523000", "chr2:29447000", "delly", GenomeBuild.GRCh37), (call.Partner, call.PartnerBreakpoint, call.AlkBreakpoint, call.Caller, call.Build));
        Assert.Equal(reciprocal, call.IsReciprocal);
        Assert.Equal(reciprocal ? null : V1, call.Variant);
    }

    [Fact]
    public void Scan_DellyOneRecordTranslocationWithSnpEffGeneFusion_NamesThePartner()
    {
        var vcf = Grch38().Meta(SnpEff).Info("CHR2", "1", "String").Info("POS2", "1", "Integer").Info("CT", "1", "String")
            .Record("chr10", 32017143, "BND00000001", "N", "N]chr2:29224000]", "SVTYPE=BND;CHR2=chr2;POS2=29224000;CT=3to3;"
                + "ANN=N]chr2:29224000]|gene_fusion|HIGH|KIF5B&ALK|ENSG00000170759&ENSG00000171094|gene_variant|ENSG00000170759|||n.32017143_29224000||||||");

        var call = Assert.Single(Scan(vcf).Fusions);

        Assert.Equal(("KIF5B", "chr10:32017143", "chr2:29224000", 20, false), (call.Partner, call.PartnerBreakpoint, call.AlkBreakpoint, call.AlkExon, call.IsReciprocal));
        Assert.Null(call.Variant);
    }

    [Fact]
    public void Scan_ArribaConvertedVcfWithInsertedBases_UsesItsGeneNamesAndFindsTheBuild()
    {
        var vcf = new VcfText("VCFv4.3").BreakendInfo().Info("GENE_NAME", "1", "String").Info("GENE_ID", "1", "String")
            .Record("2", 42491871, "1a", "A", "AGT]2:29446394]", "SVTYPE=BND;MATEID=1b;GENE_NAME=EML4;GENE_ID=ENSG00000143924")
            .Record("2", 29446394, "1b", "C", "CAC]2:42491871]", "SVTYPE=BND;MATEID=1a;GENE_NAME=ALK;GENE_ID=ENSG00000171094");

        var scan = Scan(vcf);

        Assert.Equal(GenomeBuild.GRCh37, scan.Build);
        Assert.Equal(
            new AlkFusionCall("EML4", "chr2:42491871", "chr2:29446394", 6, 20, new EmlAlkVariant("v3a", "E6a;A20", AlkVariantClass.Short), "arriba", GenomeBuild.GRCh37, true, false, 8),
            Assert.Single(scan.Fusions));
    }

    [Fact]
    public void Scan_VepAnnotatedBreakends_TakeThePartnerFromTheMatesSymbol()
    {
        var vcf = Grch38().Meta(Vep)
            .Record("chr2", 29224000, "bnd1", "T", "T]chr10:32017143]", "SVTYPE=BND;MATEID=bnd2;CSQ=T]chr10:32017143]|feature_truncation&intron_variant|MODIFIER|ALK|ENSG00000171094|Transcript|ENST00000389048.8|protein_coding||19/28||")
            .Record("chr10", 32017143, "bnd2", "C", "C]chr2:29224000]", "SVTYPE=BND;MATEID=bnd1;CSQ=C]chr2:29224000]|feature_truncation&intron_variant|MODIFIER|KIF5B|ENSG00000170759|Transcript|ENST00000302418.5|protein_coding||15/25||");

        var call = Assert.Single(Scan(vcf).Fusions);

        Assert.Equal(("KIF5B", "chr2:29224000", "chr10:32017143"), (call.Partner, call.AlkBreakpoint, call.PartnerBreakpoint));
    }

    [Fact]
    public void Scan_FailedFilter_IsReportedAsNotPassingOrDroppedOnRequest()
    {
        var vcf = Grch38()
            .Record("chr2", 29224000, "b1", "T", "T]chr2:42296000]", "SVTYPE=BND;MATEID=b2", "MinQUAL")
            .Record("chr2", 42296000, "b2", "G", "G]chr2:29224000]", "SVTYPE=BND;MATEID=b1", "MinQUAL");

        Assert.False(Assert.Single(Scan(vcf).Fusions).PassesFilter);
        var strict = Scan(vcf, options: new NgsScanOptions { ReportFilteredVcfCalls = false });
        Assert.Empty(strict.Fusions);
        Assert.Equal(1, strict.CallsFilteredOut);
    }

    [Fact]
    public void Scan_AlkMissenseAnnotations_GiveResistanceMutationsWithTheirInhibitors()
    {
        var vcf = new VcfText("VCFv4.2").Contig("chr2", 242193529).Contig("chr5", 181538259).Meta(SnpEff).Meta(Vep)
            .Record("chr2", 29220765, ".", "C", "T", Ann("T", "ALK", "p.Gly1202Arg"))
            .Record("chr2", 29220829, ".", "G", "T,A", Ann("T", "ALK", "p.Leu1196Leu") + "," + Ann("A", "ALK", "p.Leu1196Met")[4..])
            .Record("chr2", 29222400, ".", "C", "T", "CSQ=T|missense_variant|MODERATE|ALK|ENSG00000171094|Transcript|ENST00000389048.8|protein_coding|22/29||c.3467G>A|ENSP00000375495.3:p.Cys1156Tyr")
            .Record("chr2", 29300000, ".", "A", "G", Ann("G", "ALK", "p.Arg1275Gln"))
            .Record("chr5", 1000, ".", "A", "G", Ann("G", "ALK", "p.Gly1202Arg"))
            .Record("chr2", 29220770, ".", "C", "G", Ann("G", "ALKAL2", "p.Gly1202Arg"))
            .Record("chr2", 29220766, ".", "C", "G", Ann("G", "ALK", "p.Gly1202Arg"), "LowQual");

        var mutations = Scan(vcf).Mutations;

        Assert.Equal(
            ["G1202R chr2:29220765 C>T pass", "L1196M chr2:29220829 G>A pass", "C1156Y chr2:29222400 C>T pass", "G1202R chr2:29220766 C>G filtered"],
            mutations.Select(m => $"{m.Protein} {m.Position} {m.Ref}>{m.Alt} {(m.PassesFilter ? "pass" : "filtered")}"));
        var g1202r = mutations[0];
        Assert.Equal((23, GenomeBuild.GRCh38, 7L), (g1202r.Exon, g1202r.Build, g1202r.Line));
        Assert.Equal(["crizotinib", "ceritinib", "alectinib"], g1202r.ResistantTo);
        Assert.Equal(["lorlatinib"], g1202r.SensitiveTo);
    }

    [Fact]
    public void Scan_MalformedBreakend_FailsWithLineAndAltColumn()
    {
        var vcf = Grch38().Samples("DOE^JOHN")
            .Record("chr5", 1000, "b1", "T", "T]chr2:4229600", "SVTYPE=BND", "PASS", "GT", "0/1");

        var scan = Scan(vcf);

        Assert.False(scan.Succeeded);
        Assert.Equal(new("S26-04417.vcf", 8, "column 5 (ALT): allele 1 is not a valid breakend (t[p[, t]p], ]p]t, [p[t, t. or .t)"), scan.Failure);
        Assert.Equal(5, scan.FailureColumn);
        Assert.Empty(scan.SampleNames);
        Assert.Empty(scan.Fusions);
        Assert.DoesNotContain("DOE", scan.Failure!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("S26-04417.vcf", false)]
    [InlineData("2026-11-27/S26-04417.vcf.gz", false)]
    [InlineData("S26-09999.vcf.bgz", true)]
    public void Scan_SampleColumns_AreReportedAndComparedWithTheAccession(string fileName, bool mismatch)
    {
        var vcf = Grch38().Samples("S26-04417-T", "S26-04417-N").Record("chr1", 5, ".", "A", "G", ".", "PASS", "GT", "0/1", "0/0");

        var scan = Scan(vcf, fileName);

        Assert.Equal(["S26-04417-T", "S26-04417-N"], scan.SampleNames);
        Assert.Equal(mismatch, scan.SampleMismatch);
    }

    [Theory]
    [InlineData("S26-04417.vcf", "S26-04417")]
    [InlineData("batch/S26-04417.VCF.GZ", "S26-04417")]
    [InlineData("S26-04417.vcf.bgz", "S26-04417")]
    [InlineData("S26-04417.arriba.tsv", "S26-04417")]
    [InlineData("S26-04417.star-fusion.tsv", "S26-04417")]
    [InlineData("S26-04417.tsv", null)]
    [InlineData(".vcf", null)]
    public void AccessionOf_NgsFileNames_GiveTheAccession(string fileName, string? accession)
    {
        Assert.Equal(accession, AlkNgsScanner.AccessionOf(fileName));
        Assert.Equal(accession is not null, AlkNgsScanner.IsNgsFileName(fileName));
    }

    [Fact]
    public void Scan_LeavesTheCallersStreamOpen()
    {
        using var stream = new MemoryStream(Grch38().ToBytes());

        AlkNgsScanner.Scan(stream, "S26-04417.vcf");

        Assert.True(stream.CanRead);
    }

    private static string Ann(string allele, string gene, string protein) =>
        $"ANN={allele}|missense_variant|MODERATE|{gene}|ENSG00000171094|transcript|ENST00000389048.8|protein_coding|23/29|c.3604G>A|{protein}||||||";

    // Every input is also read split at every chunk, gzip-member and BGZF-block boundary, and must read alike.
    private static AlkNgsScan Scan(VcfText vcf, string fileName = "S26-04417.vcf", NgsScanOptions? options = null, string kind = "plain")
    {
        var bytes = Encoding.UTF8.GetBytes(vcf.ToString());
        if (kind == "plain")
        {
            return NgsInputs.ScanAtEverySplit(bytes, fileName, options);
        }
        using var stream = NgsInputs.Open(kind, bytes);
        return AlkNgsScanner.Scan(stream, fileName, options);
    }
}
