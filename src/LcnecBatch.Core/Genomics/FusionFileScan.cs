using LcnecBatch.Core.Formats.Fusions;

namespace LcnecBatch.Core.Genomics;

/// <summary>ALK calls in Arriba and STAR-Fusion tables.</summary>
internal static class FusionFileScan
{
    public static (List<AlkFusionCall> Calls, long Rows, int Dropped) Arriba(TextReader text, NgsScanOptions options)
    {
        var calls = new List<JunctionEvidence>();
        long rows = 0;
        var dropped = 0;
        var filterOn = options.ArribaMinimumConfidence > ArribaConfidence.Low;
        var bounds = new ContigBounds([], options.GenomeBuild);
        foreach (var row in ArribaReader.Read(text, requireConfidence: filterOn))
        {
            rows++;
            var side1 = new JunctionSide(row.Breakpoint1.Contig, row.Breakpoint1.Position);
            var side2 = new JunctionSide(row.Breakpoint2.Contig, row.Breakpoint2.Position);
            var alkIs1 = IsAlkSide(row.Gene1, side1, options.GenomeBuild);
            var alkIs2 = IsAlkSide(row.Gene2, side2, options.GenomeBuild);
            if (alkIs1 == alkIs2)
            {
                // Neither side is ALK, or both are (an intragenic rearrangement, not a fusion).
                continue;
            }
            string? notCounted = null;
            if (filterOn)
            {
                if (row.Confidence is not { } confidence)
                {
                    notCounted = "confidence is empty or not low, medium or high";
                }
                else if (confidence < options.ArribaMinimumConfidence)
                {
                    dropped++;
                    continue;
                }
            }
            var (alk, partner, partnerGenes, alkDirection, alkExon, partnerExon) = alkIs2
                ? (side2, side1, row.Gene1, row.Direction2, row.ExonNumber2, row.ExonNumber1)
                : (side1, side2, row.Gene2, row.Direction1, row.ExonNumber1, row.ExonNumber2);
            // "downstream": the partner is fused past the breakpoint, so ALK keeps the bases below it — exons 20–29,
            // the kinase. Without directions Arriba's gene order (gene1 5′) decides.
            var reciprocal = alkDirection switch
            {
                "downstream" => false,
                "upstream" => true,
                _ => !alkIs2,
            };
            calls.Add(new JunctionEvidence(alk, partner, AlkJunction.Genes(partnerGenes).FirstOrDefault(), reciprocal, 0, "arriba",
                PassesFilter: true, row.Line, alkExon, partnerExon, notCounted ?? OffContig(bounds, side1, "breakpoint1", side2, "breakpoint2")));
        }
        return (AlkJunction.Calls(calls, options.GenomeBuild), rows, dropped);
    }

    public static (List<AlkFusionCall> Calls, long Rows, int Dropped) StarFusion(TextReader text, NgsScanOptions options)
    {
        var calls = new List<JunctionEvidence>();
        long rows = 0;
        var dropped = 0;
        // A NaN threshold filters everything out rather than nothing.
        var filterOn = !(options.StarFusionMinimumFfpm <= 0);
        var bounds = new ContigBounds([], options.GenomeBuild);
        foreach (var row in StarFusionReader.Read(text, requireFfpm: filterOn))
        {
            rows++;
            var left = new JunctionSide(row.LeftBreakpoint.Contig, row.LeftBreakpoint.Position);
            var right = new JunctionSide(row.RightBreakpoint.Contig, row.RightBreakpoint.Position);
            var alkLeft = IsAlkSide(row.LeftGene, left, options.GenomeBuild);
            var alkRight = IsAlkSide(row.RightGene, right, options.GenomeBuild);
            if (alkLeft == alkRight)
            {
                continue;
            }
            string? notCounted = null;
            if (filterOn)
            {
                if (row.Ffpm is not { } ffpm || !double.IsFinite(ffpm))
                {
                    notCounted = "FFPM is empty or not a finite number";
                }
                else if (!(ffpm >= options.StarFusionMinimumFfpm))
                {
                    dropped++;
                    continue;
                }
            }
            notCounted ??= OffContig(bounds, left, "LeftBreakpoint", right, "RightBreakpoint");
            // Left is STAR-Fusion's 5′ partner: ALK on the left keeps only its 5′ exons.
            calls.Add(alkRight
                ? new JunctionEvidence(right, left, row.LeftGene, Reciprocal: false, 0, "star-fusion", PassesFilter: true, row.Line, NotCountedReason: notCounted)
                : new JunctionEvidence(left, right, row.RightGene, Reciprocal: true, 0, "star-fusion", PassesFilter: true, row.Line, NotCountedReason: notCounted));
        }
        return (AlkJunction.Calls(calls, options.GenomeBuild), rows, dropped);
    }

    private static string? OffContig(ContigBounds bounds, JunctionSide side1, string name1, JunctionSide side2, string name2) =>
        bounds.Problem(side1, name1) ?? bounds.Problem(side2, name2);

    // The gene column decides; coordinates only when it names no gene (intergenic or empty).
    private static bool IsAlkSide(string geneField, JunctionSide side, GenomeBuild? build)
    {
        var genes = AlkJunction.Genes(geneField).ToList();
        return genes.Count > 0 ? genes.Any(AlkJunction.IsAlk) : side.IsChr2 && AlkLocus.InAlk(side.Position, build);
    }
}
