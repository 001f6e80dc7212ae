using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.CaseFinding;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;

namespace LcnecBatch.Core.Audit;

/// <summary>What to audit: the window (default: the archive's first to last batch) and the screening options.</summary>
public sealed record AuditRequest(DateOnly? From, DateOnly? To, ScreeningOptions Options)
{
    /// <summary>How many batches may be parsed ahead of the one being applied: memory grows with this, not with days.</summary>
    public int Lookahead { get; init; } = Math.Clamp(Environment.ProcessorCount * 2, 2, 16);

    /// <summary>How the replay walks the calendar: event-driven (the default), or day by day (the oracle of the tests).</summary>
    public ScreeningWalk Walk { get; init; } = ScreeningWalk.EventDriven;

    /// <summary>
    /// Whether the facts of dormant patients (screened without LCNEC, quiet for a while) are put to rest in an encrypted
    /// temporary file while the replay runs, so memory grows with the patients who can still raise alerts (default on).
    /// </summary>
    public bool SpillDormant { get; init; } = true;

    /// <summary>Where the spill file goes; null for the temporary folder.</summary>
    public string? SpillDirectory { get; init; }

    /// <summary>Sees every alert event of the replay, in order (the tests compare the two walks' streams).</summary>
    internal Action<AlertEvent>? OnAlertEvent { get; init; }
}

/// <summary>
/// What the replay did with dormant patients' facts (see <see cref="AuditRequest.SpillDormant"/>): of the patients seen, how
/// many were at rest in the spill file at the end, how often a patient was put to rest or woken by a new fact, and the
/// bytes the (deleted) spill file held. Said on the command line, never in the report: it is how the run used memory.
/// </summary>
public sealed record AuditDormancy(int Patients, int AtRest, int Spills, int Wakes, long SpillBytes)
{
    /// <summary>The type of the fault that stopped writing the spill file (facts then stayed in memory); null when none.</summary>
    public string? Fault { get; init; }
}

/// <summary>Reported after each batch is applied: <see cref="Done"/> of <see cref="Total"/> batches, the last one's date.</summary>
public readonly record struct AuditProgress(int Done, int Total, DateOnly Date);

/// <summary>The figures, the cohort's cases, the LCNEC findings, and what could not be read inside the window.</summary>
public sealed record AuditResult(
    AuditFigures Figures,
    IReadOnlyList<AuditCase> Cases,
    IReadOnlyList<AuditFinding> Findings,
    IReadOnlyList<Rejection> Rejections,
    IReadOnlyList<FileFailure> Quarantined,
    IReadOnlyList<string> MissingFromManifest)
{
    /// <summary>How the replay kept dormant patients' facts; null when not told.</summary>
    public AuditDormancy? Dormancy { get; init; }

    /// <summary>Files of the window's batches that no reader takes (path and why).</summary>
    public IReadOnlyList<FileIngestion> NotInputs { get; init; } = [];

    /// <summary>Rows read well but contradicted by another file (a specimen dated before the patient's birth): not screened.</summary>
    public IReadOnlyList<Rejection> SetAside { get; init; } = [];

    /// <summary>Folders named like a batch that are not a valid date: not read.</summary>
    public IReadOnlyList<string> NotBatches { get; init; } = [];

    /// <summary>Patients the care team said are not LCNEC, by MRN (as <c>cases.csv</c>), for the pathologists to review.</summary>
    public IReadOnlyList<PathologyReview> PathologyReview { get; init; } = [];

    public bool HadRejections => Rejections.Count > 0 || Quarantined.Count > 0 || MissingFromManifest.Count > 0 || NotInputs.Count > 0 || NotBatches.Count > 0 || SetAside.Count > 0;

    /// <summary>Writes audit.html, audit.json, cases.csv, findings.csv, pathology_review.csv and responses.csv into <paramref name="folder"/> (created if need be).</summary>
    public void WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        // The page (its charts are most of the writing) is written on another core while the data files are.
        var page = Task.Run(() =>
        {
            using var html = File.Create(Path.Combine(folder, AuditHtml.FileName));
            AuditHtml.Write(html, this);
        });
        using (var json = File.Create(Path.Combine(folder, AuditJson.FileName)))
        {
            AuditJson.Write(json, Figures);
        }
        using (var cases = File.Create(Path.Combine(folder, AuditCsv.CasesFileName)))
        {
            AuditCsv.WriteCases(cases, Cases);
        }
        using (var findings = File.Create(Path.Combine(folder, AuditCsv.FindingsFileName)))
        {
            AuditCsv.WriteFindings(findings, Findings);
        }
        using (var review = File.Create(Path.Combine(folder, AuditCsv.PathologyReviewFileName)))
        {
            AuditCsv.WritePathologyReview(review, PathologyReview);
        }
        using (var responses = File.Create(Path.Combine(folder, AuditCsv.ResponsesFileName)))
        {
            AuditCsv.WriteResponses(responses, Figures.Responses.Rows);
        }
        page.GetAwaiter().GetResult();
    }
}

/// <summary>
/// A patient the care team answered "not LCNEC" for (the latest such response known at the window's end), and the
/// diagnosis a report dated after that response makes again, if any.
/// </summary>
public sealed record PathologyReview(AlertResponded Response, LcnecDiagnosis? DiagnosedAgain);

/// <summary>One report that speaks of LCNEC (a row of <c>findings.csv</c>), with what the finder made of it.</summary>
public sealed record AuditFinding(PathologyReported Report, LcnecFinding Finding, bool InCohort);
