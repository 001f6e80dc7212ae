using LcnecBatch.Core.Pipeline;
using Microsoft.Extensions.Logging;

namespace LcnecBatch.Azure;

/// <summary>
/// The log lines of ingestion, screening and sending. Blob names, batch dates, counts and patient pseudonyms only:
/// never an mrn, a name or report text (alerts.md, PHI).
/// </summary>
internal static partial class LabExportLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Not an input: {Blob} is not in a batch (expected yyyy-MM-dd/...)")]
    public static partial void NotABatchFile(this ILogger logger, string blob);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not an input: {Blob} of batch {BatchDate:yyyy-MM-dd}: {Reason}")]
    public static partial void NotAnInput(this ILogger logger, string blob, DateOnly batchDate, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Blob}: {Reason}; not opened")]
    public static partial void Refused(this ILogger logger, string blob, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipped {Blob}: the same bytes were already ingested")]
    public static partial void AlreadyIngested(this ILogger logger, string blob);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Ingested {Blob} of batch {BatchDate:yyyy-MM-dd} as {Kind}: {RowsRead} rows read, {RowsAccepted} accepted, {RowsRejected} rejected, in {ElapsedMs} ms")]
    public static partial void Ingested(this ILogger logger, string blob, DateOnly batchDate, BatchFileKind kind, int rowsRead, int rowsAccepted, int rowsRejected, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Ingested response file {Blob} recorded {RecordedOn:yyyy-MM-dd}: {RowsRead} rows read, {RowsAccepted} accepted, {RowsRejected} rejected; screened with the next walk of its patients")]
    public static partial void IngestedResponses(this ILogger logger, string blob, DateOnly recordedOn, int rowsRead, int rowsAccepted, int rowsRejected);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quarantined {Blob} (line {Line}) to {Container}; the reason is in {Sidecar}")]
    public static partial void Quarantined(this ILogger logger, string blob, int? line, string container, string sidecar);

    [LoggerMessage(Level = LogLevel.Information, Message = "Another screening run holds the lease; it screens what is due when it ends")]
    public static partial void ScreeningBusy(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Screening batch {BatchDate:yyyy-MM-dd} (complete: {Complete}): {Touched} patients touched, {Screened} to screen ({Watched} watched)")]
    public static partial void ScreeningBatch(this ILogger logger, DateOnly batchDate, int touched, int screened, int watched, bool complete);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Screened patient {Pseudonym} from {From:yyyy-MM-dd} through {To:yyyy-MM-dd}: {AlertEvents} alert events")]
    public static partial void ScreenedPatient(this ILogger logger, string pseudonym, DateOnly from, DateOnly to, int alertEvents);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Patient {Pseudonym} changed while it was screened (attempt {Attempt}); screening again")]
    public static partial void PatientChanged(this ILogger logger, string pseudonym, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Saved patient {Pseudonym} through {Through:yyyy-MM-dd} with {AlertEvents} alert events; its walk goes on")]
    public static partial void SavedPatientStep(this ILogger logger, string pseudonym, DateOnly through, int alertEvents);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Patient {Pseudonym} failed ({Reason}, attempt {Attempts}); recorded for the next run, the others go on")]
    public static partial void PatientFailed(this ILogger logger, string pseudonym, string reason, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Patient {Pseudonym} screened after {Attempts} failed runs ({Reason}); its failure record is cleared")]
    public static partial void PatientRecovered(this ILogger logger, string pseudonym, string reason, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Screening as of {AsOf:yyyy-MM-dd}: {Failed} of {Patients} patients failed and wait for the next run")]
    public static partial void PatientsFailed(this ILogger logger, DateOnly asOf, int failed, int patients);

    [LoggerMessage(Level = LogLevel.Error, Message = "The first {Patients} patients screened all failed with storage errors: storage is down, the run stops")]
    public static partial void StorageOutage(this ILogger logger, int patients);

    [LoggerMessage(Level = LogLevel.Information, Message = "Screened batch {BatchDate:yyyy-MM-dd}: {AlertEvents} alert events saved unsent")]
    public static partial void ScreenedBatch(this ILogger logger, DateOnly batchDate, int alertEvents);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {BatchDate:yyyy-MM-dd} received a file while it was screened; it stays pending")]
    public static partial void BatchChanged(this ILogger logger, DateOnly batchDate);

    [LoggerMessage(Level = LogLevel.Information, Message = "Nightly sweep as of {AsOf:yyyy-MM-dd}: {Watched} watched patients")]
    public static partial void Sweeping(this ILogger logger, DateOnly asOf, int watched);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Messages} alert messages, each marked sent")]
    public static partial void Sent(this ILogger logger, int messages);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent a batch of {Messages} alert messages to {Entity}")]
    public static partial void SentBatch(this ILogger logger, int messages, string entity);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending {Messages} alert messages failed; those not marked sent go out on the next run")]
    public static partial void SendFailed(this ILogger logger, Exception exception, int messages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operations message {Kind} sent for batch {BatchDate:yyyy-MM-dd}")]
    public static partial void OperationsSent(this ILogger logger, string kind, DateOnly batchDate);
}
