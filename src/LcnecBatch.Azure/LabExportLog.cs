using LcnecBatch.Core.Pipeline;
using Microsoft.Extensions.Logging;

namespace LcnecBatch.Azure;

/// <summary>The log lines of ingestion. Blob names, batch dates and counts only: never patient data (alerts.md, PHI).</summary>
internal static partial class LabExportLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored {Blob}: not a batch file (expected yyyy-MM-dd/...)")]
    public static partial void NotABatchFile(this ILogger logger, string blob);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Blob}: {Reason}; not opened")]
    public static partial void Refused(this ILogger logger, string blob, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Skipped {Blob}: the same bytes were already ingested")]
    public static partial void AlreadyIngested(this ILogger logger, string blob);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Ingested {Blob} of batch {BatchDate} as {Kind}: {RowsRead} rows read, {RowsAccepted} accepted, {RowsRejected} rejected, in {ElapsedMs} ms")]
    public static partial void Ingested(this ILogger logger, string blob, DateOnly batchDate, BatchFileKind kind, int rowsRead, int rowsAccepted, int rowsRejected, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quarantined {Blob} (line {Line}) to {Container}; the reason is in {Sidecar}")]
    public static partial void Quarantined(this ILogger logger, string blob, int? line, string container, string sidecar);

    [LoggerMessage(Level = LogLevel.Information, Message = "Screened batch {BatchDate}: {Alerts} open alerts handed to the sink")]
    public static partial void Screened(this ILogger logger, DateOnly batchDate, int alerts);
}
