using Azure.Messaging.ServiceBus;
using LcnecBatch.Core.Alerts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LcnecBatch.Azure;

/// <summary>
/// Alert messages to the Service Bus topic (or queue) of alerts.md: <c>MessageId</c> per alert event, <c>Subject</c> =
/// rule id, <c>CorrelationId</c> = batch date, the routing properties and <c>event</c> (and <c>escalation</c> = <c>true</c> on an escalation), the alert's JSON with its
/// <c>event</c> as the body; sent in order, in
/// <see cref="ServiceBusMessageBatch"/>es, a new one whenever the last is full. Duplicate detection on the entity is
/// a second line only: the alert ledger decides what is sent.
/// </summary>
public sealed class ServiceBusAlertSink(ServiceBusClient client, IOptions<AlertTopicOptions> options, ILogger<ServiceBusAlertSink> logger) : IAlertSink, IAsyncDisposable
{
    private readonly ServiceBusSender _sender = client.CreateSender(options.Value.EntityName);

    public async Task SendAsync(IReadOnlyList<AlertMessage> messages, Func<IReadOnlyList<AlertMessage>, CancellationToken, Task> sent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(sent);
        var next = 0;
        while (next < messages.Count)
        {
            using var batch = await _sender.CreateMessageBatchAsync(cancellationToken);
            var first = next;
            while (next < messages.Count && batch.TryAddMessage(ToServiceBus(messages[next])))
            {
                next++;
            }
            if (next == first)
            {
                throw new InvalidOperationException($"alert message {messages[next].MessageId} alone exceeds the entity's message size limit ({batch.MaxSizeInBytes} bytes)");
            }
            await _sender.SendMessagesAsync(batch, cancellationToken);
            logger.SentBatch(batch.Count, _sender.EntityPath);
            await sent([.. messages.Skip(first).Take(next - first)], cancellationToken);
        }
    }

    public static ServiceBusMessage ToServiceBus(AlertMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var alert = message.Event.Alert;
        var serviceBus = new ServiceBusMessage(AlertJson.ToUtf8(message.Event))
        {
            MessageId = message.MessageId,
            Subject = alert.RuleId,
            ContentType = "application/json",
            CorrelationId = TableEntities.DateKey(message.BatchDate),
        };
        if (alert.CareTeam is { } team)
        {
            serviceBus.ApplicationProperties["careTeam"] = team;
        }
        serviceBus.ApplicationProperties["severity"] = AlertJson.Wire(alert.Finding.Severity);
        serviceBus.ApplicationProperties["ruleId"] = alert.RuleId;
        serviceBus.ApplicationProperties["ruleVersion"] = alert.Finding.RuleVersion;
        serviceBus.ApplicationProperties["status"] = AlertJson.Wire(alert.Status);
        serviceBus.ApplicationProperties["event"] = message.Event.Name;
        if (message.Event.Kind == AlertEventKind.Escalated)
        {
            // Only on escalations, so the tumour board coordinator's subscription filters on it (alerts.md).
            serviceBus.ApplicationProperties["escalation"] = "true";
        }
        return serviceBus;
    }

    public ValueTask DisposeAsync() => _sender.DisposeAsync();
}
