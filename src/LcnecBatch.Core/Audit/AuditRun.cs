using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.CaseFinding;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Timeline;

namespace LcnecBatch.Core.Audit;

/// <summary>
/// <c>lcnec audit</c>: replays an archive day by day as the nightly job would have run, so alerts are raised,
/// reminded and resolved on the dates they would have been. Batches before the window are replayed too, to carry
/// patient state and open alerts into it, but are not counted. Batch files are parsed on worker threads up to
/// <see cref="AuditRequest.Lookahead"/> batches ahead (parsing does not depend on order); their events are applied
/// to the one screening session strictly in date order. What is kept grows with patients and alerts, not days.
/// </summary>
public static class AuditRun
{
    public static AuditResult Run(IBatchArchive archive, AuditRequest request, Action<AuditProgress>? onProgress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(request);
        var all = archive.BatchDates();
        if (all.Count == 0)
        {
            throw new ArgumentException("the archive holds no batch folders (yyyy-MM-dd)");
        }
        var from = request.From ?? all[0];
        var to = request.To ?? all[^1];
        if (from > to)
        {
            throw new ArgumentException($"the audit window is empty: --from {from:yyyy-MM-dd} is after --to {to:yyyy-MM-dd}");
        }
        var dates = all.Where(d => d <= to).ToList();
        using var store = OpenStore(request, out var spillFault);
        var replay = new Replay(request.Options, from, to, request.Walk, request.OnAlertEvent, store);
        var ngs = request.Options.Ngs.ToScanOptions();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new Queue<Task<ParsedBatch>>();
        var next = 0;
        void ReadAhead()
        {
            while (pending.Count < Math.Max(1, request.Lookahead) && next < dates.Count)
            {
                var date = dates[next++];
                pending.Enqueue(Task.Run(() => Parse(archive, date, ngs, stop.Token), stop.Token));
            }
        }
        try
        {
            // The first batches are read while the responses are: each carries the day it was recorded, so added up front
            // the walk meets it on that day.
            ReadAhead();
            replay.AddResponses(LocalRun.IngestResponses(archive, to, replay.Add));
            for (var done = 0; done < dates.Count; done++)
            {
                ReadAhead();
                var parsed = pending.Dequeue();
                if (!parsed.IsCompleted)
                {
                    // Blocks without spinning first (Task.Wait spins): on two cores a spin takes the core the parse needs.
                    ((IAsyncResult)parsed).AsyncWaitHandle.WaitOne();
                }
                replay.Apply(parsed.GetAwaiter().GetResult(), dates[0]);
                onProgress?.Invoke(new AuditProgress(done + 1, dates.Count, dates[done]));
            }
        }
        finally
        {
            if (pending.Count > 0)
            {
                // Stop the batches read ahead, and observe their end so a late fault is not left unobserved.
                stop.Cancel();
                Task.WhenAll(pending).ContinueWith(t => t.Exception, TaskScheduler.Default).Wait(CancellationToken.None);
            }
        }
        var notBatches = archive.NotBatches();
        var (atRest, spills, wakes, bytes, fault) = store.SpillCounts;
        return replay.Finish(dates.Count > 0 ? dates[0] : from, dates.Count(d => d < from), notBatches.Count) with
        {
            NotBatches = notBatches,
            Dormancy = new AuditDormancy(store.Patients.Count(), atRest, spills, wakes, bytes) { Fault = spillFault ?? fault },
        };
    }

    /// <summary>The replay's store: with a spill file when asked and one can be made, else all in memory (said as the fault).</summary>
    private static TimelineStore OpenStore(AuditRequest request, out string? fault)
    {
        fault = null;
        if (!request.SpillDormant)
        {
            return new TimelineStore();
        }
        try
        {
            return TimelineStore.WithDormantSpill(request.SpillDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            fault = e.GetType().Name;
            return new TimelineStore();
        }
    }

    private sealed record ParsedBatch(DateOnly Date, List<TimelineEvent> Events, List<FileIngestion> Files, List<string> MissingFromManifest);

    private static ParsedBatch Parse(IBatchArchive archive, DateOnly date, Genomics.NgsScanOptions ngs, CancellationToken cancellationToken)
    {
        var present = archive.Files(date);
        var events = new List<TimelineEvent>();
        var files = new List<FileIngestion>(present.Count);
        var missing = new List<string>();
        foreach (var file in present)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ingestion = LocalRun.IngestFile(date, file, events.Add, ngs);
            files.Add(ingestion);
            if (ingestion.Manifest is { } manifest)
            {
                var folder = file.SourcePath[..file.SourcePath.IndexOf('/')];
                missing.AddRange(manifest.Files.Select(f => $"{folder}/{f}").Where(f => !present.Any(p => p.SourcePath == f)));
            }
        }
        for (var i = 0; i < events.Count; i++)
        {
            _ = events[i].EventId; // hashed here, on the worker: the session only looks it up
            events[i] = TimelineStore.Lean(events[i]); // and a report read here, so the session keeps it as it will be stored
        }
        return new ParsedBatch(date, events, files, missing);
    }

    /// <summary>The single-threaded half: the session, and the tallies of what it did inside the window.</summary>
    private sealed class Replay(ScreeningOptions options, DateOnly from, DateOnly to, ScreeningWalk walk, Action<AlertEvent>? onAlertEvent, TimelineStore store)
    {
        private readonly ScreeningSession _session = new(options, walk, store);
        private readonly Dictionary<string, AlertHistory> _alerts = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int[]> _counts = new(StringComparer.Ordinal); // raised, reopened, reminders, resolved
        private readonly Dictionary<string, List<int>> _resolutionDays = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _closed = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _escalated = new(StringComparer.Ordinal);
        private readonly List<AlertResponded> _responses = [];
        private readonly List<Rejection> _rejections = [];
        private readonly List<FileFailure> _quarantined = [];
        private readonly List<string> _missing = [];
        private readonly List<FileIngestion> _notInputs = [];
        private int _batches;
        private int _files;
        private int _rowsRead;
        private int _rowsAccepted;

        public void Add(TimelineEvent fact)
        {
            if (fact is AlertResponded response)
            {
                _responses.Add(response);
            }
            _session.Add(fact);
        }

        /// <summary>Response files count with the window's input when recorded inside it.</summary>
        public void AddResponses(IEnumerable<(FileIngestion Ingestion, BatchFileRef File)> responses)
        {
            foreach (var (file, _) in responses)
            {
                var day = file.Source.Split('/') is [_, var folder, ..] && ArchiveFolder.TryParseBatchName(folder, out var d) ? d : (DateOnly?)null;
                if (day is { } recorded && recorded < from)
                {
                    continue;
                }
                _files++;
                Tally(file);
            }
        }

        private void Tally(FileIngestion file)
        {
            _rowsRead += file.RowsRead;
            _rowsAccepted += file.RowsAccepted;
            _rejections.AddRange(file.Rejections);
            if (file.Failure is { } failure)
            {
                _quarantined.Add(failure);
            }
            if (file.Kind == BatchFileKind.NotAnInput)
            {
                _notInputs.Add(file);
            }
        }

        public void Apply(ParsedBatch batch, DateOnly first)
        {
            foreach (var e in batch.Events)
            {
                _session.Add(e);
            }
            Count(_session.AdvanceTo(batch.Date, first, settle: batch.Date >= to));
            if (batch.Date < from)
            {
                return;
            }
            _batches++;
            _files += batch.Files.Count;
            foreach (var file in batch.Files)
            {
                Tally(file);
            }
            _missing.AddRange(batch.MissingFromManifest);
        }

        private void Count(IReadOnlyList<AlertEvent> events)
        {
            foreach (var e in events)
            {
                onAlertEvent?.Invoke(e);
                var alert = e.Alert;
                if (!_alerts.TryGetValue(alert.AlertId, out var history))
                {
                    _alerts[alert.AlertId] = history = new AlertHistory(alert.RuleId, alert.Patient.Mrn, alert.Subject);
                }
                history.Severity = alert.Finding.Severity;
                var inWindow = e.On >= from && e.On <= to;
                var counts = inWindow ? CountsOf(alert.RuleId) : new int[4];
                switch (e.Kind)
                {
                    case AlertEventKind.Raised or AlertEventKind.Reopened:
                        history.Openings.Add((e.On, null));
                        counts[e.Kind == AlertEventKind.Raised ? 0 : 1]++;
                        break;
                    case AlertEventKind.Reminder:
                        history.Reminders += inWindow ? 1 : 0;
                        counts[2]++;
                        break;
                    case AlertEventKind.Resolved:
                        var raisedOn = history.Openings.Count > 0 ? history.Openings[^1].RaisedOn : e.On;
                        if (history.Openings.Count > 0)
                        {
                            history.Openings[^1] = (raisedOn, e.On);
                        }
                        counts[3]++;
                        if (inWindow)
                        {
                            ResolutionDaysOf(alert.RuleId).Add(e.On.DayNumber - raisedOn.DayNumber);
                        }
                        break;
                    // A closing or an escalation is its own figure, never a reminder.
                    case AlertEventKind.Closed when inWindow:
                        _closed[alert.RuleId] = _closed.GetValueOrDefault(alert.RuleId) + 1;
                        break;
                    case AlertEventKind.Escalated when inWindow:
                        _escalated[alert.RuleId] = _escalated.GetValueOrDefault(alert.RuleId) + 1;
                        break;
                }
            }
        }

        private int[] CountsOf(string ruleId)
        {
            if (!_counts.TryGetValue(ruleId, out var counts))
            {
                _counts[ruleId] = counts = new int[4];
            }
            return counts;
        }

        private List<int> ResolutionDaysOf(string ruleId)
        {
            if (!_resolutionDays.TryGetValue(ruleId, out var days))
            {
                _resolutionDays[ruleId] = days = [];
            }
            return days;
        }

        public AuditResult Finish(DateOnly first, int historyBatches, int notBatches)
        {
            Count(_session.AdvanceTo(to, first));
            var byPatient = _alerts.Values.ToLookup(a => a.Mrn, StringComparer.Ordinal);
            var cases = new List<AuditCase>();
            var findings = new List<AuditFinding>();
            var uncertain = 0;
            var review = new List<PathologyReview>();
            // A patient with no report that speaks of LCNEC and no response has no finding, case or review to list. The
            // others are read on every core (in patient order: the report's rows keep it).
            var store = _session.Store;
            var read = store.Patients
                .Where(mrn => store.MayHaveLcnec(mrn) || store.HasResponses(mrn))
                .AsParallel().AsOrdered()
                .Select(mrn => store.Timeline(mrn, to) is { } timeline ? new PatientFacts(timeline, options) : null)
                .ToList();
            foreach (var facts in read.OfType<PatientFacts>())
            {
                var mrn = facts.Timeline.Mrn;
                if (facts.NotLcnec is { } notLcnec)
                {
                    review.Add(new PathologyReview(notLcnec, facts.Diagnosis));
                }
                var inCohort = facts.Diagnosis is { } diagnosis && diagnosis.Date >= from && diagnosis.Date <= to;
                if (inCohort)
                {
                    cases.Add(AuditCase.From(facts, [.. byPatient[mrn].OrderBy(a => a.Openings.FirstOrDefault().RaisedOn).ThenBy(a => a.RuleId, StringComparer.Ordinal)]));
                }
                var inWindow = facts.Findings.Where(f => f.Report.ReportDate >= from && f.Report.ReportDate <= to).ToList();
                findings.AddRange(inWindow.Select(f => new AuditFinding(f.Report, f.Finding, inCohort)));
                uncertain += !facts.HasLcnec && inWindow.Any(f => f.Finding.Assertion == Assertion.Uncertain) ? 1 : 0;
            }
            var open = _session.Ledger.Records.Where(r => r.IsOpen).GroupBy(r => r.Last.RuleId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var ruleIds = Screener.DefaultRules.Select(r => r.Id)
                .Concat(_counts.Keys.Concat(open.Keys).Where(id => Screener.DefaultRules.All(r => r.Id != id)).Distinct().Order(StringComparer.Ordinal));
            var rules = ruleIds.Select(id =>
            {
                var c = _counts.GetValueOrDefault(id) ?? new int[4];
                var days = _resolutionDays.GetValueOrDefault(id) ?? [];
                return new RuleActivity(id, c[0], c[1], c[2], c[3], open.GetValueOrDefault(id), DayDistribution.Of(days));
            }).ToList();
            var input = new AuditInput(
                _batches, historyBatches, _files, _rowsRead, _rowsAccepted, _rejections.Count, _quarantined.Count, _missing.Count)
            {
                FilesNotAnInput = _notInputs.Count,
                FoldersNotBatches = notBatches,
            };
            var responses = ResponseActivity.Compute(from, to, _responses, _alerts, _closed, _escalated, rules.Select(r => r.RuleId));
            return new AuditResult(
                AuditFigures.Compute(from, to, input, cases, uncertain, rules) with { Responses = responses },
                cases,
                findings,
                _rejections,
                _quarantined,
                _missing)
            {
                NotInputs = _notInputs,
                PathologyReview = review,
                SetAside = LocalRun.SetAsideRows(_session, to),
            };
        }
    }
}
