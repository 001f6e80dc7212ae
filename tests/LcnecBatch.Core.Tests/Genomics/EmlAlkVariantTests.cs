using LcnecBatch.Core.Genomics;

namespace LcnecBatch.Core.Tests.Genomics;

/// <summary>Every EML4–ALK variant of genomics.md §2.4, by exon and by coordinates on both builds.</summary>
public class EmlAlkVariantTests
{
    public static TheoryData<string, int, int, int, string, string, AlkVariantClass> Variants() => new()
    {
        // EML4 exon, bases lost from its end, bases inserted, bases lost from ALK exon 20 → name, notation, class.
        { "13", 0, 0, 0, "v1", "E13;A20", AlkVariantClass.Long },
        { "20", 0, 0, 0, "v2", "E20;A20", AlkVariantClass.Long },
        { "6a", 0, 0, 0, "v3a", "E6a;A20", AlkVariantClass.Short },
        { "6b", 0, 0, 0, "v3b", "E6b;A20", AlkVariantClass.Short },
        { "14", 0, 11, 49, "v4", "E14;ins11del49A20", AlkVariantClass.Long },
        { "2", 0, 0, 0, "v5a", "E2;A20", AlkVariantClass.Short },
        { "2", 0, 117, 0, "v5b", "E2;ins117A20", AlkVariantClass.Short },
        { "18", 0, 0, 0, "v5′", "E18;A20", AlkVariantClass.Long },
        { "13", 0, 69, 0, "v6", "E13;ins69A20", AlkVariantClass.Long },
        { "14", 0, 0, 12, "v7", "E14;del12A20", AlkVariantClass.Long },
        { "17", 0, 30, 0, "v8a", "E17;ins30A20", AlkVariantClass.Long },
        { "17", 0, 61, 0, "v8b", "E17;ins61A20", AlkVariantClass.Long },
        { "15", 19, 0, 20, "v4′", "E15del19;del20A20", AlkVariantClass.Long },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void FromExons_EachKnownVariant_IsNamedAndClassed(string eml4Exon, int eml4Deleted, int inserted, int alkDeleted, string name, string notation, AlkVariantClass variantClass)
    {
        Assert.Equal(new EmlAlkVariant(name, notation, variantClass), EmlAlkVariant.FromExons(eml4Exon, 20, eml4Deleted, inserted, alkDeleted));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void FromBreakpoints_EachKnownVariant_IsFoundFromItsJunctionOnBothBuilds(string eml4Exon, int eml4Deleted, int inserted, int alkDeleted, string name, string notation, AlkVariantClass variantClass)
    {
        foreach (var build in new[] { GenomeBuild.GRCh37, GenomeBuild.GRCh38 })
        {
            var exonLabel = eml4Exon == "6a" ? "6" : eml4Exon;
            var eml4End = GeneModel.Eml4(build).Exons.Single(e => e.Label == exonLabel).End;
            var alkStart = GeneModel.Alk(build).Exons.Single(e => e.Label == "20").End;

            var variant = EmlAlkVariant.FromBreakpoints(build, eml4End - eml4Deleted, alkStart - alkDeleted, inserted);

            Assert.Equal(new EmlAlkVariant(name, notation, variantClass), variant);
        }
    }

    [Theory]
    [InlineData(GenomeBuild.GRCh37, 42522656L, 29446394L, "v1")]
    [InlineData(GenomeBuild.GRCh38, 42295516L, 29223528L, "v1")]
    [InlineData(GenomeBuild.GRCh37, 42492091L, 29446394L, "v3b")]
    [InlineData(GenomeBuild.GRCh38, 42264951L, 29223528L, "v3b")]
    [InlineData(GenomeBuild.GRCh37, 42491871L, 29446394L, "v3a")]
    [InlineData(GenomeBuild.GRCh38, 42325554L, 29223528L, "v2")]
    [InlineData(GenomeBuild.GRCh37, 42552694L, 29446394L, "v2")]
    // SplitFusion reports the H2228 junction two bases into ALK exon 20 (microhomology): still v3a.
    [InlineData(GenomeBuild.GRCh37, 42491871L, 29446396L, "v3a")]
    public void FromBreakpoints_PublishedJunctions_MatchGenomicsReference(GenomeBuild build, long eml4, long alk, string name)
    {
        Assert.Equal(name, EmlAlkVariant.FromBreakpoints(build, eml4, alk)?.Name);
    }

    [Theory]
    // DNA breakpoints in introns: EML4 intron 13 and ALK intron 19 splice to E13;A20.
    [InlineData(42296000L, 29224000L, "v1", "E13;A20", AlkVariantClass.Long)]
    // Intron 6 before the cryptic exon 6b keeps exon 6 only; past it, both 6 and 6b are spliced in.
    [InlineData(42264800L, 29224000L, "v3a", "E6a;A20", AlkVariantClass.Short)]
    [InlineData(42265500L, 29224000L, "v3a/v3b", "E6a/b;A20", AlkVariantClass.Short)]
    public void FromBreakpoints_IntronicDnaBreakpoints_NameTheSplicedVariant(long eml4, long alk, string name, string notation, AlkVariantClass variantClass)
    {
        Assert.Equal(new EmlAlkVariant(name, notation, variantClass), EmlAlkVariant.FromBreakpoints(GenomeBuild.GRCh38, eml4, alk));
    }

    [Fact]
    public void FromBreakpoints_UnnamedExonOrOtherAlkExon_GivesNotationAndClassOnly()
    {
        // EML4 exon 21 end; ALK exon 19 start (a rare non-exon-20 fusion).
        Assert.Equal(new EmlAlkVariant(null, "E21;A20", AlkVariantClass.Long), EmlAlkVariant.FromBreakpoints(GenomeBuild.GRCh38, 42326252, 29223528));
        Assert.Equal(new EmlAlkVariant(null, "E6;A19", AlkVariantClass.Short), EmlAlkVariant.FromBreakpoints(GenomeBuild.GRCh38, 42264731, 29225565));
        Assert.Equal(new EmlAlkVariant(null, "E13;A19", AlkVariantClass.Long), EmlAlkVariant.FromExons("13", 19));
    }

    [Fact]
    public void FromBreakpoints_OutsideTheGenes_IsNull()
    {
        Assert.Null(EmlAlkVariant.FromBreakpoints(GenomeBuild.GRCh38, 42_000_000, 29223528));
        Assert.Null(EmlAlkVariant.FromBreakpoints(GenomeBuild.GRCh38, 42295516, 31_000_000));
    }

    [Fact]
    public void GeneModels_MatchTheCoordinatesGenomicsMdGives()
    {
        var alk37 = GeneModel.Alk(GenomeBuild.GRCh37);
        var alk38 = GeneModel.Alk(GenomeBuild.GRCh38);
        Assert.Equal(29, alk38.Exons.Count);
        Assert.Equal((29446208L, 29446394L), (alk37.Exons[19].Start, alk37.Exons[19].End));
        Assert.Equal((29448327L, 29448431L), (alk37.Exons[18].Start, alk37.Exons[18].End));
        Assert.Equal((29445383L, 29445473L), (alk37.Exons[20].Start, alk37.Exons[20].End));
        Assert.Equal((29223342L, 29223528L), (alk38.Exons[19].Start, alk38.Exons[19].End));
        Assert.False(alk38.PlusStrand);
        var eml4 = GeneModel.Eml4(GenomeBuild.GRCh38);
        Assert.True(eml4.PlusStrand);
        Assert.Equal(23, eml4.Exons.Count(e => !e.IsCryptic));
        Assert.Equal(33, eml4.Exons.Single(e => e.IsCryptic).End - eml4.Exons.Single(e => e.IsCryptic).Start + 1);
    }
}
