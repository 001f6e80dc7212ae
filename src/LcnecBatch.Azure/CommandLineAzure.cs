using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using LcnecBatch.Core.Alerts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LcnecBatch.Azure;

/// <summary>
/// The command line's way to Azure: <c>--storage</c> (a connection string, or a blob service URL used with the
/// default credential) and <c>--publish</c> (a connection string, or a namespace host name used with the default
/// credential). Alerts go out through the same sink as the Functions app's, in the shape of alerts.md.
/// </summary>
public static class CommandLineAzure
{
    public static BlobContainerClient Container(string storage, string container)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storage);
        return Uri.TryCreate(storage, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            ? new BlobServiceClient(uri, new DefaultAzureCredential()).GetBlobContainerClient(container)
            : new BlobContainerClient(storage, container);
    }

    /// <summary>
    /// Sends alert events in the order given, in batches, the message ids of alerts.md, <c>CorrelationId</c> = the day
    /// each happened; after each batch the broker accepted, hands what it carried to <paramref name="sent"/> (the
    /// command line's publish ledger). Stops at the first failure. Returns how many were sent.
    /// </summary>
    public static async Task<int> PublishAsync(string serviceBus, string entity, IReadOnlyList<AlertEvent> events,
        Func<IReadOnlyList<AlertMessage>, CancellationToken, Task> sent, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceBus);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(sent);
        if (events.Count == 0)
        {
            return 0;
        }
        await using var client = serviceBus.Contains("Endpoint=", StringComparison.OrdinalIgnoreCase)
            ? new ServiceBusClient(serviceBus)
            : new ServiceBusClient(serviceBus, new DefaultAzureCredential());
        await using var sink = new ServiceBusAlertSink(client, Options.Create(new AlertTopicOptions { EntityName = entity }), NullLogger<ServiceBusAlertSink>.Instance);
        // The command line logs nothing about a patient, so its messages carry no pseudonym.
        var messages = events.Select(e => new AlertMessage("-", e, e.On)).ToList();
        var count = 0;
        await sink.SendAsync(messages, async (batch, ct) =>
        {
            await sent(batch, ct);
            count += batch.Count;
        }, cancellationToken);
        return count;
    }
}
