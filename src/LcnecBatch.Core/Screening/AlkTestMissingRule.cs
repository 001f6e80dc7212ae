namespace LcnecBatch.Core.Screening;

/// <summary>
/// Advanced LCNEC never tested for ALK: no ALK test from <c>LookbackDays</c> before diagnosis up to the
/// as-of date, once <c>TestingGraceDays</c> have passed. A local quality policy modelled on the NSCLC
/// guidelines (CAP/IASLC/AMP), not a literal guideline mandate for LCNEC.
/// </summary>
public sealed class AlkTestMissingRule : IScreeningRule
{
    public string Id => "ALK_TEST_MISSING";

    public string Version => "1";

    public IEnumerable<Finding> Evaluate(PatientFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Diagnosis is not { } diagnosis || !facts.IsAdvanced)
        {
            yield break;
        }
        var due = diagnosis.Date.AddDays(facts.Options.TestingGraceDays);
        if (facts.AsOf <= due)
        {
            yield break;
        }
        var windowStart = diagnosis.Date.AddDays(-facts.Options.LookbackDays);
        if (facts.AlkTests.Any(t => t.Date >= windowStart && t.Date <= facts.AsOf))
        {
            yield break;
        }
        var recommendation = facts.IsHighPrior
            ? $"Advanced LCNEC with no ALK test {(facts.AsOf.DayNumber - diagnosis.Date.DayNumber)} days after diagnosis. The patient has high-prior features ({facts.DescribeHighPrior()}): go straight to molecular testing (NGS or FISH), or ALK IHC (Ventana D5F3) with molecular confirmation of any positive."
            : $"Advanced LCNEC with no ALK test {(facts.AsOf.DayNumber - diagnosis.Date.DayNumber)} days after diagnosis. Order ALK IHC (Ventana D5F3) on specimen {diagnosis.Report.Accession}; confirm any positive by NGS or FISH.";
        yield return new Finding(
            Id,
            Version,
            facts.IsHighPrior ? Severity.High : Severity.Medium,
            diagnosis.Report.Accession,
            due,
            "Advanced LCNEC never tested for ALK",
            recommendation + " (Local policy modelled on CAP/IASLC/AMP NSCLC testing guidelines.)",
            Evidence(facts, diagnosis))
        { CareTeam = facts.CareTeamFor(diagnosis.Report) };
    }

    private static List<Evidence> Evidence(PatientFacts facts, LcnecDiagnosis diagnosis)
    {
        var evidence = new List<Evidence> { RuleEvidence.Diagnosis(diagnosis) };
        if (facts.StageEvidence is { } stage)
        {
            evidence.Add(stage);
        }
        if (RuleEvidence.Patient(facts) is { } patient)
        {
            evidence.Add(patient);
        }
        return evidence;
    }
}
