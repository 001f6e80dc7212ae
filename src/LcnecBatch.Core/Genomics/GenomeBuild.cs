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
