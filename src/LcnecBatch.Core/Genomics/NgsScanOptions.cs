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

    /// <summary>
    /// Arriba calls below this confidence are dropped (Arriba's own advice: <c>low</c> is mostly noise). Above
    /// <c>Low</c> the filter is on: a table without a <c>confidence</c> column is quarantined, and a call whose
    /// confidence is empty or another word is kept but does not count.
    /// </summary>
    public ArribaConfidence ArribaMinimumConfidence { get; init; } = ArribaConfidence.Medium;

    /// <summary>
    /// STAR-Fusion calls below this many fusion fragments per million reads are dropped (STAR-Fusion's <c>--min_FFPM</c>
    /// default). Above 0 the filter is on: a table without an <c>FFPM</c> column (STAR-Fusion before 1.x) is
    /// quarantined, and a call whose FFPM is empty, NA, NaN, infinite or not a number is kept but does not count.
    /// 0 turns the filter off.
    /// </summary>
    public double StarFusionMinimumFfpm { get; init; } = 0.1;

    /// <summary>
    /// VCF calls whose FILTER is neither PASS nor "." are reported with <see cref="AlkFusionCall.PassesFilter"/> false
    /// (true, the default), or dropped (false).
    /// </summary>
    public bool ReportFilteredVcfCalls { get; init; } = true;

    /// <summary>A longer line (VCF record or fusion-table row) quarantines the file rather than being buffered without bound.</summary>
    public int MaxLineLength { get; init; } = 64 * 1024 * 1024;

    /// <summary>BGZF blocks inflated in parallel: 0 for one batch per processor, 1 to inflate on the reading thread.</summary>
    public int DecompressionThreads { get; init; }
}
