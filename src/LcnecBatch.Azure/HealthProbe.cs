using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace LcnecBatch.Azure;

/// <summary>One dependency's answer: reachable or not, how fast, and the kind of failure (never a message, key or endpoint).</summary>
public sealed record HealthCheck(string Name, bool Healthy, long ElapsedMs, string? Failure = null);

/// <summary>
/// Whether the pipeline does its work, in dates, counts and times only (no patient data, no file names): the last
/// complete batch and its age, batches arrived but not screened, blobs of recent batch folders the ledger does not know,
/// Event Grid's dead-lettered deliveries and the blob trigger's poison entries the sweep has yet to retry, alert events
/// waiting unsent and the oldest one's age, the last sweep, and the two conditions that make health fail: the export is
/// late (the watchdog's rule) and sending is stuck (an unsent event older than <see cref="ExportWatchdogOptions.StuckSendingAge"/>).
/// </summary>
public sealed record PipelineStatus(
    string? LastCompleteBatch,
    double? LastCompleteBatchAgeHours,
    int BatchesPending,
    int UnreconciledBlobs,
    int DeadLetteredBlobs,
    int PoisonEntries,
    int UnsentAlertEvents,
    double? OldestUnsentAgeMinutes,
    DateTimeOffset? LastSweepAt,
    IReadOnlyList<string> LateBatches,
    bool ExportLate,
    bool SendingStuck);

public sealed record HealthReport(bool Healthy, IReadOnlyList<HealthCheck> Checks, PipelineStatus? Pipeline = null)
{
    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, HealthJsonContext.Default.HealthReport);
}

/// <summary>
/// Whether the app can reach what it needs, with the identity or keys it runs with: the exports container, the
/// state tables, and the alerts entity (a Service Bus link is opened and authorized, nothing is sent); then whether the
/// pipeline does its work (<see cref="PipelineStatus"/>), by bounded queries: at most <see cref="Bound"/> rows, blobs
/// or batches are looked at for each count.
/// </summary>
public sealed class HealthProbe(
    BlobServiceClient blobs,
    TableServiceClient tables,
    ServiceBusClient serviceBus,
    QueueServiceClient queues,
    IBatchState batches,
    ExportWatchdog watchdog,
    TimeProvider time,
    IOptions<LabExportOptions> exports,
    IOptions<StateTableOptions> state,
    IOptions<AlertTopicOptions> alerts,
    IOptions<ExportWatchdogOptions> watchdogOptions)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The most rows, blobs or batch dates any one count looks at.</summary>
    public const int Bound = 1000;

    /// <summary>How many batch dates back the last complete batch is looked for.</summary>
    private const int CompleteLookback = 14;

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = await Task.WhenAll(
            CheckAsync("labExports", async ct =>
            {
                if (!await blobs.GetBlobContainerClient(exports.Value.Container).ExistsAsync(ct))
                {
                    throw new RequestFailedException(404, "container not found", "ContainerNotFound", null);
                }
            }, cancellationToken),
            CheckAsync("stateTables", async ct =>
            {
                var options = state.Value;
                foreach (var name in new[] { options.TimelineEvents, options.IngestionLedger, options.AlertLedger, options.PendingRawFiles })
                {
                    var query = tables.GetTableClient(name).QueryAsync<TableEntity>("PartitionKey eq '$health'", maxPerPage: 1, select: ["PartitionKey"], cancellationToken: ct);
                    await using var pages = query.AsPages().GetAsyncEnumerator(ct);
                    await pages.MoveNextAsync();
                }
            }, cancellationToken),
            CheckAsync("serviceBus", async ct =>
            {
                await using var sender = serviceBus.CreateSender(alerts.Value.EntityName);
                using var batch = await sender.CreateMessageBatchAsync(ct);
            }, cancellationToken));
        if (!checks.All(c => c.Healthy))
        {
            return new HealthReport(false, checks);
        }
        PipelineStatus? pipeline = null;
        var pipelineCheck = await CheckAsync("pipeline", async ct => pipeline = await PipelineAsync(ct), cancellationToken);
        return pipelineCheck.Healthy
            ? new HealthReport(!pipeline!.ExportLate && !pipeline.SendingStuck, checks, pipeline)
            : new HealthReport(false, [.. checks, pipelineCheck]);
    }

    private async Task<PipelineStatus> PipelineAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var dates = await batches.BatchDatesAsync(cancellationToken);
        BatchStatus? lastComplete = null;
        foreach (var date in dates.Reverse().Take(CompleteLookback))
        {
            if (await batches.BatchAsync(date, cancellationToken) is { IsComplete: true } batch)
            {
                lastComplete = batch;
                break;
            }
        }
        var pending = await batches.PendingBatchesAsync(cancellationToken);
        var unsent = await batches.UnsentSummaryAsync(Bound, cancellationToken);
        var overdue = await watchdog.OverdueAsync(cancellationToken);
        var oldestUnsent = unsent.Oldest is { } oldest ? now - oldest : (TimeSpan?)null;
        return new PipelineStatus(
            lastComplete is null ? null : TableEntities.DateKey(lastComplete.Date),
            lastComplete is null ? null : Math.Round((now - new DateTimeOffset(lastComplete.Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)).TotalHours, 1),
            pending.Count,
            await UnreconciledAsync(dates.Count == 0 ? null : dates[^1], cancellationToken),
            await DeadLetteredAsync(cancellationToken),
            await PoisonEntriesAsync(cancellationToken),
            unsent.Count,
            oldestUnsent is { } age ? Math.Round(age.TotalMinutes, 1) : null,
            await batches.LastSweepAsync(cancellationToken),
            [.. overdue.Select(o => TableEntities.DateKey(o.BatchDate))],
            overdue.Count > 0,
            oldestUnsent > watchdogOptions.Value.StuckSendingAge);
    }

    /// <summary>Blobs of the latest batch's folder that the ingestion ledger has no row for (at most <see cref="Bound"/> listed).</summary>
    private async Task<int> UnreconciledAsync(DateOnly? latest, CancellationToken cancellationToken)
    {
        if (latest is not { } date)
        {
            return 0;
        }
        var recorded = await batches.RecordedFilesAsync(date, cancellationToken);
        var prefix = TableEntities.DateKey(date) + "/";
        var count = 0;
        var listed = 0;
        await foreach (var blob in blobs.GetBlobContainerClient(exports.Value.Container).GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
        {
            if (++listed > Bound)
            {
                break;
            }
            if (!recorded.ContainsKey(blob.Name[prefix.Length..]))
            {
                count++;
            }
        }
        return count;
    }

    private async Task<int> DeadLetteredAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        try
        {
            await foreach (var _ in blobs.GetBlobContainerClient(exports.Value.DeadLetterContainer).GetBlobsAsync(BlobTraits.None, BlobStates.None, null, cancellationToken))
            {
                if (++count >= Bound)
                {
                    break;
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No dead letter yet: Event Grid creates nothing until it gives up on a delivery.
        }
        return count;
    }

    private async Task<int> PoisonEntriesAsync(CancellationToken cancellationToken)
    {
        try
        {
            var properties = await queues.GetQueueClient(exports.Value.PoisonQueue).GetPropertiesAsync(cancellationToken);
            return properties.Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0; // the extension creates the queue with its first poison entry
        }
    }

    private static async Task<HealthCheck> CheckAsync(string name, Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            await probe(timeout.Token);
            return new HealthCheck(name, true, clock.ElapsedMilliseconds);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheck(name, false, clock.ElapsedMilliseconds, $"no answer within {Timeout.TotalSeconds:0} s");
        }
        catch (RequestFailedException e)
        {
            return new HealthCheck(name, false, clock.ElapsedMilliseconds, $"{e.Status} {e.ErrorCode}".Trim());
        }
        catch (ServiceBusException e)
        {
            return new HealthCheck(name, false, clock.ElapsedMilliseconds, e.Reason.ToString());
        }
        catch (UnauthorizedAccessException)
        {
            return new HealthCheck(name, false, clock.ElapsedMilliseconds, "unauthorized");
        }
        catch (AuthenticationFailedException)
        {
            return new HealthCheck(name, false, clock.ElapsedMilliseconds, "no credential could get a token");
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HealthReport))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
