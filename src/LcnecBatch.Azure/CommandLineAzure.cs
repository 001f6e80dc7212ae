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
    /// Sends the open alerts (message id = alert id) and, when given, the resolved ones (<c>:resolved</c>), in batches.
    /// Re-running sends the same message ids, which the entity's duplicate detection drops.
    /// </summary>
    public static async Task<int> PublishAsync(string serviceBus, string entity, IReadOnlyList<Alert> alerts, DateOnly asOf, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceBus);
        ArgumentNullException.ThrowIfNull(alerts);
        await using var client = serviceBus.Contains("Endpoint=", StringComparison.OrdinalIgnoreCase)
            ? new ServiceBusClient(serviceBus)
            : new ServiceBusClient(serviceBus, new DefaultAzureCredential());
        await using var sink = new ServiceBusAlertSink(client, Options.Create(new AlertTopicOptions { EntityName = entity }), NullLogger<ServiceBusAlertSink>.Instance);
        // The command line logs nothing about a patient, so its messages carry no pseudonym.
        var messages = alerts.Order(Alert.StableOrder)
            .Select(a => new AlertMessage("-", new AlertEvent(a.Status == AlertStatus.Open ? AlertEventKind.Raised : AlertEventKind.Resolved, a, a.ResolvedOn ?? asOf), asOf))
            .ToList();
        var sent = 0;
        await sink.SendAsync(messages, (batch, _) =>
        {
            sent += batch.Count;
            return Task.CompletedTask;
        }, cancellationToken);
        return sent;
    }
}
