using LcnecBatch.Core.Events;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Timeline;

namespace LcnecBatch.Azure;

/// <summary>One delivery of a batch file: the same name with the same bytes is the same delivery.</summary>
public sealed record DeliveredFile(DateOnly BatchDate, string PathInBatch, string ContentHash);

/// <summary>
/// What the Functions app keeps between blobs: the patient facts and, per batch, a ledger of the files
/// ingested. In memory for now (<see cref="InMemoryBatchState"/>); Table Storage later.
/// Implementations are safe to call from concurrent deliveries.
/// </summary>
public interface IBatchState
{
    /// <summary>Whether this exact delivery (name and bytes) was already recorded.</summary>
    Task<bool> IsIngestedAsync(DeliveredFile file, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps the facts of a file and marks it ingested in its batch's ledger (a delivery recorded before
    /// adds nothing). Returns true when the batch is now due for screening: its manifest has arrived, every
    /// file it lists has been ingested, and it is neither screened nor being screened. Only one caller gets
    /// true until <see cref="EndScreeningAsync"/>.
    /// </summary>
    Task<bool> RecordAsync(DeliveredFile file, FileIngestion ingestion, IReadOnlyList<TimelineEvent> events, CancellationToken cancellationToken);

    /// <summary>Every patient's facts known so far, to screen.</summary>
    Task<TimelineStore> TimelinesAsync(CancellationToken cancellationToken);

    /// <summary>Ends the screening claimed by <see cref="RecordAsync"/>: done for good, or open to the next delivery when it failed.</summary>
    Task EndScreeningAsync(DateOnly batchDate, bool screened, CancellationToken cancellationToken);
}
