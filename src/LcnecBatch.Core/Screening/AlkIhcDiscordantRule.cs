using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Screening;

/// <summary>
/// ALK IHC and the molecular answer on the same specimen disagree: IHC positive/equivocal and a molecular result that
/// denies a fusion, with none reporting one (likely IHC false positive), or IHC negative and a molecular fusion (likely
/// IHC false negative). An IHC is paired with molecular results of its own accession, or of another accession resulted
/// within <c>DiscordancePairingDays</c> of it; a re-biopsy months later is another specimen.
/// </summary>
/// <remarks>
/// Version 2: pairs per specimen, and reads molecular rows with the classifier: a point mutation, amplification or
/// expression is neither a detected rearrangement nor a negative one.
/// </remarks>
public sealed class AlkIhcDiscordantRule : IScreeningRule
{
    public string Id => "ALK_IHC_DISCORDANT";

    public string Version => "2";

    /// <summary>No window: IHC and molecular results disagree the day both are known, so only a new fact changes the answer.</summary>
    public DateOnly? NextBoundary(PatientFacts facts) => null;

    public IEnumerable<Finding> Evaluate(PatientFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Diagnosis is not { } diagnosis)
        {
            yield break;
        }
        var molecular = facts.Timeline.AlkMolecular.Where(AlkAlteration.AnswersFusion).OrderBy(m => m.ResultDate).ThenBy(m => m.Accession, StringComparer.Ordinal).ToList();
        foreach (var ihc in AlkIhcUnconfirmedRule.FirstPerAccession(facts, i => i.Result is not IhcResult.NotEvaluable))
        {
            var paired = molecular.Where(m => SameSpecimen(ihc, m, facts.Options.DiscordancePairingDays)).ToList();
            var positive = ihc.Result is IhcResult.Positive or IhcResult.Equivocal;
            var against = positive
                ? (paired.Any(AlkAlteration.ReportsFusion) ? null : paired.FirstOrDefault(AlkAlteration.DeniesFusion))
                : paired.FirstOrDefault(AlkAlteration.ReportsFusion);
            if (against is null)
            {
                continue;
            }
            var clone = ihc.AntibodyClone is { } c ? $" with clone {c}" : "";
            var where = string.Equals(against.Accession, ihc.Accession, StringComparison.OrdinalIgnoreCase) ? "" : $" of {against.Accession}";
            var explanation = positive
                ? $"ALK IHC {RuleEvidence.Word(ihc.Result)}{clone}, but {RuleEvidence.MethodWord(against.Method)}{where} found no ALK rearrangement.{DnaCaveat(facts, against)} Likely an IHC false positive: IHC over-calls ALK in neuroendocrine tumours with any clone, D5F3 included (ALK is expressed without rearrangement; Nakamura 2013). Do not start an ALK inhibitor on IHC alone."
                : $"ALK IHC negative{clone}, but {RuleEvidence.MethodWord(against.Method)}{where} detected {Describe(against)}: likely an IHC false negative{(AlkIhcClone.Of(ihc.AntibodyClone) == AlkIhcAssay.Alk1 ? " (clone ALK1 misses most lung ALK fusions)" : "")}. Treat on the molecular result; review the IHC.";
            yield return new Finding(
                Id,
                Version,
                Severity.Info,
                ihc.Accession,
                null,
                "ALK IHC and molecular results disagree",
                explanation,
                [RuleEvidence.Diagnosis(diagnosis), RuleEvidence.Ihc(ihc), RuleEvidence.Molecular(against)])
            { CareTeam = CareTeams.For(facts, ihc.Accession, diagnosis) };
        }
    }

    private static bool SameSpecimen(IhcResulted ihc, MolecularResulted molecular, int days) =>
        string.Equals(ihc.Accession, molecular.Accession, StringComparison.OrdinalIgnoreCase)
        || Math.Abs(ihc.ResultDate.DayNumber - molecular.ResultDate.DayNumber) <= days;

    private static string Describe(MolecularResulted row) =>
        AlkAlteration.Fusion(row) is { Partner: not null } fusion ? $"an {fusion.Describe()}" : "an ALK rearrangement";

    /// <summary>
    /// A negative NGS may be DNA-based: DNA panels miss fusions whose breakpoints lie in long or repetitive introns. RNA is
    /// known when the accession's raw output is an Arriba or STAR-Fusion table, or the row's file or text says RNA.
    /// </summary>
    private static string DnaCaveat(PatientFacts facts, MolecularResulted negative)
    {
        if (negative.Method != MolecularMethod.Ngs)
        {
            return "";
        }
        var raw = facts.Timeline.RawFiles.Where(r => string.Equals(r.Accession, negative.Accession, StringComparison.OrdinalIgnoreCase)).ToList();
        var text = $"{negative.Alteration} {negative.File}";
        var rna = raw.Any(r => r.Kind is RawNgsKind.Arriba or RawNgsKind.StarFusion)
            || text.Contains("RNA", StringComparison.OrdinalIgnoreCase) || text.Contains("arriba", StringComparison.OrdinalIgnoreCase)
            || text.Contains("star-fusion", StringComparison.OrdinalIgnoreCase);
        if (rna)
        {
            return "";
        }
        var dna = raw.Count > 0 || text.Contains("DNA", StringComparison.OrdinalIgnoreCase);
        return dna
            ? " The NGS was DNA-based, and DNA panels miss ALK fusions whose breakpoints lie in long or repetitive introns: test for the fusion by RNA NGS or FISH before calling the IHC wrong."
            : " If the NGS was DNA-based, it may miss ALK fusions whose breakpoints lie in long or repetitive introns: test for the fusion by RNA NGS or FISH before calling the IHC wrong.";
    }
}
