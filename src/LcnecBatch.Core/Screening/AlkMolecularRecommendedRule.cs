using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Screening;

/// <summary>
/// IHC-negative advanced LCNEC in a patient with high-prior features (never smoker, female, young) and no
/// molecular ALK answer dated on or after the IHC: molecular testing regardless of IHC.
/// </summary>
/// <remarks>
/// Version 2: only an IHC negative that is an ALK test counts (an ALK1 negative is left to <c>ALK_TEST_MISSING</c>,
/// which says why), and only a molecular row that reports or denies a fusion answers it.
/// </remarks>
public sealed class AlkMolecularRecommendedRule : IScreeningRule
{
    public string Id => "ALK_MOLECULAR_RECOMMENDED";

    public string Version => "2";

    public IEnumerable<Finding> Evaluate(PatientFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Diagnosis is not { } diagnosis || !facts.IsAdvanced || !facts.IsHighPrior)
        {
            yield break;
        }
        var positiveAccessions = facts.Timeline.AlkIhc
            .Where(i => i.Result is IhcResult.Positive or IhcResult.Equivocal)
            .Select(i => i.Accession)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var ihc in AlkIhcUnconfirmedRule.FirstPerAccession(facts, i => i.Result == IhcResult.Negative && AlkIhcClone.CountsAsAlkTest(i, facts.Options)))
        {
            var due = ihc.ResultDate.AddDays(facts.Options.ConfirmationGraceDays);
            if (positiveAccessions.Contains(ihc.Accession) || facts.AsOf <= due
                || facts.Timeline.AlkMolecular.Any(m => m.ResultDate >= ihc.ResultDate && AlkAlteration.AnswersFusion(m)))
            {
                continue;
            }
            var evidence = new List<Evidence> { RuleEvidence.Diagnosis(diagnosis) };
            if (facts.StageEvidence is { } stage)
            {
                evidence.Add(stage);
            }
            evidence.Add(RuleEvidence.Ihc(ihc));
            if (RuleEvidence.Patient(facts) is { } patient)
            {
                evidence.Add(patient);
            }
            yield return new Finding(
                Id,
                Version,
                Severity.Medium,
                ihc.Accession,
                due,
                "ALK IHC negative, but molecular ALK testing is recommended",
                $"ALK IHC was negative on {ihc.ResultDate:yyyy-MM-dd}, but the patient has high-prior features ({facts.DescribeHighPrior()}). Send the specimen for molecular ALK testing (NGS or FISH) regardless of the IHC result.",
                evidence)
            { CareTeam = CareTeams.For(facts, ihc.Accession, diagnosis) };
        }
    }

    /// <summary>The end of the next confirmation grace period still running after a counting negative IHC.</summary>
    public DateOnly? NextBoundary(PatientFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Diagnosis is null || !facts.IsAdvanced || !facts.IsHighPrior)
        {
            return null;
        }
        DateOnly? next = null;
        foreach (var ihc in AlkIhcUnconfirmedRule.FirstPerAccession(facts, i => i.Result == IhcResult.Negative && AlkIhcClone.CountsAsAlkTest(i, facts.Options)))
        {
            next = Boundaries.Earliest(next, Boundaries.After(ihc.ResultDate.AddDays(facts.Options.ConfirmationGraceDays), facts.AsOf));
        }
        return next;
    }
}
