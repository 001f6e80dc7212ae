namespace LcnecBatch.Core.Genomics;

/// <summary>
/// Where ALK and EML4 lie on chromosome 2 in each build, and what a breakpoint there says: the gene it falls in,
/// the build it can only belong to, the contig's canonical name. Coordinates are 1-based.
/// </summary>
public static class AlkLocus
{
    /// <summary>RNA callers put the ALK junction at exon 20's first base; microhomology shifts it by a few bases (genomics.md 2.2).</summary>
    public const int JunctionTolerance = 3;

    private static readonly GenomeBuild[] Builds = [GenomeBuild.GRCh37, GenomeBuild.GRCh38];

    /// <summary>"2", "chr2", "CHR2", "NC_000002.11" or ".12": chromosome 2 under any common naming.</summary>
    public static bool IsChr2(ReadOnlySpan<char> contig) =>
        contig is "2" || contig.Equals("chr2", StringComparison.OrdinalIgnoreCase) || contig.StartsWith("NC_000002.", StringComparison.Ordinal);

    /// <summary>The build a RefSeq chromosome accession pins (NC_000002.11 is GRCh37, .12 GRCh38), or null.</summary>
    public static GenomeBuild? BuildFromContig(ReadOnlySpan<char> contig) => contig switch
    {
        "NC_000002.11" => GenomeBuild.GRCh37,
        "NC_000002.12" => GenomeBuild.GRCh38,
        _ => null,
    };

    /// <summary>A contig as reports show it: <c>chr</c> prefix, <c>chrM</c> for the mitochondrion, RefSeq chromosome accessions resolved.</summary>
    public static string CanonicalContig(ReadOnlySpan<char> contig)
    {
        if (contig.StartsWith("NC_012920", StringComparison.Ordinal))
        {
            return "chrM";
        }
        if (contig.StartsWith("NC_0000", StringComparison.Ordinal) && contig.Length >= 9 && int.TryParse(contig[7..9], out var number))
        {
            return number switch { 23 => "chrX", 24 => "chrY", _ => $"chr{number}" };
        }
        var bare = contig.StartsWith("chr", StringComparison.OrdinalIgnoreCase) ? contig[3..] : contig;
        return bare is "MT" or "M" ? "chrM" : string.Concat("chr", bare);
    }

    /// <summary>Inside the ALK gene on <paramref name="build"/>, or on either build when it is unknown.</summary>
    public static bool InAlk(long position, GenomeBuild? build) => Models(build, GeneModel.Alk).Any(m => m.Spans(position));

    /// <summary>Inside the EML4 gene on <paramref name="build"/>, or on either build when it is unknown.</summary>
    public static bool InEml4(long position, GenomeBuild? build) => Models(build, GeneModel.Eml4).Any(m => m.Spans(position));

    /// <summary>
    /// The only build on which this ALK breakpoint is a fusion breakpoint: exon 20's first base (RNA) or intron 19
    /// (DNA). The two builds' windows are 222 kb apart, so at most one matches.
    /// </summary>
    public static GenomeBuild? BuildFromAlkBreakpoint(long position)
    {
        foreach (var build in Builds)
        {
            var alk = GeneModel.Alk(build);
            var exon20 = alk.Exons.Single(e => e.Label == "20");
            var exon19 = alk.Exons.Single(e => e.Label == "19");
            if (Math.Abs(position - exon20.End) <= JunctionTolerance || (position > exon20.End && position < exon19.Start))
            {
                return build;
            }
        }
        return null;
    }

    /// <summary>The only build on which this EML4 breakpoint is the end of an exon (±<see cref="JunctionTolerance"/>), or null.</summary>
    public static GenomeBuild? BuildFromEml4Breakpoint(long position)
    {
        var matches = Builds.Where(b => GeneModel.Eml4(b).Exons.Any(e => Math.Abs(position - e.End) <= JunctionTolerance)).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    private static IEnumerable<GeneModel> Models(GenomeBuild? build, Func<GenomeBuild, GeneModel> model) =>
        build is { } b ? [model(b)] : Builds.Select(model);
}
