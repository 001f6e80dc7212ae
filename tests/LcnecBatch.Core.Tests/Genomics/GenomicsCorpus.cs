namespace LcnecBatch.Core.Tests.Genomics;

/// <summary>
/// The real caller outputs in <c>../shared/corpus/genomics</c>, read in place (never copied into the repository).
/// Tests using them skip when the folder is absent.
/// </summary>
internal static class GenomicsCorpus
{
    public static string? Root { get; } = Find();

    /// <summary>The files the scanner must read: VCFs, Arriba fusions tables, STAR-Fusion predictions.</summary>
    public static IEnumerable<string> NgsFiles() =>
        Root is null
            ? []
            : Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(f) is var name && (name.EndsWith(".vcf", StringComparison.Ordinal) || name.EndsWith(".vcf.gz", StringComparison.Ordinal)
                    || name == "fusions.tsv" || name.StartsWith("star-fusion.", StringComparison.Ordinal)))
                .Order(StringComparer.Ordinal);

    public static string File(string relative) => Path.Combine(Root!, relative);

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "corpus", "genomics"), Path.Combine(dir.FullName, "..", "shared", "corpus", "genomics") })
            {
                if (Directory.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }
        return null;
    }
}

/// <summary>A fact that needs the genomics corpus: skipped when <c>../shared/corpus/genomics</c> is absent.</summary>
public sealed class GenomicsCorpusFactAttribute : FactAttribute
{
    public GenomicsCorpusFactAttribute()
    {
        if (GenomicsCorpus.Root is null)
        {
            Skip = "../shared/corpus/genomics is not present";
        }
    }
}
