using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Pipeline;

namespace LcnecBatch.Azure;

/// <summary>One delivery of a batch file: the same name with the same bytes is the same delivery.</summary>
public sealed record DeliveredFile(DateOnly BatchDate, string PathInBatch, string ContentHash)
{
    /// <summary>The ETag of the blob version read (asked before reading when the trigger's stream does not say); null when it could not be had.</summary>
    public string? BlobETag { get; init; }

    /// <summary>
    /// A care-team response file (<c>responses/{BatchDate}/{PathInBatch}</c>): recorded apart from the batches, never
    /// part of one (export-format.md, "Responses").
    /// </summary>
    public bool IsResponse { get; init; }
}

/// <summary>A file as the ingestion ledger recorded it, with the ETag of the blob version read (null when it could not be had).</summary>
public sealed record RecordedFile(string PathInBatch, string? BlobETag);

/// <summary>
/// A batch as the ledger knows it; <see cref="Version"/> changes whenever a file is recorded in it.
/// <see cref="FirstArrival"/> is when the earliest of its recorded files was recorded (null when unknown).
/// </summary>
public sealed record BatchStatus(DateOnly Date, IReadOnlyList<string>? Manifest, IReadOnlySet<string> Ingested, bool Pending, string Version, DateTimeOffset? FirstArrival = null)
{
    /// <summary>The manifest has arrived and every file it lists has been ingested.</summary>
    public bool IsComplete => Manifest is { } listed && listed.All(Ingested.Contains);
}

/// <summary>One patient's alert ledger as saved: where screening got to, the records, and a version for the next save.</summary>
public sealed record PatientAlerts(string Pseudonym, DateOnly? ScreenedThrough, IReadOnlyList<AlertRecord> Records, string? Version);

/// <summary>One alert event to send, as long as it is unsent: the patient it belongs to (by pseudonym) and the batch whose screening raised it.</summary>
public sealed record AlertMessage(string Pseudonym, AlertEvent Event, DateOnly BatchDate)
{
    public string MessageId => Event.MessageId;
}

/// <summary>
/// What a screening made of one patient: the ledger after the walk and the events it produced (unsent), and
/// <see cref="NextDue"/>, the next day its alerts can change with no new fact (a reminder, escalation, snooze end or
/// window end; <see cref="Core.Pipeline.ScreeningSession.NextDue"/>), null when only a new fact can change them.
/// </summary>
public sealed record PatientScreening(DateOnly ScreenedThrough, bool Lcnec, IReadOnlyCollection<AlertRecord> Records, IReadOnlyList<AlertMessage> Events, DateOnly? NextDue = null);

/// <summary>Held by one screening run at a time; renewed in the background while the run works.</summary>
public sealed record ScreeningLease(string Owner, DateTimeOffset Until, string Version);

/// <summary>
/// What the Functions app keeps between invocations (Table Storage in production, see <see cref="TableBatchState"/>):
/// the ingestion ledger of every batch, patient facts, and each patient's alert ledger with its unsent messages.
/// Safe to call from concurrent invocations; saves that would overwrite a concurrent change say so instead.
/// </summary>
public interface IBatchState
{
    /// <summary>Whether this exact delivery (name and bytes) was already recorded.</summary>
    Task<bool> IsIngestedAsync(DeliveredFile file, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps the facts of a file, marks which patients it touched, records what became of it (a quarantined file
    /// is recorded too, so it is never retried) and marks its batch pending screening. Returns the batch as it
    /// stands now. Recording the same delivery again changes nothing but the batch's version.
    /// </summary>
    Task<BatchStatus> RecordAsync(DeliveredFile file, FileIngestion ingestion, IReadOnlyList<TimelineEvent> events, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps the facts of a response file (<see cref="DeliveredFile.IsResponse"/>) in its patients' timelines and records
    /// what became of it, like a batch file's, but in a ledger partition of its own (<c>$responses|{date}</c>): it marks
    /// no batch pending and touches no batch, so it never holds a batch back. The patients it names are walked by the
    /// next screening that walks them (they are watched while they have open alerts).
    /// </summary>
    Task RecordResponsesAsync(DeliveredFile file, FileIngestion ingestion, IReadOnlyList<TimelineEvent> events, CancellationToken cancellationToken);

    /// <summary>Every response file of a day the ledger has a row for, by name in the day's folder (for the sweep's reconciliation).</summary>
    Task<IReadOnlyDictionary<string, RecordedFile>> RecordedResponsesAsync(DateOnly recordedOn, CancellationToken cancellationToken);

    /// <summary>What became of each file of a batch, in path order (the first 1,000 rejections of each).</summary>
    Task<IReadOnlyList<FileIngestion>> IngestedAsync(DateOnly batchDate, CancellationToken cancellationToken);

    /// <summary>Every batch with files not yet screened, in date order.</summary>
    Task<IReadOnlyList<BatchStatus>> PendingBatchesAsync(CancellationToken cancellationToken);

    /// <summary>The date of the latest batch that has any file; null before the first.</summary>
    Task<DateOnly?> LatestBatchDateAsync(CancellationToken cancellationToken);

    /// <summary>The dates of every batch that has any file (screened or not), in order.</summary>
    Task<IReadOnlyList<DateOnly>> BatchDatesAsync(CancellationToken cancellationToken);

    /// <summary>Clears the batch's pending mark unless a file was recorded in it since <paramref name="batch"/> was read.</summary>
    Task<bool> MarkScreenedAsync(BatchStatus batch, CancellationToken cancellationToken);

    /// <summary>
    /// Pseudonyms of the patients whose facts a batch carried, each with whether the batch brought them a report
    /// that speaks of LCNEC (<see cref="BatchScreening.SpeaksOfLcnec"/>): only those, and watched patients, can
    /// have alerts to raise, remind or resolve.
    /// </summary>
    Task<IReadOnlyDictionary<string, bool>> TouchedAsync(DateOnly batchDate, CancellationToken cancellationToken);

    /// <summary>Pseudonyms of the patients to screen every day: LCNEC at their last screening, or with open alerts.</summary>
    Task<IReadOnlySet<string>> WatchedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Pseudonyms of the patients to walk as of <paramref name="asOf"/> though no batch touched them: those whose saved
    /// next boundary (<see cref="PatientScreening.NextDue"/>) falls on or before it, and those a response file named on
    /// or before it. One query on the patient rows, not a read of every watched patient.
    /// </summary>
    Task<IReadOnlySet<string>> DueAsync(DateOnly asOf, CancellationToken cancellationToken);

    Task<IReadOnlyList<TimelineEvent>> EventsAsync(string pseudonym, CancellationToken cancellationToken);

    /// <summary>Raw NGS files whose accession is one of these, whoever they turn out to belong to.</summary>
    Task<IReadOnlyList<RawNgsFileArrived>> RawFilesAsync(IEnumerable<string> accessions, CancellationToken cancellationToken);

    Task<PatientAlerts> AlertsAsync(string pseudonym, CancellationToken cancellationToken);

    /// <summary>The alert with this id and its patient's pseudonym, wherever it is in the ledger; null when no alert has it.</summary>
    Task<(string Pseudonym, AlertRecord Record)?> AlertAsync(string alertId, CancellationToken cancellationToken);

    /// <summary>
    /// Saves a patient's ledger and its new unsent events in one transaction, and returns the ledger as saved (with
    /// the version for the next save); null (nothing saved) when the ledger changed since <paramref name="loaded"/>
    /// was read: read it again and screen again. A save of more than one transaction holds (100 rows, the patient's
    /// own row included) throws <see cref="PatientScreeningException"/> (ledger-too-large): walk in shorter steps.
    /// </summary>
    Task<PatientAlerts?> SaveAlertsAsync(PatientAlerts loaded, PatientScreening screening, CancellationToken cancellationToken);

    /// <summary>Every alert event not yet sent, in the order they happened (<see cref="AlertEvent.SendOrder"/>).</summary>
    Task<IReadOnlyList<AlertMessage>> UnsentAsync(CancellationToken cancellationToken);

    /// <summary>Marks events sent (after the transport accepted them).</summary>
    Task MarkSentAsync(IReadOnlyList<AlertMessage> sent, CancellationToken cancellationToken);

    /// <summary>Takes (or, for its owner, renews) the one screening lease; null while another owner holds it.</summary>
    Task<ScreeningLease?> TryLeaseAsync(string owner, TimeSpan duration, CancellationToken cancellationToken);

    Task ReleaseAsync(ScreeningLease lease, CancellationToken cancellationToken);

    /// <summary>Patients whose screening failed and waits for the next run, by pseudonym.</summary>
    Task<IReadOnlyList<PatientFailure>> FailuresAsync(CancellationToken cancellationToken);

    /// <summary>Records (or replaces) a patient's failure.</summary>
    Task RecordFailureAsync(PatientFailure failure, CancellationToken cancellationToken);

    /// <summary>Forgets a patient's failure once it was screened; nothing when there is none.</summary>
    Task ClearFailureAsync(string pseudonym, CancellationToken cancellationToken);

    /// <summary>Every file of a batch the ledger has a row for, by path in the batch (for the sweep's reconciliation).</summary>
    Task<IReadOnlyDictionary<string, RecordedFile>> RecordedFilesAsync(DateOnly batchDate, CancellationToken cancellationToken);

    /// <summary>
    /// Notes the blob version (<see cref="DeliveredFile.BlobETag"/>) of a delivery already recorded with the same
    /// bytes, so the sweep knows that version; nothing else changes (no re-screening).
    /// </summary>
    Task StampAsync(DeliveredFile file, CancellationToken cancellationToken);

    /// <summary>The batch of a date as the ledger knows it; null when no file of it was recorded.</summary>
    Task<BatchStatus?> BatchAsync(DateOnly date, CancellationToken cancellationToken);

    /// <summary>When the operations message of this key (<c>{kind}|{date}</c>) was sent; null when never.</summary>
    Task<DateTimeOffset?> OperationsSentAsync(string key, CancellationToken cancellationToken);

    /// <summary>Records that the operations message of this key was sent (after the broker accepted it).</summary>
    Task RecordOperationsSentAsync(string key, CancellationToken cancellationToken);

    /// <summary>Records that a nightly sweep ran to its end now.</summary>
    Task RecordSweepAsync(CancellationToken cancellationToken);

    /// <summary>When a nightly sweep last ran to its end; null when none has.</summary>
    Task<DateTimeOffset?> LastSweepAsync(CancellationToken cancellationToken);

    /// <summary>How many alert events wait unsent (counted up to <paramref name="limit"/>) and when the oldest of those was saved.</summary>
    Task<UnsentSummary> UnsentSummaryAsync(int limit, CancellationToken cancellationToken);
}

/// <summary>Alert events waiting unsent: how many (at most the limit asked, <see cref="AtLeast"/> when there may be more) and the oldest's save time.</summary>
public sealed record UnsentSummary(int Count, bool AtLeast, DateTimeOffset? Oldest);
