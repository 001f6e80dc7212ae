namespace LcnecBatch.Core.Formats.Fusions;

/// <summary>Arriba's confidence in a call.</summary>
public enum ArribaConfidence
{
    Low,
    Medium,
    High,
}

/// <summary>One row of an Arriba <c>fusions.tsv</c>. Gene fields are as written (intergenic: <c>GENE(distance),GENE(distance)</c>).</summary>
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
    public static IEnumerable<ArribaFusion> Read(TextReader text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var table = FusionTable.Open(text, "Arriba", "gene1", "gene2", "breakpoint1", "breakpoint2");
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
                (int?)table.Integer("exon_number1"),
                (int?)table.Integer("exon_number2"),
                table.Integer("split_reads1"),
                table.Integer("split_reads2"),
                table.Integer("discordant_mates"));
        }
    }

    /// <summary>True when the first line is an Arriba header.</summary>
    public static bool IsHeader(string firstLine) => firstLine.StartsWith("#gene1\t", StringComparison.Ordinal);

    private static ArribaConfidence? Confidence(FusionTable table) => table.Text("confidence") switch
    {
        null => null,
        "low" => ArribaConfidence.Low,
        "medium" => ArribaConfidence.Medium,
        "high" => ArribaConfidence.High,
        _ => throw table.Error("confidence", "is not low, medium or high"),
    };
}
