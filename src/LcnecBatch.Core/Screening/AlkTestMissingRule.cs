using LcnecBatch.Core.Events;
using LcnecBatch.Core.Genomics;

namespace LcnecBatch.Core.Screening;

/// <summary>
/// Advanced LCNEC never tested for ALK: no ALK test from <c>LookbackDays</c> before diagnosis up to the
/// as-of date, once <c>TestingGraceDays</c> have passed. A local quality policy modelled on the NSCLC
/// guidelines (CAP/IASLC/AMP), not a literal guideline mandate for LCNEC.
/// </summary>
/// <remarks>
/// Version 2: what counts as an ALK test is decided in <see cref="PatientFacts.AlkTests"/> (screening.md 1). Results in
/// the window that do not count (an ALK1-clone negative, a small-variant-only VCF, a file of another specimen, a
/// signed-out point mutation) keep the alert open, and its text says why each is not enough.
/// </remarks>
public sealed class AlkTestMissingRule : IScreeningRule
{
    public string Id => "ALK_TEST_MISSING";

    public string Version => "2";

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
        var notTests = NotTests(facts, windowStart).ToList();
        var recommendation = facts.IsHighPrior
            ? $"Advanced LCNEC with no ALK test {(facts.AsOf.DayNumber - diagnosis.Date.DayNumber)} days after diagnosis. The patient has high-prior features ({facts.DescribeHighPrior()}): go straight to molecular testing (NGS or FISH), or ALK IHC (Ventana D5F3) with molecular confirmation of any positive."
            : $"Advanced LCNEC with no ALK test {(facts.AsOf.DayNumber - diagnosis.Date.DayNumber)} days after diagnosis. Order ALK IHC (Ventana D5F3) on specimen {diagnosis.Report.Accession}; confirm any positive by NGS or FISH.";
        yield return new Finding(
            Id,
            Version,
            facts.IsHighPrior ? Severity.High : Severity.Medium,
            diagnosis.Report.Accession,
            due,
            notTests.Count == 0 ? "Advanced LCNEC never tested for ALK" : "Advanced LCNEC without an ALK test that can find a fusion",
            recommendation + string.Concat(notTests.Select(n => " " + n.Why)) + " (Local policy modelled on CAP/IASLC/AMP NSCLC testing guidelines.)",
            [.. Evidence(facts, diagnosis), .. notTests.Select(n => n.Evidence)])
        { CareTeam = CareTeams.For(facts, diagnosis.Report.Accession, diagnosis) };
    }

    /// <summary>The grace period's end, or the day a test dated after the as-of date comes into the window.</summary>
    public DateOnly? NextBoundary(PatientFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Diagnosis is not { } diagnosis || !facts.IsAdvanced)
        {
            return null;
        }
        var due = diagnosis.Date.AddDays(facts.Options.TestingGraceDays);
        if (Boundaries.After(due, facts.AsOf) is { } graceEnds)
        {
            return graceEnds;
        }
        var windowStart = diagnosis.Date.AddDays(-facts.Options.LookbackDays);
        DateOnly? next = null;
        foreach (var test in facts.AlkTests.Where(t => t.Date > facts.AsOf && t.Date >= windowStart))
        {
            next = Boundaries.Earliest(next, test.Date);
        }
        return next;
    }

    /// <summary>The ALK results in the window that are not ALK tests, each with why.</summary>
    private static IEnumerable<(string Why, Evidence Evidence)> NotTests(PatientFacts facts, DateOnly windowStart)
    {
        foreach (var ihc in facts.Timeline.AlkIhc.Where(i => i.ResultDate >= windowStart))
        {
            if (AlkIhcClone.WhyNotATest(ihc, facts.Options) is { } why)
            {
                yield return (why, RuleEvidence.Ihc(ihc));
            }
        }
        foreach (var row in facts.Timeline.AlkMolecular.Where(m => m.ResultDate >= windowStart && m.Result == MolecularResult.Detected && !AlkAlteration.AnswersFusion(m)))
        {
            var finding = AlkAlteration.Read(row);
            var what = finding.Kind switch
            {
                AlkAlterationKind.PointMutation => $"a point mutation ({string.Join(", ", finding.Mutations.Select(m => m.Name))})",
                AlkAlterationKind.CopyNumberGain => "a copy-number gain",
                AlkAlterationKind.ExpressionOnly => "expression",
                _ => "an alteration it does not name as a fusion",
            };
            yield return ($"The molecular result of {row.Accession} ({row.ResultDate:yyyy-MM-dd}) reports only {what}: it neither reports nor excludes an ALK fusion.", RuleEvidence.Molecular(row));
        }
        foreach (var raw in facts.Timeline.RawFiles.Where(r => !r.IsAlkFusionTest && r.KnownOn >= windowStart))
        {
            var why = raw.SampleMismatch
                ? $"The raw NGS file of {raw.Accession} does not count: its sample column names another specimen."
                : $"The raw NGS file of {raw.Accession} is a small-variant VCF (no structural-variant calling): it cannot show an ALK fusion. Send the specimen for RNA NGS, a fusion-capable DNA panel, or FISH.";
            yield return (why, RuleEvidence.RawFusion(raw, null));
        }
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
