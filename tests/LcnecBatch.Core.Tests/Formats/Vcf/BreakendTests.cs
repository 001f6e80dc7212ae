using LcnecBatch.Core.Formats.Vcf;

namespace LcnecBatch.Core.Tests.Formats.Vcf;

/// <summary>Each breakend ALT form against the meaning VCF 4.3/4.5 §5.4 gives it.</summary>
public class BreakendTests
{
    [Theory]
    // t[p[: the piece extending right of p is joined after t.
    [InlineData("G[17:198983[", "17", 198983L, true, false, "")]
    // t]p]: the reverse complement of the piece extending left of p is joined after t.
    [InlineData("G]17:198982]", "17", 198982L, true, true, "")]
    // ]p]t: the piece extending left of p is joined before t.
    [InlineData("]13:123456]T", "13", 123456L, false, true, "")]
    // [p[t: the reverse complement of the piece extending right of p is joined before t.
    [InlineData("[2:321682[A", "2", 321682L, false, false, "")]
    public void TryParse_EachBracketForm_GivesTheSidesEachPieceKeeps(string alt, string contig, long position, bool localKeepsLeft, bool mateKeepsLeft, string inserted)
    {
        Assert.True(Breakend.TryParse(alt, out var breakend));

        Assert.Equal(new Breakend(contig, position, localKeepsLeft, mateKeepsLeft, inserted), breakend);
        Assert.False(breakend!.IsSingle);
    }

    [Theory]
    // The spec's examples: inserted bases sit between t's REF base and the bracket.
    [InlineData("CAGTNNNNNCA[2:321682[", true, false, "AGTNNNNNCA")]
    [InlineData("CAGTNNNNNCA]2:321682]", true, true, "AGTNNNNNCA")]
    [InlineData("]13:123456]AGTNNNNNCAT", false, true, "AGTNNNNNCA")]
    [InlineData("[13:123456[AGTNNNNNCAT", false, false, "AGTNNNNNCA")]
    public void TryParse_InsertedBases_AreTheBasesBesideTheRefBase(string alt, bool localKeepsLeft, bool mateKeepsLeft, string inserted)
    {
        Assert.True(Breakend.TryParse(alt, out var breakend));

        Assert.Equal(inserted, breakend!.InsertedBases);
        Assert.Equal(localKeepsLeft, breakend.LocalKeepsLeft);
        Assert.Equal(mateKeepsLeft, breakend.MateKeepsLeft);
    }

    [Theory]
    [InlineData("G.", true, "")]
    [InlineData(".A", false, "")]
    [InlineData("GTTAC.", true, "TTAC")]
    [InlineData(".TTACA", false, "TTAC")]
    public void TryParse_SingleBreakends_KeepOneSideAndHaveNoMate(string alt, bool localKeepsLeft, string inserted)
    {
        Assert.True(Breakend.TryParse(alt, out var breakend));

        Assert.True(breakend!.IsSingle);
        Assert.Null(breakend.MateContig);
        Assert.Null(breakend.MateKeepsLeft);
        Assert.Equal(localKeepsLeft, breakend.LocalKeepsLeft);
        Assert.Equal(inserted, breakend.InsertedBases);
    }

    [Theory]
    [InlineData("N]chr2:29446394]", "chr2", 29446394L)]
    [InlineData("N[<ctg1>:7[", "ctg1", 7L)]
    [InlineData("N]HLA-A*01:01:01:01:250]", "HLA-A*01:01:01:01", 250L)]
    public void TryParse_MateContigNames_AreReadUpToTheLastColon(string alt, string contig, long position)
    {
        Assert.True(Breakend.TryParse(alt, out var breakend));

        Assert.Equal(contig, breakend!.MateContig);
        Assert.Equal(position, breakend.MatePosition);
    }

    [Theory]
    [InlineData("N[2:100]")]
    [InlineData("N]2:100[")]
    [InlineData("N[2100[")]
    [InlineData("N[2:x[")]
    [InlineData("[2:100[")]
    [InlineData("N[:100[")]
    [InlineData("NX[2:100[")]
    [InlineData("A")]
    [InlineData("<DEL>")]
    [InlineData("..")]
    public void TryParse_BrokenOrNonBreakendAlleles_AreRefused(string alt)
    {
        Assert.False(Breakend.TryParse(alt, out var breakend));
        Assert.Null(breakend);
    }

    [Theory]
    [InlineData("3to5", true, false)]
    [InlineData("3to3", true, true)]
    [InlineData("5to5", false, false)]
    [InlineData("5to3", false, true)]
    public void FromConnectionType_DellyCt_MatchesTheBracketFormDellyWrites(string ct, bool localKeepsLeft, bool mateKeepsLeft)
    {
        // DELLY writes 3to3 as N]p], 5to5 as [p[N, 3to5 as N[p[, 5to3 as ]p]N.
        var alt = ct switch { "3to3" => "N]2:1]", "5to5" => "[2:1[N", "3to5" => "N[2:1[", _ => "]2:1]N" };
        Assert.True(Breakend.TryParse(alt, out var written));

        Assert.Equal((localKeepsLeft, mateKeepsLeft), Breakend.FromConnectionType(ct));
        Assert.Equal((written!.LocalKeepsLeft, written.MateKeepsLeft!.Value), Breakend.FromConnectionType(ct));
    }
}
