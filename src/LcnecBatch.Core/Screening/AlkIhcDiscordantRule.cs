using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Screening;

/// <summary>
/// ALK IHC and the molecular answer disagree: IHC positive/equivocal with no molecular detection but a
/// molecular not-detected (likely IHC false positive), or IHC negative with a molecular detection (likely
/// IHC false negative).
/// </summary>
public sealed class AlkIhcDiscordantRule : IScreeningRule
{
    public string Id => "ALK_IHC_DISCORDANT";

    public string Version => "1";

    public IEnumerable<Finding> Evaluate(PatientFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Diagnosis is not { } diagnosis)
        {
            yield break;
        }
        var molecular = facts.DefiniteAlkMolecular.ToList();
        var detected = molecular.Where(m => m.Result == MolecularResult.Detected).OrderBy(m => m.ResultDate).FirstOrDefault();
        var notDetected = molecular.Where(m => m.Result == MolecularResult.NotDetected).OrderBy(m => m.ResultDate).FirstOrDefault();
        foreach (var ihc in AlkIhcUnconfirmedRule.FirstPerAccession(facts, r => r is not IhcResult.NotEvaluable))
        {
            var positive = ihc.Result is IhcResult.Positive or IhcResult.Equivocal;
            var against = positive ? (detected is null ? notDetected : null) : detected;
            if (against is null)
            {
                continue;
            }
            var clone = ihc.AntibodyClone is { } c ? $" with clone {c}" : "";
            var explanation = positive
                ? $"ALK IHC {RuleEvidence.Word(ihc.Result)}{clone}, but {RuleEvidence.MethodWord(against.Method)} found no ALK rearrangement: likely an IHC false positive (ALK is expressed without rearrangement in neuroendocrine tumours). Do not start an ALK inhibitor on IHC alone."
                : $"ALK IHC negative{clone}, but {RuleEvidence.MethodWord(against.Method)} detected an ALK rearrangement: likely an IHC false negative. Treat on the molecular result; review the IHC.";
            yield return new Finding(
                Id,
                Version,
                Severity.Info,
                ihc.Accession,
                null,
                "ALK IHC and molecular results disagree",
                explanation,
                [RuleEvidence.Diagnosis(diagnosis), RuleEvidence.Ihc(ihc), RuleEvidence.Molecular(against)])
            { CareTeam = facts.CareTeamFor(diagnosis.Report) };
        }
    }
}
