using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Screening;

/// <summary>
/// ALK IHC positive (or equivocal) in LCNEC with no molecular ALK answer dated on or after it, once
/// <c>ConfirmationGraceDays</c> have passed: IHC over-calls ALK in neuroendocrine tumours with any clone. A molecular
/// answer is a row that reports or denies a fusion; a point mutation, gain or expression confirms nothing.
/// Version 2: the classifier decides what confirms; equivocal stays "equivocal"; D5F3 is the companion diagnostic only
/// as the Ventana assay.
/// </summary>
public sealed class AlkIhcUnconfirmedRule : IScreeningRule
{
    public string Id => "ALK_IHC_UNCONFIRMED";

    public string Version => "2";

    public IEnumerable<Finding> Evaluate(PatientFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Diagnosis is not { } diagnosis)
        {
            yield break;
        }
        foreach (var ihc in FirstPerAccession(facts, i => i.Result is IhcResult.Positive or IhcResult.Equivocal))
        {
            var due = ihc.ResultDate.AddDays(facts.Options.ConfirmationGraceDays);
            if (facts.AsOf <= due || facts.Timeline.AlkMolecular.Any(m => m.ResultDate >= ihc.ResultDate && AlkAlteration.AnswersFusion(m)))
            {
                continue;
            }
            var word = RuleEvidence.Word(ihc.Result);
            var clone = ihc.AntibodyClone is { } c ? $" (clone {c})" : "";
            yield return new Finding(
                Id,
                Version,
                Severity.High,
                ihc.Accession,
                due,
                $"ALK IHC {word}, not confirmed by a molecular test",
                $"ALK IHC {word}{clone} on {ihc.ResultDate:yyyy-MM-dd} has no molecular confirmation. Confirm ALK rearrangement by NGS or FISH before starting an ALK inhibitor: IHC over-calls ALK in neuroendocrine tumours with any clone, D5F3 included (ALK is expressed without rearrangement; Nakamura 2013).{AlkIhcClone.PositiveCaveat(ihc)}",
                [RuleEvidence.Diagnosis(diagnosis), RuleEvidence.Ihc(ihc)])
            { CareTeam = CareTeams.For(facts, ihc.Accession, diagnosis) };
        }
    }

    /// <summary>The end of the next confirmation grace period still running.</summary>
    public DateOnly? NextBoundary(PatientFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Diagnosis is null)
        {
            return null;
        }
        DateOnly? next = null;
        foreach (var ihc in FirstPerAccession(facts, i => i.Result is IhcResult.Positive or IhcResult.Equivocal))
        {
            next = Boundaries.Earliest(next, Boundaries.After(ihc.ResultDate.AddDays(facts.Options.ConfirmationGraceDays), facts.AsOf));
        }
        return next;
    }

    /// <summary>The earliest qualifying ALK IHC row of each accession: one alert per accession.</summary>
    internal static IEnumerable<IhcResulted> FirstPerAccession(PatientFacts facts, Func<IhcResulted, bool> qualifies) =>
        facts.Timeline.AlkIhc
            .Where(qualifies)
            .GroupBy(i => i.Accession, StringComparer.Ordinal)
            .Select(g => g.OrderBy(i => i.ResultDate).First())
            .OrderBy(i => i.ResultDate).ThenBy(i => i.Accession, StringComparer.Ordinal);
}
