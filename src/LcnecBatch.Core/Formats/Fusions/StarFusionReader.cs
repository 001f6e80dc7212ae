namespace LcnecBatch.Core.Formats.Fusions;

/// <summary>
/// One row of STAR-Fusion's predictions. Genes are symbols (the <c>^ENSG…</c> part split off into the ids).
/// <see cref="Ffpm"/> is as written, NaN and infinities included; null when absent, empty, "NA" or not a number.
/// </summary>
public sealed record StarFusionPrediction(
    long Line,
    string FusionName,
    string LeftGene,
    string? LeftGeneId,
    FusionBreakpoint LeftBreakpoint,
    string RightGene,
    string? RightGeneId,
    FusionBreakpoint RightBreakpoint,
    long? JunctionReads,
    long? SpanningFragments,
    string? SpliceType,
    double? Ffpm);

/// <summary>
/// Reads STAR-Fusion <c>star-fusion.fusion_predictions(.abridged).tsv</c> by header name: v1.9+ (est_J/est_S, FFPM,
/// annots), v1.5–1.8, the pre-1.x 13-column <c>fusion_candidates.final.abridged</c>, and the coding-effect file.
/// Left is the 5′ partner, Right the 3′.
/// </summary>
public static class StarFusionReader
{
    /// <param name="requireFfpm">A table without the <c>FFPM</c> column is a format error (the FFPM filter is on).</param>
    public static IEnumerable<StarFusionPrediction> Read(TextReader text, bool requireFfpm = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ReadRows(text, requireFfpm);
    }

    /// <summary>True when the first line is a STAR-Fusion header.</summary>
    public static bool IsHeader(string firstLine) => firstLine.StartsWith("#FusionName\t", StringComparison.Ordinal);

    private static IEnumerable<StarFusionPrediction> ReadRows(TextReader text, bool requireFfpm)
    {
        var table = FusionTable.Open(text, "STAR-Fusion", requireFfpm ? ("FFPM", "minimum-FFPM") : null, "FusionName", "LeftGene", "LeftBreakpoint", "RightGene", "RightBreakpoint");
        while (table.Read())
        {
            var (left, leftId) = Gene(table.Required("LeftGene"));
            var (right, rightId) = Gene(table.Required("RightGene"));
            yield return new StarFusionPrediction(
                table.Line,
                table.Required("FusionName"),
                left,
                leftId,
                table.Breakpoint("LeftBreakpoint"),
                right,
                rightId,
                table.Breakpoint("RightBreakpoint"),
                table.Integer("JunctionReadCount"),
                table.Integer("SpanningFragCount"),
                table.Text("SpliceType"),
                table.NumberOrNull("FFPM"));
        }
    }

    private static (string Symbol, string? Id) Gene(string field)
    {
        var caret = field.IndexOf('^', StringComparison.Ordinal);
        return caret < 0 ? (field, null) : (field[..caret], field[(caret + 1)..]);
    }
}
