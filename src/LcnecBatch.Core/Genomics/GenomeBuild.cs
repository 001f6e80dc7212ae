namespace LcnecBatch.Core.Genomics;

/// <summary>The human reference assemblies NGS files in this system are aligned to.</summary>
public enum GenomeBuild
{
    GRCh37,
    GRCh38,
}

/// <summary>Recognises a build from the words and numbers files carry: reference names and chromosome 2's length.</summary>
public static class GenomeBuilds
{
    /// <summary>Length of chromosome 2 in GRCh37/hg19 (also b37, hs37d5).</summary>
    public const long Chr2LengthGrch37 = 243_199_373;

    /// <summary>Length of chromosome 2 in GRCh38/hg38.</summary>
    public const long Chr2LengthGrch38 = 242_193_529;

    private static readonly string[] ChromosomeNames =
        ["chr1", "chr2", "chr3", "chr4", "chr5", "chr6", "chr7", "chr8", "chr9", "chr10", "chr11", "chr12", "chr13", "chr14", "chr15", "chr16",
         "chr17", "chr18", "chr19", "chr20", "chr21", "chr22", "chrX", "chrY", "chrM"];

    // UCSC hg19/hg38 chrom.sizes (hg19's chrM is 16,571 bases; GRCh37's MT, the rCRS, 16,569: the longer is kept).
    private static readonly long[] Grch37Lengths =
        [249_250_621, Chr2LengthGrch37, 198_022_430, 191_154_276, 180_915_260, 171_115_067, 159_138_663, 146_364_022, 141_213_431, 135_534_747,
         135_006_516, 133_851_895, 115_169_878, 107_349_540, 102_531_392, 90_354_753, 81_195_210, 78_077_248, 59_128_983, 63_025_520,
         48_129_895, 51_304_566, 155_270_560, 59_373_566, 16_571];

    private static readonly long[] Grch38Lengths =
        [248_956_422, Chr2LengthGrch38, 198_295_559, 190_214_555, 181_538_259, 170_805_979, 159_345_973, 145_138_636, 138_394_717, 133_797_422,
         135_086_622, 133_275_309, 114_364_328, 107_043_718, 101_991_189, 90_338_345, 83_257_441, 80_373_285, 58_617_616, 64_444_167,
         46_709_983, 50_818_468, 156_040_895, 57_227_415, 16_569];

    private static readonly string[] Grch38Names = ["grch38", "hg38", "hs38", "b38", "assembly38", "gca_000001405.15"];

    private static readonly string[] Grch37Names = ["grch37", "hg19", "hs37", "b37", "human_g1k_v37", "ncbi37", "assembly19"];

    /// <summary>The build named in a <c>##reference</c>/<c>##assembly</c> value (a path or URL), or null when none or both are named.</summary>
    public static GenomeBuild? FromName(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var lower = text.ToLowerInvariant();
        var is38 = Grch38Names.Any(n => ContainsWord(lower, n));
        var is37 = Grch37Names.Any(n => ContainsWord(lower, n));
        return (is38, is37) switch
        {
            (true, false) => GenomeBuild.GRCh38,
            (false, true) => GenomeBuild.GRCh37,
            _ => null,
        };
    }

    /// <summary>The build whose chromosome 2 has this length, or null.</summary>
    public static GenomeBuild? FromChr2Length(long length) => length switch
    {
        Chr2LengthGrch37 => GenomeBuild.GRCh37,
        Chr2LengthGrch38 => GenomeBuild.GRCh38,
        _ => null,
    };

    /// <summary>
    /// The length of a primary chromosome (1–22, X, Y, M under any naming <see cref="AlkLocus.CanonicalContig"/> reads)
    /// on a build; with no build, the longer of the two, so a position beyond it is on neither. Null for other contigs.
    /// </summary>
    public static long? ChromosomeLength(string contig, GenomeBuild? build)
    {
        var index = Array.IndexOf(ChromosomeNames, AlkLocus.CanonicalContig(contig));
        if (index < 0)
        {
            return null;
        }
        return build switch
        {
            GenomeBuild.GRCh37 => Grch37Lengths[index],
            GenomeBuild.GRCh38 => Grch38Lengths[index],
            _ => Math.Max(Grch37Lengths[index], Grch38Lengths[index]),
        };
    }

    /// <summary>"GRCh37", "hg19", "37", "GRCh38", "hg38", "38" (any case) to a build; anything else null.</summary>
    public static GenomeBuild? Parse(string? word) => word?.Trim().ToLowerInvariant() switch
    {
        "grch37" or "hg19" or "37" or "b37" => GenomeBuild.GRCh37,
        "grch38" or "hg38" or "38" or "b38" => GenomeBuild.GRCh38,
        _ => null,
    };

    // "b37" must not match inside "ab375": a name counts where no letter precedes it and no digit follows it.
    private static bool ContainsWord(string text, string word)
    {
        for (var at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            var end = at + word.Length;
            var startOk = at == 0 || !char.IsLetter(text[at - 1]);
            var endOk = end == text.Length || !char.IsDigit(text[end]);
            if (startOk && endOk)
            {
                return true;
            }
        }
        return false;
    }
}
