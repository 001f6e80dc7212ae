namespace LcnecBatch.Core.Formats.Fusions;

/// <summary>Arriba's confidence in a call.</summary>
public enum ArribaConfidence
{
    Low,
    Medium,
    High,
}

/// <summary>
/// One row of an Arriba <c>fusions.tsv</c>. Gene fields are as written (intergenic: <c>GENE(distance),GENE(distance)</c>).
/// <see cref="Confidence"/> is null when the column is absent, the cell empty, or a word other than low, medium or high.
/// </summary>
public sealed record ArribaFusion(
    long Line,
    string Gene1,
    string Gene2,
    FusionBreakpoint Breakpoint1,
    FusionBreakpoint Breakpoint2,
    string? Site1,
    string? Site2,
    string? Type,
    ArribaConfidence? Confidence,
    string? ReadingFrame,
    string? Direction1,
    string? Direction2,
    int? ExonNumber1,
    int? ExonNumber2,
    long? SplitReads1,
    long? SplitReads2,
    long? DiscordantMates);

/// <summary>
/// Reads Arriba <c>fusions.tsv</c> (and <c>fusions.discarded.tsv</c>) by header name, so both the current 30-column
/// layout and v1's (directions after type, no tags or ids) read alike, with or without the exon-number columns that
/// <c>annotate_exon_numbers.sh</c> appends.
/// </summary>
public static class ArribaReader
{
    /// <param name="requireConfidence">A table without the <c>confidence</c> column is a format error (the confidence filter is on).</param>
    public static IEnumerable<ArribaFusion> Read(TextReader text, bool requireConfidence = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ReadRows(text, requireConfidence);
    }

    /// <summary>True when the first line is an Arriba header.</summary>
    public static bool IsHeader(string firstLine) => firstLine.StartsWith("#gene1\t", StringComparison.Ordinal);

    private static IEnumerable<ArribaFusion> ReadRows(TextReader text, bool requireConfidence)
    {
        var table = FusionTable.Open(text, "Arriba", requireConfidence ? ("confidence", "minimum-confidence") : null, "gene1", "gene2", "breakpoint1", "breakpoint2");
        while (table.Read())
        {
            yield return new ArribaFusion(
                table.Line,
                table.Required("gene1"),
                table.Required("gene2"),
                table.Breakpoint("breakpoint1"),
                table.Breakpoint("breakpoint2"),
                table.Text("site1"),
                table.Text("site2"),
                table.Text("type"),
                Confidence(table),
                table.Text("reading_frame"),
                table.Text("direction1"),
                table.Text("direction2"),
                table.SmallInteger("exon_number1"),
                table.SmallInteger("exon_number2"),
                table.Integer("split_reads1"),
                table.Integer("split_reads2"),
                table.Integer("discordant_mates"));
        }
    }

    // Another word is not a format error: the row is read, and its call cannot pass a confidence filter.
    private static ArribaConfidence? Confidence(FusionTable table) => table.Text("confidence")?.ToLowerInvariant() switch
    {
        "low" => ArribaConfidence.Low,
        "medium" => ArribaConfidence.Medium,
        "high" => ArribaConfidence.High,
        _ => null,
    };
}
