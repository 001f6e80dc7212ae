using System.Collections.Concurrent;
using LcnecBatch.Core.CaseFinding;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Timeline;

namespace LcnecBatch.Core.Screening;

/// <summary>The affirming report that dates an LCNEC diagnosis, and what the finder saw in it.</summary>
public sealed record LcnecDiagnosis(PathologyReported Report, LcnecFinding Finding)
{
    public DateOnly Date => Report.ReportDate;
}

/// <summary>An ALK test in the sense of screening.md: IHC with a reading, a definite molecular answer, or a raw NGS file.</summary>
public sealed record AlkTest(DateOnly Date, string Method, TimelineEvent Source);

/// <summary>
/// What the rules need about one patient as of a date, derived once from the timeline: the LCNEC
/// assertion, the diagnosis date, stage, high-prior features and ALK tests.
/// </summary>
public sealed class PatientFacts
{
    // The finder's verdict per report (a pure function of its text), shared by every session in the process. Bounded:
    // a long-lived Functions worker sees every report of every night, so past the bound the cache starts over.
    private const int FindingCacheBound = 200_000;

    private static readonly ConcurrentDictionary<string, LcnecFinding?> FindingCache = new(StringComparer.Ordinal);

    // Whether an affirming report says "metastatic": as pure a function of the text, and asked on every patient-day.
    private static readonly ConcurrentDictionary<string, bool> MetastaticCache = new(StringComparer.Ordinal);

    public PatientFacts(PatientTimeline timeline, ScreeningOptions options)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentNullException.ThrowIfNull(options);
        Timeline = timeline;
        Options = options;
        Findings = [.. timeline.Reports.Select(r => (r, FindingFor(r))).Where(p => p.Item2 is not null).Select(p => (p.r, p.Item2!))];
        // Each accession's versions decide together (an amendment may withdraw what its original diagnosed); the
        // earliest accession still diagnosing LCNEC dates the diagnosis.
        // The care team said "not LCNEC" (screening.md, "Care-team responses"): from the day that was recorded, only a
        // report dated after the response can diagnose LCNEC again.
        NotLcnec = timeline.Responses
            .Where(r => r is { Kind: ResponseKind.Disagree, Disagreement: Disagreement.NotLcnec })
            .OrderBy(r => r.RespondedOn).ThenBy(r => r.KnownOn).ThenBy(r => r.EventId, StringComparer.Ordinal)
            .LastOrDefault();
        IReadOnlyList<PathologyReported> reports = NotLcnec is { } notLcnec ? [.. timeline.Reports.Where(r => r.ReportDate > notLcnec.RespondedOn)] : timeline.Reports;
        var diagnosing = ReportVersions.ByAccession(reports)
            .Select(versions => ReportVersions.Diagnosing(versions, FindingFor))
            .OfType<PathologyReported>()
            .ToList();
        DiagnosingAccessions = diagnosing.Select(r => r.Accession).ToHashSet(StringComparer.Ordinal);
        Diagnosis = diagnosing
            .OrderBy(r => r.ReportDate).ThenBy(r => r.KnownOn)
            .Select(r => new LcnecDiagnosis(r, FindingFor(r)!))
            .FirstOrDefault();
        (Stage, StageEvidence) = DecideStage();
        AgeAtDiagnosis = Diagnosis is null ? null : timeline.Demographics.AgeOn(Diagnosis.Date);
        HighPrior = DecideHighPrior();
        AlkTests = [.. CollectAlkTests()];
    }

    /// <summary>The same patient on another day, with the same facts (<see cref="SameFacts"/>): nothing derived is read again.</summary>
    private PatientFacts(PatientFacts facts, PatientTimeline timeline)
    {
        Timeline = timeline;
        Options = facts.Options;
        Findings = facts.Findings;
        NotLcnec = facts.NotLcnec;
        DiagnosingAccessions = facts.DiagnosingAccessions;
        Diagnosis = facts.Diagnosis;
        (Stage, StageEvidence) = (facts.Stage, facts.StageEvidence);
        AgeAtDiagnosis = facts.AgeAtDiagnosis;
        HighPrior = facts.HighPrior;
        AlkTests = facts.AlkTests;
    }

    /// <summary>
    /// These facts as of <paramref name="timeline"/>'s date when it holds the very facts this was derived from (the timeline
    /// store hands out the same lists then); otherwise derived anew.
    /// </summary>
    public PatientFacts On(PatientTimeline timeline)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        if (ReferenceEquals(timeline, Timeline))
        {
            return this;
        }
        return SameFacts(Timeline, timeline) ? new PatientFacts(this, timeline) : new PatientFacts(timeline, Options);
    }

    private static bool SameFacts(PatientTimeline a, PatientTimeline b) =>
        a.Mrn == b.Mrn && a.Demographics == b.Demographics && ReferenceEquals(a.Reports, b.Reports) && ReferenceEquals(a.Ihc, b.Ihc)
        && ReferenceEquals(a.Molecular, b.Molecular) && ReferenceEquals(a.RawFiles, b.RawFiles) && ReferenceEquals(a.Responses, b.Responses);

    public PatientTimeline Timeline { get; }

    public ScreeningOptions Options { get; }

    public DateOnly AsOf => Timeline.AsOf;

    /// <summary>Every report that speaks of LCNEC at all, with its finding.</summary>
    public IReadOnlyList<(PathologyReported Report, LcnecFinding Finding)> Findings { get; }

    /// <summary>Null unless some report affirms pulmonary LCNEC.</summary>
    public LcnecDiagnosis? Diagnosis { get; }

    public bool HasLcnec => Diagnosis is not null;

    /// <summary>
    /// The latest "disagree: not LCNEC" response known, if any: reports dated on or before it diagnose nothing, so the
    /// patient is LCNEC again only when a newer report affirms it. Listed for pathology review either way.
    /// </summary>
    public AlertResponded? NotLcnec { get; }

    /// <summary>The accessions whose report (read with its addenda and amendments) diagnoses pulmonary LCNEC.</summary>
    public IReadOnlySet<string> DiagnosingAccessions { get; }

    /// <summary>
    /// The most advanced stage of the LCNEC: from reports of a diagnosing accession, reports that affirm it, and
    /// lung-site reports that speak of no other cancer; never another cancer's stage.
    /// </summary>
    public Stage? Stage { get; }

    public Evidence? StageEvidence { get; }

    public bool IsAdvanced => Stage?.IsAdvanced ?? Options.UnknownStageIsAdvanced;

    public int? AgeAtDiagnosis { get; }

    /// <summary>The configured high-prior features this patient has (empty when none or unknown).</summary>
    public IReadOnlyList<HighPriorFeature> HighPrior { get; }

    public bool IsHighPrior => HighPrior.Count > 0;

    public IReadOnlyList<AlkTest> AlkTests { get; }

    public IEnumerable<MolecularResulted> DefiniteAlkMolecular => Timeline.AlkMolecular.Where(m => m.IsDefinite);

    public string? CareTeamFor(PathologyReported? report) => report?.CareTeam ?? Timeline.Demographics.CareTeam;

    /// <summary>The finder's verdict on a report (cached by identity); null for a report kept without its text, which said nothing about LCNEC.</summary>
    internal static LcnecFinding? FindingFor(PathologyReported report) => FindingFor(report, cacheNone: true);

    /// <param name="cacheNone">False when a report that says nothing about LCNEC is about to be kept without its text (so never asked again): only a finding is cached.</param>
    internal static LcnecFinding? FindingFor(PathologyReported report, bool cacheNone)
    {
        if (report.TextTraits is not null)
        {
            return null;
        }
        if (FindingCache.TryGetValue(report.EventId, out var known))
        {
            return known;
        }
        if (FindingCache.Count >= FindingCacheBound)
        {
            FindingCache.Clear();
        }
        if (!cacheNone)
        {
            var finding = LcnecFinder.Assess(report);
            return finding is null ? null : FindingCache.GetOrAdd(report.EventId, finding);
        }
        return FindingCache.GetOrAdd(report.EventId, _ => LcnecFinder.Assess(report));
    }

    private static bool SaysMetastatic(PathologyReported report)
    {
        if (MetastaticCache.TryGetValue(report.EventId, out var known))
        {
            return known;
        }
        if (MetastaticCache.Count >= FindingCacheBound)
        {
            MetastaticCache.Clear();
        }
        return MetastaticCache.GetOrAdd(report.EventId, _ => LcnecFinder.SaysMetastatic(report.FinalDiagnosis));
    }

    private (Stage?, Evidence?) DecideStage()
    {
        Stage? best = null;
        Evidence? evidence = null;
        foreach (var report in Timeline.Reports)
        {
            var affirming = Findings.Any(f => ReferenceEquals(f.Report, report) && f.Finding.IsPulmonaryLcnec);
            var fromColumn = StagesTheLcnec(report, affirming) ? StageParser.Parse(report.Stage) : null;
            var fromText = affirming ? StageParser.FindInText(report.FinalDiagnosis) : null;
            if (affirming && fromText is null && SaysMetastatic(report))
            {
                fromText = new Stage("IV", 4, "metastatic");
            }
            foreach (var (stage, text) in new[] { (fromColumn, report.Stage), (fromText, fromText?.Text) })
            {
                if (stage is not null && (best is null || stage.Level > best.Level))
                {
                    best = stage;
                    evidence = new Evidence("stage", report.Source, report.ReportDate, stage.Text == "metastatic"
                        ? "diagnosis says metastatic"
                        : $"stage {stage.Group} ({text})")
                    { Accession = report.Accession };
                }
            }
        }
        return (best, evidence);
    }

    /// <summary>Whether a report's stage column is the LCNEC's stage (issue: another cancer's stage IV made an early LCNEC advanced).</summary>
    private bool StagesTheLcnec(PathologyReported report, bool affirming)
    {
        if (affirming || DiagnosingAccessions.Contains(report.Accession))
        {
            return true;
        }
        if (FindingFor(report) is not null)
        {
            return false; // speaks of LCNEC without affirming it (negated, uncertain, another site): not its stage
        }
        return LungSite.IsLung(report.SpecimenSite, report.Topography) && !(report.TextTraits is { } traits
            ? traits.HasFlag(ReportTextTraits.NamesAnotherCancer)
            : LungSite.NamesAnotherCancer(report.FinalDiagnosis));
    }

    private List<HighPriorFeature> DecideHighPrior()
    {
        var features = new List<HighPriorFeature>();
        var d = Timeline.Demographics;
        if (Options.HighPriorFeatures.Contains(HighPriorFeature.NeverSmoker) && d.Smoking == SmokingStatus.Never)
        {
            features.Add(HighPriorFeature.NeverSmoker);
        }
        if (Options.HighPriorFeatures.Contains(HighPriorFeature.Female) && d.Sex == Sex.Female)
        {
            features.Add(HighPriorFeature.Female);
        }
        if (Options.HighPriorFeatures.Contains(HighPriorFeature.Young) && AgeAtDiagnosis is { } age && age < Options.YoungAgeYears)
        {
            features.Add(HighPriorFeature.Young);
        }
        return features;
    }

    // What counts as an ALK test (screening.md 1): an IHC whose clone can see lung ALK fusions (not ALK1), a molecular
    // row that reports or denies a fusion (not a point mutation, gain or expression alone), and a raw file that can show
    // a fusion (a fusion table, or a VCF calling structural variants) and is this accession's own.
    private IEnumerable<AlkTest> CollectAlkTests()
    {
        foreach (var ihc in Timeline.AlkIhc.Where(i => AlkIhcClone.CountsAsAlkTest(i, Options)))
        {
            yield return new AlkTest(ihc.ResultDate, "IHC", ihc);
        }
        foreach (var molecular in Timeline.AlkMolecular.Where(AlkAlteration.AnswersFusion))
        {
            yield return new AlkTest(molecular.ResultDate, molecular.Method.ToString().ToUpperInvariant(), molecular);
        }
        foreach (var raw in Timeline.RawFiles.Where(r => r.IsAlkFusionTest))
        {
            yield return new AlkTest(raw.KnownOn, "raw NGS", raw);
        }
    }

    /// <summary>"never smoker, female, age 53" — the features, in words, for alert text.</summary>
    public string DescribeHighPrior() => string.Join(", ", HighPrior.Select(f => f switch
    {
        HighPriorFeature.NeverSmoker => "never smoker",
        HighPriorFeature.Female => "female",
        _ => $"age {AgeAtDiagnosis} at diagnosis",
    }));
}
