using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using LcnecBatch.Azure.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LcnecBatch.Azure;

/// <summary>
/// What one reconciliation did, in counts (no names, no patient data): the sweep logs it in one line and returns it.
/// </summary>
/// <param name="Listed">Blobs listed under the recent batch folders and the recent days' <c>responses/{yyyy-MM-dd}/</c> folders.</param>
/// <param name="Reconciled">Of those, blobs the ledger did not know (no row, or another blob version) that were ingested.</param>
/// <param name="Reread">Of those, blobs whose version the ledger did not note but whose bytes it had: read once more, their version noted.</param>
/// <param name="PoisonRetried">Poison-queue messages whose blob was ingested (or found ingested); each deleted.</param>
/// <param name="PoisonLeft">Poison-queue messages left in the queue, visible again: unreadable, another container, a refused name, or the blob failed again.</param>
/// <param name="DeadLettersDrained">Event Grid dead-letter blobs whose every event's blob was ingested (or found ingested); each deleted.</param>
/// <param name="DeadLettersLeft">Dead-letter blobs left where they are: unreadable, an event not ours, a refused name, or a blob that failed again.</param>
/// <param name="Refused">Blob names never opened, from any source: not <c>{yyyy-MM-dd}/{path}</c>, or a path leaving its batch.</param>
/// <param name="Failures">Ingestions that failed (an outage, a throttle, a vanished blob): each left for the next sweep.</param>
public sealed record ReconciliationReport(
    int Listed, int Reconciled, int Reread, int PoisonRetried, int PoisonLeft, int DeadLettersDrained, int DeadLettersLeft, int Refused, int Failures);

/// <summary>
/// The sweep's distrust of delivery: every blob of the recent batch folders that the ingestion ledger does not know
/// is ingested, the blob trigger's poison queue is retried, and Event Grid's dead-lettered deliveries are drained,
/// all through the same <see cref="LabExportIngestion.IngestAsync(string, Stream, string?, CancellationToken)"/> as
/// a delivery (same quarantine, same screening). One failing blob never stops the others: it is counted, logged by
/// name and kind of failure, and left for the next sweep. Names from queue messages and dead-letter events are
/// untrusted: only files of a batch of our container are ever opened.
/// </summary>
public sealed partial class LabExportReconciliation(
    BlobServiceClient blobs,
    QueueServiceClient queues,
    IBatchState state,
    LabExportIngestion ingestion,
    IOptions<LabExportOptions> options,
    TimeProvider time,
    PipelineMetrics metrics,
    ILogger<LabExportReconciliation> logger)
{
    /// <summary>At most this many poison messages and dead-letter blobs per sweep; the rest wait for the next one.</summary>
    private const int MaxEntries = 1000;

    /// <summary>A dead-letter blob holds one delivery's events (one by default, a batch of a few at most).</summary>
    private const long MaxDeadLetterBytes = 1 << 20;

    /// <summary>Poison messages are hidden this long while the sweep works; those left are made visible again at the end.</summary>
    private static readonly TimeSpan PoisonVisibility = TimeSpan.FromMinutes(10);

    private readonly LabExportOptions _options = options.Value;
    private ReconciliationReport? _last;

    /// <summary>The report of the latest reconciliation of this process; null before the first.</summary>
    public ReconciliationReport? LastReport => Volatile.Read(ref _last);

    /// <summary>The poison queue, then the dead letters, then the listing: a blob named by the first two is known to the listing.</summary>
    public async Task<ReconciliationReport> ReconcileAsync(CancellationToken cancellationToken)
    {
        var counts = new Counts();
        await RetryPoisonAsync(counts, cancellationToken);
        await DrainDeadLettersAsync(counts, cancellationToken);
        await ListRecentAsync(counts, cancellationToken);
        var report = counts.ToReport();
        LogReport(report.Listed, report.Reconciled, report.Reread, report.PoisonRetried, report.PoisonLeft, report.DeadLettersDrained, report.DeadLettersLeft, report.Refused, report.Failures);
        metrics.RecordPoisonEntries(report.PoisonRetried, report.PoisonLeft);
        Volatile.Write(ref _last, report);
        return report;
    }

    /// <summary>
    /// The batch dates listed: the <see cref="LabExportOptions.ReconcileDays"/> days up to today (UTC) and tomorrow (a
    /// lab ahead of UTC), and as many up to the latest batch date the ledger knows (an archive or a clock behind).
    /// </summary>
    public static IReadOnlyList<DateOnly> RecentBatchDates(DateOnly today, DateOnly? latest, int days)
    {
        var dates = new SortedSet<DateOnly>();
        for (var day = today.AddDays(-days); day <= today.AddDays(1); day = day.AddDays(1))
        {
            dates.Add(day);
        }
        if (latest is { } last)
        {
            for (var day = last.AddDays(-days); day <= last; day = day.AddDays(1))
            {
                dates.Add(day);
            }
        }
        return [.. dates];
    }

    private async Task ListRecentAsync(Counts counts, CancellationToken cancellationToken)
    {
        var exports = blobs.GetBlobContainerClient(_options.Container);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var latest = await state.LatestBatchDateAsync(cancellationToken);
        foreach (var date in RecentBatchDates(today, latest, _options.ReconcileDays))
        {
            try
            {
                await ReconcileBatchAsync(exports, date, counts, cancellationToken);
                await ReconcileResponsesAsync(exports, date, counts, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return; // no container yet: nothing delivered, nothing lost
            }
            catch (RequestFailedException e)
            {
                counts.Failures++;
                LogListingFailed(date, e.Status);
            }
        }
    }

    private async Task ReconcileBatchAsync(BlobContainerClient exports, DateOnly date, Counts counts, CancellationToken cancellationToken)
    {
        var prefix = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "/";
        IReadOnlyDictionary<string, RecordedFile>? recorded = null;
        await foreach (var blob in exports.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
        {
            counts.Listed++;
            if (!LabExportIngestion.TryParseBlobName(blob.Name, out _, out var path, out _))
            {
                counts.Refused++;
                LogRefused("listing", blob.Name);
                continue;
            }
            recorded ??= await state.RecordedFilesAsync(date, cancellationToken);
            if (recorded.TryGetValue(path, out var row) && IsSameVersion(row, blob.Properties))
            {
                continue;
            }
            Count(await TryIngestAsync(blob.Name, cancellationToken), counts);
        }
    }

    /// <summary>The day's care-team response files (<c>responses/{date}/</c>) the ledger does not know, as a batch's files.</summary>
    private async Task ReconcileResponsesAsync(BlobContainerClient exports, DateOnly date, Counts counts, CancellationToken cancellationToken)
    {
        var prefix = $"responses/{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}/";
        IReadOnlyDictionary<string, RecordedFile>? recorded = null;
        await foreach (var blob in exports.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
        {
            counts.Listed++;
            if (!LabExportIngestion.TryParseResponseBlobName(blob.Name, out _, out var name, out _))
            {
                counts.Refused++;
                LogRefused("listing", blob.Name);
                continue;
            }
            recorded ??= await state.RecordedResponsesAsync(date, cancellationToken);
            if (recorded.TryGetValue(name, out var row) && IsSameVersion(row, blob.Properties))
            {
                continue;
            }
            Count(await TryIngestAsync(blob.Name, cancellationToken), counts);
        }
    }

    private static void Count(Outcome outcome, Counts counts)
    {
        switch (outcome)
        {
            case Outcome.Ingested:
                counts.Reconciled++;
                break;
            case Outcome.Known:
                counts.Reread++;
                break;
            case Outcome.Refused:
                counts.Refused++;
                break;
            default:
                counts.Failures++;
                break;
        }
    }

    /// <summary>
    /// Whether the ledger's row is of this blob version: the ETag it noted. A row without one (its ETag could not be
    /// had at ingestion, or it predates them) counts as another version: the re-read costs a download, which the
    /// content hash turns into nothing but a note of the ETag.
    /// </summary>
    private static bool IsSameVersion(RecordedFile row, BlobItemProperties blob) =>
        row.BlobETag is { } etag && blob.ETag is { } current && LabExportIngestion.VersionOf(current) == etag;

    private async Task RetryPoisonAsync(Counts counts, CancellationToken cancellationToken)
    {
        var queue = queues.GetQueueClient(_options.PoisonQueue);
        var left = new List<(string Id, string PopReceipt)>();
        try
        {
            while (counts.PoisonRetried + left.Count < MaxEntries)
            {
                var received = (await queue.ReceiveMessagesAsync(32, PoisonVisibility, cancellationToken)).Value;
                if (received.Length == 0)
                {
                    break;
                }
                foreach (var message in received)
                {
                    if (await RetryPoisonMessageAsync(message.MessageId, message.Body, counts, cancellationToken))
                    {
                        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                        counts.PoisonRetried++;
                    }
                    else
                    {
                        left.Add((message.MessageId, message.PopReceipt));
                    }
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No poison queue: no blob ever failed that often.
        }
        catch (RequestFailedException e)
        {
            counts.Failures++;
            LogQueueFailed(_options.PoisonQueue, e.Status);
        }
        finally
        {
            counts.PoisonLeft += left.Count;
            foreach (var (id, popReceipt) in left)
            {
                await ShowAgainAsync(queue, id, popReceipt);
            }
        }
    }

    /// <returns>Whether the message is done with (its blob is ingested).</returns>
    private async Task<bool> RetryPoisonMessageAsync(string messageId, BinaryData body, Counts counts, CancellationToken cancellationToken)
    {
        if (!PoisonBlobMessage.TryRead(body, out var container, out var blobName))
        {
            LogUnreadable("poison message", messageId);
            return false;
        }
        if (container != _options.Container)
        {
            LogNotOurs("poison message", messageId);
            return false;
        }
        return await TryIngestNamedAsync("poison message", blobName, counts, cancellationToken);
    }

    private async Task ShowAgainAsync(QueueClient queue, string id, string popReceipt)
    {
        try
        {
            await queue.UpdateMessageAsync(id, popReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: CancellationToken.None);
        }
        catch (RequestFailedException e)
        {
            LogQueueFailed(_options.PoisonQueue, e.Status); // it shows again when its visibility timeout ends
        }
    }

    private async Task DrainDeadLettersAsync(Counts counts, CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(_options.DeadLetterContainer);
        try
        {
            var seen = 0;
            await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, cancellationToken))
            {
                if (++seen > MaxEntries)
                {
                    break;
                }
                if (await DrainDeadLetterAsync(container, item, counts, cancellationToken))
                {
                    await container.DeleteBlobIfExistsAsync(item.Name, cancellationToken: cancellationToken);
                    counts.DeadLettersDrained++;
                }
                else
                {
                    counts.DeadLettersLeft++;
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No dead-letter container: nothing dead-lettered.
        }
        catch (RequestFailedException e)
        {
            counts.Failures++;
            LogContainerFailed(_options.DeadLetterContainer, e.Status);
        }
    }

    /// <returns>Whether every event of the dead-letter blob is done with (its blob ingested).</returns>
    private async Task<bool> DrainDeadLetterAsync(BlobContainerClient container, BlobItem item, Counts counts, CancellationToken cancellationToken)
    {
        if (item.Properties.ContentLength is null or > MaxDeadLetterBytes)
        {
            LogUnreadable("dead letter", item.Name);
            return false;
        }
        var content = (await container.GetBlobClient(item.Name).DownloadContentAsync(cancellationToken)).Value.Content;
        if (!DeadLetteredEvents.TryRead(content, out var events) || events.Count == 0)
        {
            LogUnreadable("dead letter", item.Name);
            return false;
        }
        var done = true;
        foreach (var blobCreated in events)
        {
            if (blobCreated.Container != _options.Container)
            {
                LogNotOurs("dead letter", item.Name);
                done = false;
            }
            else
            {
                done &= await TryIngestNamedAsync("dead letter", blobCreated.BlobName, counts, cancellationToken);
            }
        }
        return done;
    }

    private async Task<bool> TryIngestNamedAsync(string source, string blobName, Counts counts, CancellationToken cancellationToken)
    {
        switch (await TryIngestAsync(blobName, cancellationToken))
        {
            case Outcome.Ingested or Outcome.Known:
                return true;
            case Outcome.Refused:
                counts.Refused++;
                LogRefused(source, blobName);
                return false;
            default:
                counts.Failures++;
                return false;
        }
    }

    /// <summary>Reads one blob of our container (a file of a batch or of a day's responses, or nothing is opened) and ingests it with the version read.</summary>
    private async Task<Outcome> TryIngestAsync(string blobName, CancellationToken cancellationToken)
    {
        if (!LabExportIngestion.TryParseBlobName(blobName, out _, out _, out _) && !LabExportIngestion.TryParseResponseBlobName(blobName, out _, out _, out _))
        {
            return Outcome.Refused;
        }
        try
        {
            var download = await blobs.GetBlobContainerClient(_options.Container).GetBlobClient(blobName).DownloadStreamingAsync(cancellationToken: cancellationToken);
            using var content = download.Value.Content;
            var ingested = await ingestion.IngestAsync(blobName, content, LabExportIngestion.VersionOf(download.Value.Details.ETag), cancellationToken);
            return ingested.AlreadyIngested ? Outcome.Known : Outcome.Ingested;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever broke (a throttle, an outage, a blob deleted since), this blob waits for the next sweep and the
            // others go on; the log names the blob and the kind of failure, never the exception's text (it could quote input).
            LogIngestFailed(blobName, e.GetType().Name, (e as RequestFailedException)?.Status.ToString(CultureInfo.InvariantCulture) ?? "none");
            return Outcome.Failed;
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Reconciled lab exports: {Listed} blobs listed, {Reconciled} reconciled, {Reread} read again; poison queue: {PoisonRetried} retried, {PoisonLeft} left; " +
            "dead letters: {DeadLettersDrained} drained, {DeadLettersLeft} left; {Refused} names refused, {Failures} failures")]
    private partial void LogReport(int listed, int reconciled, int reread, int poisonRetried, int poisonLeft, int deadLettersDrained, int deadLettersLeft, int refused, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation could not ingest {Blob}: {FailureKind} (status {Status}); left for the next sweep")]
    private partial void LogIngestFailed(string blob, string failureKind, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation refused {Blob} named by the {Source}: not a file of a batch; not opened")]
    private partial void LogRefused(string source, string blob);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation left {Source} {Id}: unreadable")]
    private partial void LogUnreadable(string source, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation left {Source} {Id}: it names another container or event type")]
    private partial void LogNotOurs(string source, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation could not list batch {BatchDate:yyyy-MM-dd} (status {Status}); listed again on the next sweep")]
    private partial void LogListingFailed(DateOnly batchDate, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation could not read queue {Queue} (status {Status}); read again on the next sweep")]
    private partial void LogQueueFailed(string queue, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation could not read container {Container} (status {Status}); read again on the next sweep")]
    private partial void LogContainerFailed(string container, int status);

    private enum Outcome
    {
        Ingested,
        Known,
        Refused,
        Failed,
    }

    private sealed class Counts
    {
        public int Listed { get; set; }

        public int Reconciled { get; set; }

        public int Reread { get; set; }

        public int PoisonRetried { get; set; }

        public int PoisonLeft { get; set; }

        public int DeadLettersDrained { get; set; }

        public int DeadLettersLeft { get; set; }

        public int Refused { get; set; }

        public int Failures { get; set; }

        public ReconciliationReport ToReport() =>
            new(Listed, Reconciled, Reread, PoisonRetried, PoisonLeft, DeadLettersDrained, DeadLettersLeft, Refused, Failures);
    }
}
