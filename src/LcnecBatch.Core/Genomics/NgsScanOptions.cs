using LcnecBatch.Core.Formats.Fusions;

namespace LcnecBatch.Core.Genomics;

/// <summary>How <see cref="AlkNgsScanner"/> reads NGS files: one immutable record, defaults for screening.</summary>
public sealed record NgsScanOptions
{
    public static NgsScanOptions Default { get; } = new();

    /// <summary>
    /// The build to assume, overriding what a file says: set it when a lab's pipeline is known. Null: the VCF
    /// header (chr2 length, <c>##reference</c>), then the breakpoints themselves (ALK intron 19 / exon 20 windows).
    /// </summary>
    public GenomeBuild? GenomeBuild { get; init; }

    /// <summary>Arriba calls below this confidence are dropped (Arriba's own advice: <c>low</c> is mostly noise).</summary>
    public ArribaConfidence ArribaMinimumConfidence { get; init; } = ArribaConfidence.Medium;

    /// <summary>STAR-Fusion calls below this many fusion fragments per million reads are dropped (STAR-Fusion's <c>--min_FFPM</c> default).</summary>
    public double StarFusionMinimumFfpm { get; init; } = 0.1;

    /// <summary>
    /// VCF calls whose FILTER is neither PASS nor "." are reported with <see cref="AlkFusionCall.PassesFilter"/> false
    /// (true, the default), or dropped (false).
    /// </summary>
    public bool ReportFilteredVcfCalls { get; init; } = true;

    /// <summary>BGZF blocks inflated in parallel: 0 for one batch per processor, 1 to inflate on the reading thread.</summary>
    public int DecompressionThreads { get; init; }
}
