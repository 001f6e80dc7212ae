using LcnecBatch.Core.Events;
using LcnecBatch.Core.Genomics;

namespace LcnecBatch.Core.Screening;

/// <summary>
/// A signed-out molecular ALK fusion or rearrangement in affirmed LCNEC: actionable with an ALK-TKI first
/// line; brain metastases are common, so image the brain. The alert's <c>fusion</c> object joins what the report says
/// (partner, exons, EML4–ALK variant) with the raw file's call of the same accession (breakpoints, caller, build).
/// Version 3: only a row the classifier reads as a fusion or rearrangement is actionable; a point mutation,
/// amplification or expression is not.
/// </summary>
public sealed class AlkFusionActionableRule : IScreeningRule
{
    public string Id => "ALK_FUSION_ACTIONABLE";

    public string Version => "3";

    /// <summary>A detected ALK row that reports a fusion or rearrangement (<see cref="AlkAlteration.ReportsFusion"/>).</summary>
    public static bool IsFusion(MolecularResulted row) => AlkAlteration.ReportsFusion(row);

    /// <summary>The fusion partner an alteration text names, in any notation (EML4-ALK, KIF5B exon 24 :: ALK exon 20).</summary>
    public static string? PartnerOf(string? alteration) => AlkResultClassifier.Classify(alteration).Partner;

    /// <summary>No window: a signed-out fusion is actionable the day it is known, so only a new fact changes the answer.</summary>
    public DateOnly? NextBoundary(PatientFacts facts) => null;

    public IEnumerable<Finding> Evaluate(PatientFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Diagnosis is not { } diagnosis)
        {
            yield break;
        }
        var rows = facts.Timeline.AlkMolecular.Where(AlkAlteration.ReportsFusion)
            .GroupBy(m => m.Accession, StringComparer.Ordinal)
            .Select(g => g.OrderBy(m => m.ResultDate).First())
            .OrderBy(m => m.ResultDate).ThenBy(m => m.Accession, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var reported = AlkAlteration.Fusion(row)!;
            var rawFiles = facts.Timeline.RawFiles.Where(r => string.Equals(r.Accession, row.Accession, StringComparison.OrdinalIgnoreCase)).ToList();
            var rawCall = AlkAlteration.Best(rawFiles.SelectMany(r => r.CountingFusions), reported.Partner);
            var fusion = AlkAlteration.Merge(reported, rawCall);
            var evidence = new List<Evidence> { RuleEvidence.Diagnosis(diagnosis), RuleEvidence.Molecular(row) };
            if (rawCall is not null)
            {
                evidence.Add(RuleEvidence.RawFusion(rawFiles.First(r => r.Fusions.Contains(rawCall)), rawCall));
            }
            var what = fusion.Partner is null ? "ALK rearrangement (partner not reported)" : fusion.Describe();
            var mutations = AlkAlteration.Read(row).Mutations;
            var alsoNamed = mutations.Count == 0 ? ""
                : $" The same result names ALK {string.Join(", ", mutations.Select(m => m.Name))}: see the resistance alert, if any, before choosing the inhibitor.";
            yield return new Finding(
                Id,
                Version,
                Severity.Info,
                row.Accession,
                null,
                "Actionable ALK fusion in LCNEC",
                $"{what} detected by {RuleEvidence.MethodWord(row.Method)} ({row.Alteration ?? "no detail"}). Consider an ALK tyrosine-kinase inhibitor first line (alectinib in the published ALK-positive LCNEC cases); image the brain, as brain metastases are common.{alsoNamed}",
                evidence)
            { CareTeam = CareTeams.For(facts, row.Accession, diagnosis), Fusion = fusion };
        }
    }
}
