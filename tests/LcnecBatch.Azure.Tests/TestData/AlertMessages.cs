using System.Text;
using Azure.Messaging.ServiceBus;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Pipeline;

namespace LcnecBatch.Azure.Tests.TestData;

/// <summary>Alert events and Service Bus messages reduced to what alerts.md fixes about them, to compare as text.</summary>
internal static class AlertMessages
{
    /// <summary>Every raise, reminder, resolution and reopen the command line's replay of the same folder makes, through a date.</summary>
    public static List<string> Expected(RunResult cli) => Sorted(cli.AlertEvents.Select(Describe));

    public static List<string> Of(IEnumerable<AlertMessage> sent) => Sorted(sent.Select(m => Describe(m.Event)));

    public static List<string> Of(IEnumerable<ServiceBusReceivedMessage> received) => Sorted(received.Select(m => $"{m.MessageId} {m.Body}"));

    /// <summary>Takes every message from the queue (completing each) until it stays empty for a moment.</summary>
    public static async Task<List<ServiceBusReceivedMessage>> DrainAsync(string connectionString, string queue, CancellationToken cancellationToken)
    {
        await using var client = new ServiceBusClient(connectionString, new ServiceBusClientOptions
        {
            RetryOptions = new ServiceBusRetryOptions { MaxRetries = 1, TryTimeout = TimeSpan.FromSeconds(5) },
        });
        await using var receiver = client.CreateReceiver(queue);
        var all = new List<ServiceBusReceivedMessage>();
        while (true)
        {
            var some = await receiver.ReceiveMessagesAsync(100, TimeSpan.FromMilliseconds(500), cancellationToken);
            if (some.Count == 0)
            {
                return all;
            }
            foreach (var message in some)
            {
                await receiver.CompleteMessageAsync(message, cancellationToken);
            }
            all.AddRange(some);
        }
    }

    /// <summary>The message id and the body Service Bus carries for an event.</summary>
    private static string Describe(AlertEvent e) => $"{e.MessageId} {Encoding.UTF8.GetString(AlertJson.ToUtf8(e))}";

    private static List<string> Sorted(IEnumerable<string> lines) => [.. lines.Order(StringComparer.Ordinal)];
}
