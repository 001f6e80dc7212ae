using Azure;
using LcnecBatch.Azure.Telemetry;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.CaseFinding;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LcnecBatch.Azure;

/// <summary>
/// Screening runs over the persisted state, one at a time (a lease in the ingestion ledger). Each patient is taken
/// up where its ledger stopped and walked event-driven (from one day its alerts can change to the next) through the
/// same <see cref="ScreeningSession"/> the command line uses, so raises, reminders and resolutions come out as in one
/// long replay. A batch is screened as of its own date, for the patients it touched (with LCNEC text, or watched) and
/// those due by then (their saved next boundary falls on or before it, or a response named them); its alert events are
/// saved unsent with the ledger, then sent, then marked sent, then the batch is marked screened. A failure
/// anywhere leaves the batch pending and the events unsent: the next run (a re-delivery, another batch, the
/// sweep, the unsent-alerts timer) picks both up, and the ledger never computes an event twice. One patient that
/// cannot be screened is recorded and skipped instead (see <see cref="ScreenPatientsAsync"/>), so it holds back no
/// one else. The lease is renewed in the background while a run works (<see cref="ScreeningLeaseKeeper"/>); a run
/// that loses it stops. Batches are screened in date order, never one before an earlier one still arriving
/// (<see cref="DueAsync"/>), so deliveries in any order give the events of one replay.
/// </summary>
public sealed class BatchScreening(
    IBatchState state,
    IAlertSink sink,
    IOptions<ScreeningOptions> screening,
    IOptions<StateTableOptions> tables,
    IOptions<LabExportOptions> exports,
    ILogger<BatchScreening> logger,
    TimeProvider time,
    PipelineMetrics metrics)
{
    private const int MaxAttempts = 5;

    /// <summary>Unsaved rows after which a walk saves (a transaction holds 100): a long catch-up goes in steps.</summary>
    private const int SaveThreshold = 50;
    private readonly ScreeningOptions _options = screening.Value.Validated();
    private readonly StateTableOptions _tables = tables.Value;
    private readonly LabExportOptions _exports = exports.Value;

    /// <summary>The completion path: screens every batch whose manifest and listed files have all arrived and that is not screened yet.</summary>
    public async Task ScreenCompleteBatchesAsync(CancellationToken cancellationToken)
    {
        // A delivery that finds the lease taken leaves its batch to the holder, which looks again after releasing it.
        for (var round = 0; round < 3 && (await DueAsync(await state.PendingBatchesAsync(cancellationToken), sweep: false, cancellationToken)).Count > 0; round++)
        {
            if (!await RunLeasedAsync(sweep: false, cancellationToken))
            {
                return;
            }
        }
    }

    /// <summary>
    /// The nightly safety net: every batch not yet screened, complete or not (manifest-less batches too) once its
    /// first file is <see cref="StateTableOptions.MinimumBatchAge"/> old, then every watched patient as of the latest
    /// batch date (short of a batch left to arrive), then batches that completed meanwhile, then whatever is still
    /// unsent. A busy lease is tried again <see cref="StateTableOptions.LeaseBusyRetries"/> times,
    /// <see cref="StateTableOptions.LeaseBusyDelay"/> apart, before the sweep fails for the host's retry policy.
    /// </summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; !await RunLeasedAsync(sweep: true, cancellationToken); attempt++)
        {
            if (attempt > _tables.LeaseBusyRetries)
            {
                throw new InvalidOperationException("another screening run holds the lease; the sweep is left to the host's retry");
            }
            logger.SweepWaitingForLease(attempt + 1, _tables.LeaseBusyRetries + 1, _tables.LeaseBusyDelay);
            await Task.Delay(_tables.LeaseBusyDelay, time, cancellationToken);
        }
    }

    /// <summary>
    /// Whether facts can start a patient's alerts: a report that speaks of LCNEC at all (affirmed or not). Nothing
    /// else makes a patient LCNEC, and only LCNEC patients (watched from their first screening on) have alerts.
    /// </summary>
    public static bool SpeaksOfLcnec(IEnumerable<TimelineEvent> facts) =>
        facts.OfType<PathologyReported>().Any(report => LcnecFinder.Assess(report) is not null);

    /// <summary>
    /// Sends what earlier runs could not (also the <c>SendUnsentAlerts</c> timer's whole job). Takes no lease: each
    /// send is keyed by its message id (duplicate detection drops a repeat inside the topic's window) and marking
    /// sent deletes the outbox row whatever its version, so a send racing a screening run's own send can at worst
    /// send a row twice seconds apart, which the window drops; waiting for a sweep's lease would hold leftovers back
    /// for as long as the sweep runs.
    /// </summary>
    public async Task<int> SendUnsentAsync(CancellationToken cancellationToken)
    {
        var unsent = await state.UnsentAsync(cancellationToken);
        if (unsent.Count == 0)
        {
            return 0;
        }
        using var activity = metrics.Activities.StartActivity("lcnec.send_alerts");
        activity?.SetTag("alerts.unsent", unsent.Count);
        try
        {
            await sink.SendAsync(unsent, async (sent, ct) =>
            {
                metrics.RecordSent(sent);
                await state.MarkSentAsync(sent, ct);
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            metrics.RecordSendFailure();
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
            logger.SendFailed(e, unsent.Count);
            throw;
        }
        logger.Sent(unsent.Count);
        return unsent.Count;
    }

    private async Task<bool> RunLeasedAsync(bool sweep, CancellationToken cancellationToken)
    {
        var lease = await state.TryLeaseAsync(Guid.NewGuid().ToString("N"), _tables.ScreeningLease, cancellationToken);
        if (lease is null)
        {
            logger.ScreeningBusy();
            return false;
        }
        var keeper = new ScreeningLeaseKeeper(state, lease, _tables.ScreeningLease, time, logger, cancellationToken);
        using var activity = metrics.Activities.StartActivity("lcnec.screening_run");
        activity?.SetTag("run", sweep ? "sweep" : "delivery");
        var started = time.GetTimestamp();
        try
        {
            var work = keeper.Token;
            var leftAlone = await ScreenPendingAsync(sweep, work);
            if (sweep && await state.LatestBatchDateAsync(work) is { } latest)
            {
                // Never walked into a batch still arriving: up to the day before the first one left alone.
                var asOf = leftAlone?.AddDays(-1) ?? latest;
                // Only the patients due by then: the others' alerts cannot change before a new fact (which a batch brings).
                var due = await state.DueAsync(asOf, work);
                logger.Sweeping(asOf, due.Count);
                await ScreenPatientsAsync(due, asOf, _ => asOf, due, work);
                // Batches that completed while the watched patients were walked (their deliveries found the lease busy).
                await ScreenPendingAsync(sweep, work);
            }
            await SendUnsentAsync(work);
            return true;
        }
        catch (Exception e) when (keeper.Lost && !cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException("the screening lease was lost to another run; this one stopped", e);
        }
        finally
        {
            metrics.RecordScreeningRun(time.GetElapsedTime(started), sweep);
            await keeper.DisposeAsync();
        }
    }

    /// <summary>Screens the due batches, rounds until none is left (bounded); returns the date of the first batch the sweep left alone for its age.</summary>
    private async Task<DateOnly?> ScreenPendingAsync(bool sweep, CancellationToken cancellationToken)
    {
        DateOnly? leftAlone = null;
        for (var round = 0; round < 10; round++)
        {
            var pending = await state.PendingBatchesAsync(cancellationToken);
            var due = await DueAsync(pending, sweep, cancellationToken);
            leftAlone = sweep ? pending.Except(due).Select(b => b.Date).Cast<DateOnly?>().Min() : null;
            if (due.Count == 0)
            {
                return leftAlone;
            }
            var touchedBy = new Dictionary<DateOnly, IReadOnlyDictionary<string, bool>>();
            foreach (var batch in pending)
            {
                touchedBy[batch.Date] = await state.TouchedAsync(batch.Date, cancellationToken);
            }
            var screened = 0;
            foreach (var batch in due)
            {
                cancellationToken.ThrowIfCancellationRequested();
                screened += await ScreenBatchAsync(batch, pending, touchedBy, cancellationToken) ? 1 : 0;
            }
            if (screened == 0)
            {
                return leftAlone; // every batch changed while it was screened: left pending for the next run
            }
        }
        return leftAlone;
    }

    /// <summary>
    /// The pending batches to screen now, oldest first, stopping at the first that must wait: one still arriving
    /// (incomplete, and for the sweep younger than <see cref="StateTableOptions.MinimumBatchAge"/>), or on delivery
    /// one with an export day of the lab's schedule before it whose batch has not come at all
    /// (<see cref="LabExportOptions.ExportDays"/>). A later batch never goes first: its screening walks patients past
    /// the earlier batch's date, and the earlier batch's facts would then count from the day they arrived, not the
    /// day they belong to.
    /// </summary>
    private async Task<IReadOnlyList<BatchStatus>> DueAsync(IReadOnlyList<BatchStatus> pending, bool sweep, CancellationToken cancellationToken)
    {
        var due = pending.TakeWhile(b => b.IsComplete || sweep && OldEnough(b)).ToList();
        if (sweep || due.Count == 0 || _exports.ExportDays.Count == 0)
        {
            return due;
        }
        var known = (await state.BatchDatesAsync(cancellationToken)).ToHashSet();
        var since = _exports.ExportsSince ?? known.Min();
        var upTo = due.FindIndex(batch =>
        {
            for (var day = batch.Date.AddDays(-_exports.InOrderDays); day < batch.Date; day = day.AddDays(1))
            {
                if (day >= since && _exports.ExportDays.Contains(day.DayOfWeek) && !known.Contains(day))
                {
                    logger.WaitingForEarlierBatch(batch.Date, day);
                    return true;
                }
            }
            return false;
        });
        return upTo < 0 ? due : due[..upTo];
    }

    /// <summary>Whether an incomplete batch's first file arrived at least <see cref="StateTableOptions.MinimumBatchAge"/> ago (unknown: yes).</summary>
    private bool OldEnough(BatchStatus batch)
    {
        if (batch.FirstArrival is not { } first)
        {
            return true;
        }
        var age = time.GetUtcNow() - first;
        if (age >= _tables.MinimumBatchAge)
        {
            return true;
        }
        logger.BatchTooYoung(batch.Date, age, _tables.MinimumBatchAge);
        return false;
    }

    /// <returns>Whether the batch is now marked screened (false when a file arrived in it meanwhile).</returns>
    private async Task<bool> ScreenBatchAsync(BatchStatus batch, IReadOnlyList<BatchStatus> pending, Dictionary<DateOnly, IReadOnlyDictionary<string, bool>> touchedBy, CancellationToken cancellationToken)
    {
        var touched = touchedBy[batch.Date];
        var watched = await state.WatchedAsync(cancellationToken);
        // A patient whose facts came in an earlier batch that is still pending is walked from that batch's date, and
        // needs walking at all only when a report of one of those batches spoke of LCNEC (or it is watched).
        var firstTouched = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        var lcnecText = new HashSet<string>(StringComparer.Ordinal);
        foreach (var earlier in pending.Where(b => b.Date <= batch.Date).OrderByDescending(b => b.Date))
        {
            foreach (var (patient, speaksOfLcnec) in touchedBy[earlier.Date])
            {
                firstTouched[patient] = earlier.Date;
                if (speaksOfLcnec)
                {
                    lcnecText.Add(patient);
                }
            }
        }
        // Watched patients the batch did not touch are walked only when due: a boundary of theirs (reminder,
        // escalation, snooze end, window end) falls on or before the batch date, or a response named them.
        var due = await state.DueAsync(batch.Date, cancellationToken);
        var screened = touched.Keys.Where(p => lcnecText.Contains(p) || watched.Contains(p)).Union(due).ToList();
        logger.ScreeningBatch(batch.Date, touched.Count, screened.Count, watched.Count, batch.IsComplete);
        var walked = watched.Union(due).ToHashSet(StringComparer.Ordinal);
        var events = await ScreenPatientsAsync(screened, batch.Date, p => firstTouched.GetValueOrDefault(p, batch.Date), walked, cancellationToken);
        logger.ScreenedBatch(batch.Date, events);
        await SendUnsentAsync(cancellationToken);
        if (await state.MarkScreenedAsync(batch, cancellationToken))
        {
            metrics.RecordBatchScreened();
            return true;
        }
        logger.BatchChanged(batch.Date);
        return false;
    }

    /// <summary>
    /// Screens each patient on its own: one that fails (a stored event that no longer parses, a ledger that keeps
    /// changing, a day too big for a transaction, a storage error) is recorded with the reason's class and left for
    /// the next run, and the others go on. Patients recorded by an earlier run are screened again here, after the
    /// others, and a success forgets the record. Storage down is no patient's fault: when the first
    /// <see cref="OutageProbe"/> patients to finish all failed with storage errors the run stops (as it does when a
    /// failure cannot even be recorded), and everything stays as the next run needs it.
    /// </summary>
    private async Task<int> ScreenPatientsAsync(IEnumerable<string> patients, DateOnly asOf, Func<string, DateOnly> touchedFrom, IReadOnlySet<string> watched, CancellationToken cancellationToken)
    {
        var failures = (await state.FailuresAsync(cancellationToken)).ToDictionary(f => f.Pseudonym, StringComparer.Ordinal);
        var given = patients.ToHashSet(StringComparer.Ordinal);
        var all = given.Order(StringComparer.Ordinal).Concat(failures.Keys.Where(p => !given.Contains(p))).ToList();
        var events = 0;
        var failed = 0;
        var outage = new OutageProbe();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _tables.Parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(all, parallel, async (patient, ct) =>
        {
            var recorded = failures.GetValueOrDefault(patient);
            var from = given.Contains(patient) ? touchedFrom(patient) : recorded!.From;
            from = recorded is not null && recorded.From < from ? recorded.From : from;
            var through = recorded is not null && recorded.Through > asOf ? recorded.Through : asOf;
            try
            {
                Interlocked.Add(ref events, await ScreenPatientAsync(patient, through, from, watched.Contains(patient), ct));
                outage.Succeeded();
                if (recorded is not null)
                {
                    await state.ClearFailureAsync(patient, ct);
                    logger.PatientRecovered(patient, recorded.Reason, recorded.Attempts);
                }
            }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                var reason = ReasonOf(e);
                if (outage.Failed(reason == PatientFailureReason.StorageError))
                {
                    logger.StorageOutage(OutageProbe.Patients);
                    throw;
                }
                var now = time.GetUtcNow();
                var failure = recorded is null
                    ? new PatientFailure(patient, reason, from, through, 1, now, now)
                    : recorded with { Reason = reason, From = from, Through = through, Attempts = recorded.Attempts + 1, LastFailedAt = now };
                await state.RecordFailureAsync(failure, ct);
                Interlocked.Increment(ref failed);
                logger.PatientFailed(patient, reason, failure.Attempts);
            }
        });
        if (failed > 0)
        {
            logger.PatientsFailed(asOf, failed, all.Count);
        }
        return events;
    }

    /// <summary>The class of a patient's failure; the exception's text is never kept (it may quote stored data).</summary>
    private static string ReasonOf(Exception e) => e switch
    {
        PatientScreeningException known => known.Reason,
        RequestFailedException or OperationCanceledException or HttpRequestException or IOException => PatientFailureReason.StorageError,
        _ => PatientFailureReason.ScreeningError,
    };

    /// <summary>
    /// Walks one patient to <paramref name="asOf"/> (or the day its ledger already reached) and saves the ledger
    /// with the new events, unsent, in as many consistent steps as the transaction limit asks (see
    /// <see cref="WalkAsync"/>). A save that finds the ledger changed reads it again and goes on from the last day
    /// saved; after <see cref="MaxAttempts"/> such conflicts the patient fails (save-conflicts).
    /// </summary>
    private async Task<int> ScreenPatientAsync(string pseudonym, DateOnly asOf, DateOnly touchedFrom, bool watched, CancellationToken cancellationToken)
    {
        var saved = 0;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            // The ledger before the facts: a response recorded after this read changes the patient row's version, so
            // the save below fails and the walk reads again, instead of clearing the response's due mark unseen.
            var ledger = await state.AlertsAsync(pseudonym, cancellationToken);
            var facts = await state.EventsAsync(pseudonym, cancellationToken);
            if (facts.OfType<IPatientFact>().FirstOrDefault()?.Mrn is not { } mrn)
            {
                return saved;
            }
            var session = new ScreeningSession(_options);
            foreach (var fact in facts)
            {
                session.Add(fact);
            }
            // No report that speaks of LCNEC, no alert ever: nothing to walk (most patients of a batch).
            if (!watched && session.Store.Timeline(mrn, DateOnly.MaxValue) is { } all && new PatientFacts(all, _options).Findings.Count == 0)
            {
                return saved;
            }
            foreach (var raw in await state.RawFilesAsync(facts.OfType<ISpecimenFact>().Select(f => f.Accession), cancellationToken))
            {
                session.Add(raw);
            }
            var to = ledger.ScreenedThrough is { } through && through > asOf ? through : asOf;
            var from = ledger.ScreenedThrough ?? (touchedFrom < to ? touchedFrom : to);
            session.Resume(ledger.Records);
            var (events, done) = await WalkAsync(session, ledger, from, to, asOf, cancellationToken);
            saved += events;
            if (done)
            {
                logger.ScreenedPatient(pseudonym, from, to, saved);
                return saved;
            }
            logger.PatientChanged(pseudonym, attempt);
        }
        throw new PatientScreeningException(PatientFailureReason.SaveConflicts);
    }

    /// <summary>
    /// Walks from <paramref name="from"/> to <paramref name="to"/>, event-driven: from one day the session has work on
    /// (<see cref="ScreeningSession.NextDue"/>: facts, responses, a boundary) to the next, and <paramref name="to"/>.
    /// Saves after any such day whose unsaved
    /// changes (changed records, new events, the patient row) reach <see cref="SaveThreshold"/>, and after the last:
    /// each save is a state the ledger could have stopped at (screened through that day, the records of that day,
    /// the events up to it), written with the version the previous save returned. A day that would overflow a
    /// transaction with the days before it lets those be saved first; a day too big alone is ledger-too-large.
    /// </summary>
    /// <returns>The events saved, and whether the walk reached <paramref name="to"/> (false: a save found the ledger changed).</returns>
    private async Task<(int Events, bool Done)> WalkAsync(ScreeningSession session, PatientAlerts saved, DateOnly from, DateOnly to, DateOnly batchDate, CancellationToken cancellationToken)
    {
        var savedEvents = 0;
        var unsaved = new List<AlertMessage>();
        WalkStep? previous = null;
        for (var day = from; day <= to; day = session.NextDue is { } next && next < to ? next : (day < to ? to : DateOnly.MaxValue))
        {
            unsaved.AddRange(session.AdvanceTo(day, from).Select(e => new AlertMessage(saved.Pseudonym, e, batchDate)));
            var step = new WalkStep(day, session.CountLcnec().Lcnec > 0, [.. session.Ledger.Records], unsaved.Count, session.NextDue);
            if (step.Actions(saved) > TableBatchState.MaxSaveActions && previous is { } before)
            {
                if (await state.SaveAlertsAsync(saved, before.Screening(unsaved), cancellationToken) is not { } next)
                {
                    return (savedEvents, false);
                }
                logger.SavedPatientStep(saved.Pseudonym, before.Day, before.Events);
                (saved, savedEvents) = (next, savedEvents + before.Events);
                unsaved.RemoveRange(0, before.Events);
                step = step with { Events = unsaved.Count };
            }
            var actions = step.Actions(saved);
            if (actions > TableBatchState.MaxSaveActions)
            {
                throw new PatientScreeningException(PatientFailureReason.LedgerTooLarge);
            }
            if (actions < SaveThreshold && day < to)
            {
                previous = step;
                continue;
            }
            if (await state.SaveAlertsAsync(saved, step.Screening(unsaved), cancellationToken) is not { } written)
            {
                return (savedEvents, false);
            }
            if (day < to)
            {
                logger.SavedPatientStep(saved.Pseudonym, day, step.Events);
            }
            (saved, savedEvents, previous) = (written, savedEvents + step.Events, null);
            unsaved.Clear();
        }
        return (savedEvents, true);
    }

    /// <summary>The ledger as of one day of a walk, with how many of the walk's unsaved events it includes.</summary>
    private sealed record WalkStep(DateOnly Day, bool Lcnec, IReadOnlyList<AlertRecord> Records, int Events, DateOnly? NextDue)
    {
        public PatientScreening Screening(List<AlertMessage> unsaved) => new(Day, Lcnec, Records, [.. unsaved.Take(Events)], NextDue);

        /// <summary>Rows a save of this step writes over <paramref name="saved"/>: the patient row, each changed record (as the save compares them), each event.</summary>
        public int Actions(PatientAlerts saved)
        {
            var before = saved.Records.ToDictionary(r => r.Last.AlertId, StringComparer.Ordinal);
            return 1 + Events + Records.Count(r => !before.TryGetValue(r.Last.AlertId, out var was)
                || (!ReferenceEquals(was, r) && !AlertRecordJson.ToUtf8(was).AsSpan().SequenceEqual(AlertRecordJson.ToUtf8(r))));
        }
    }

    /// <summary>Whether the first patients to finish all failed with storage errors: then storage is down, not a patient.</summary>
    private sealed class OutageProbe
    {
        public const int Patients = 3;
        private readonly Lock _gate = new();
        private int _finished;
        private int _storageErrors;

        public void Succeeded()
        {
            lock (_gate)
            {
                _finished++;
            }
        }

        /// <returns>Whether this failure shows an outage: it is the <see cref="Patients"/>-th storage error of the first as many to finish.</returns>
        public bool Failed(bool storageError)
        {
            lock (_gate)
            {
                _finished++;
                _storageErrors += storageError && _finished <= Patients ? 1 : 0;
                return storageError && _storageErrors == Patients && _finished == Patients;
            }
        }
    }
}
