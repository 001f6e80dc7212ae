using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Screening;

/// <summary>
/// ALK IHC positive (or equivocal) in LCNEC with no molecular ALK answer dated on or after it, once
/// <c>ConfirmationGraceDays</c> have passed: IHC over-calls ALK in neuroendocrine tumours.
/// </summary>
public sealed class AlkIhcUnconfirmedRule : IScreeningRule
{
    public string Id => "ALK_IHC_UNCONFIRMED";

    public string Version => "1";

    public IEnumerable<Finding> Evaluate(PatientFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Diagnosis is not { } diagnosis)
        {
            yield break;
        }
        foreach (var ihc in FirstPerAccession(facts, r => r is IhcResult.Positive or IhcResult.Equivocal))
        {
            var due = ihc.ResultDate.AddDays(facts.Options.ConfirmationGraceDays);
            if (facts.AsOf <= due || facts.DefiniteAlkMolecular.Any(m => m.ResultDate >= ihc.ResultDate))
            {
                continue;
            }
            var clone = ihc.AntibodyClone is { } c ? $" (clone {c})" : "";
            var cloneWarning = ihc.AntibodyClone is { } name && !name.Contains("D5F3", StringComparison.OrdinalIgnoreCase)
                ? $" Clone {name} is not the companion-diagnostic D5F3 assay; over-calls are most frequent with 5A4."
                : " Clone 5A4 over-calls most.";
            yield return new Finding(
                Id,
                Version,
                Severity.High,
                ihc.Accession,
                due,
                "ALK IHC positive, not confirmed by a molecular test",
                $"ALK IHC {RuleEvidence.Word(ihc.Result)}{clone} on {ihc.ResultDate:yyyy-MM-dd} has no molecular confirmation. Confirm ALK rearrangement by NGS or FISH before starting an ALK inhibitor: IHC over-calls ALK in neuroendocrine tumours.{cloneWarning}",
                [RuleEvidence.Diagnosis(diagnosis), RuleEvidence.Ihc(ihc)])
            { CareTeam = facts.CareTeamFor(diagnosis.Report) };
        }
    }

    /// <summary>The earliest qualifying ALK IHC row of each accession: one alert per accession.</summary>
    internal static IEnumerable<IhcResulted> FirstPerAccession(PatientFacts facts, Func<IhcResult, bool> qualifies) =>
        facts.Timeline.AlkIhc
            .Where(i => qualifies(i.Result))
            .GroupBy(i => i.Accession, StringComparer.Ordinal)
            .Select(g => g.OrderBy(i => i.ResultDate).First())
            .OrderBy(i => i.ResultDate).ThenBy(i => i.Accession, StringComparer.Ordinal);
}
