using System.Text.RegularExpressions;
using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Screening;

/// <summary>
/// A signed-out molecular ALK fusion or rearrangement in affirmed LCNEC: actionable with an ALK-TKI first
/// line; brain metastases are common, so image the brain.
/// </summary>
public sealed partial class AlkFusionActionableRule : IScreeningRule
{
    public string Id => "ALK_FUSION_ACTIONABLE";

    public string Version => "1";

    [GeneratedRegex(@"^\s*(?:ALK\s+)?(?:p\.)?[A-Z]\d{3,4}[A-Z](?:\s*[/+,]\s*(?:p\.)?[A-Z]\d{3,4}[A-Z])*\s*(?:mutation)?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex PointMutationOnly();

    [GeneratedRegex(@"\b(?<partner>[A-Z0-9]{2,10})\s*[-–:/]{1,2}\s*ALK\b", RegexOptions.CultureInvariant)]
    private static partial Regex Partner();

    /// <summary>A detected ALK row describes a fusion unless its alteration is only a point mutation.</summary>
    public static bool IsFusion(MolecularResulted row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.IsAlk && row.Result == MolecularResult.Detected
            && (row.Alteration is null || !PointMutationOnly().IsMatch(row.Alteration));
    }

    public static string? PartnerOf(string? alteration) =>
        alteration is not null && Partner().Match(alteration) is { Success: true } m && m.Groups["partner"].Value != "ALK"
            ? m.Groups["partner"].Value
            : null;

    public IEnumerable<Finding> Evaluate(PatientFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Diagnosis is not { } diagnosis)
        {
            yield break;
        }
        var fusions = facts.Timeline.AlkMolecular.Where(IsFusion)
            .GroupBy(m => m.Accession, StringComparer.Ordinal)
            .Select(g => g.OrderBy(m => m.ResultDate).First())
            .OrderBy(m => m.ResultDate).ThenBy(m => m.Accession, StringComparer.Ordinal);
        foreach (var fusion in fusions)
        {
            var partner = PartnerOf(fusion.Alteration);
            var what = partner is null ? "ALK rearrangement" : $"{partner}-ALK fusion";
            yield return new Finding(
                Id,
                Version,
                Severity.Info,
                fusion.Accession,
                null,
                "Actionable ALK fusion in LCNEC",
                $"{what} detected by {RuleEvidence.MethodWord(fusion.Method)} ({fusion.Alteration ?? "no detail"}). Consider an ALK tyrosine-kinase inhibitor first line (alectinib in the published ALK-positive LCNEC cases); image the brain, as brain metastases are common.",
                [RuleEvidence.Diagnosis(diagnosis), RuleEvidence.Molecular(fusion)])
            { CareTeam = facts.CareTeamFor(diagnosis.Report) };
        }
    }
}
