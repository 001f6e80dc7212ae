using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace LcnecBatch.Azure;

/// <summary>One dependency's answer: reachable or not, how fast, and the kind of failure (never a message, key or endpoint).</summary>
public sealed record HealthCheck(string Name, bool Healthy, long ElapsedMs, string? Failure = null);

public sealed record HealthReport(bool Healthy, IReadOnlyList<HealthCheck> Checks)
{
    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, HealthJsonContext.Default.HealthReport);
}

/// <summary>
/// Whether the app can reach what it needs, with the identity or keys it runs with: the exports container, the
/// state tables, and the alerts entity (a Service Bus link is opened and authorized, nothing is sent).
/// </summary>
public sealed class HealthProbe(
    BlobServiceClient blobs,
    TableServiceClient tables,
    ServiceBusClient serviceBus,
    IOptions<LabExportOptions> exports,
    IOptions<StateTableOptions> state,
    IOptions<AlertTopicOptions> alerts)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

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
        return new HealthReport(checks.All(c => c.Healthy), checks);
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
