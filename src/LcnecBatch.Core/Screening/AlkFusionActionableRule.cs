using System.Text.RegularExpressions;
using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Screening;

/// <summary>
/// A signed-out molecular ALK fusion or rearrangement in affirmed LCNEC: actionable with an ALK-TKI first
/// line; brain metastases are common, so image the brain. The alert's <c>fusion</c> object joins what the report says
/// (partner, exons, EML4–ALK variant) with the raw file's call of the same accession (breakpoints, caller, build).
/// Version 2: the fusion object and the variant in the text.
/// </summary>
public sealed partial class AlkFusionActionableRule : IScreeningRule
{
    public string Id => "ALK_FUSION_ACTIONABLE";

    public string Version => "2";

    // One or more protein changes (G1202R, p.Gly1202Arg, p.(G1202R), T1151_L1152insT), nothing about a fusion.
    [GeneratedRegex(@"^\s*(?:ALK\s*)?(?:p\.)?\(?(?:[A-Z]\d{3,4}[A-Z]|[A-Z][a-z]{2}\d{3,4}[A-Z][a-z]{2}|[A-Z](?:[a-z]{2})?\d{3,4}_[A-Z](?:[a-z]{2})?\d{3,4}ins[A-Z]+)\)?(?:\s*(?:[/+,&;]|and)\s*(?:p\.)?\(?(?:[A-Z]\d{3,4}[A-Z]|[A-Z][a-z]{2}\d{3,4}[A-Z][a-z]{2}|[A-Z](?:[a-z]{2})?\d{3,4}_[A-Z](?:[a-z]{2})?\d{3,4}ins[A-Z]+)\)?)*\s*(?:(?:compound\s+)?(?:mutations?|variants?|substitutions?))?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
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
        var rows = facts.Timeline.AlkMolecular.Where(IsFusion)
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
            yield return new Finding(
                Id,
                Version,
                Severity.Info,
                row.Accession,
                null,
                "Actionable ALK fusion in LCNEC",
                $"{what} detected by {RuleEvidence.MethodWord(row.Method)} ({row.Alteration ?? "no detail"}). Consider an ALK tyrosine-kinase inhibitor first line (alectinib in the published ALK-positive LCNEC cases); image the brain, as brain metastases are common.",
                evidence)
            { CareTeam = facts.CareTeamFor(diagnosis.Report), Fusion = fusion };
        }
    }
}
