using Azure.Messaging.ServiceBus;
using LcnecBatch.Azure.Tests.TestData;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LcnecBatch.Azure.Tests;

/// <summary>
/// What the loopback endpoint cannot prove (topics, subscription filters, the real broker's acceptance of the
/// messages): against the namespace of <c>SERVICEBUS_CONNECTION_STRING</c>, entity <c>SERVICEBUS_ENTITY</c>
/// (default <c>care-team-alerts</c>) and, for a topic, subscription <c>SERVICEBUS_SUBSCRIPTION</c> (default
/// <c>all-alerts</c>; use an empty value for a queue). Skipped when the variable is not set.
/// </summary>
public sealed class RealServiceBusTests
{
    [ServiceBusFact]
    public async Task Sink_SendsToTheRealNamespace_AndTheMessagesComeBackWithTheirProperties()
    {
        var connection = Environment.GetEnvironmentVariable(ServiceBusFactAttribute.Variable)!;
        var entity = Environment.GetEnvironmentVariable("SERVICEBUS_ENTITY") is { Length: > 0 } e ? e : "care-team-alerts";
        var subscription = Environment.GetEnvironmentVariable("SERVICEBUS_SUBSCRIPTION") ?? "all-alerts";
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        var run = Guid.NewGuid().ToString("N");
        var messages = LocalRun.Screen(archive.Path, SampleBatches.October3, new ScreeningOptions()).AlertEvents
            .Select((a, i) => new AlertMessage("p", a with { Kind = AlertEventKind.Reminder, Number = 1000 + i }, SampleBatches.October3))
            .Select(m => m with { Event = m.Event with { Alert = m.Event.Alert with { AlertId = $"{run}{m.Event.Number}" } } })
            .ToList();
        await using var client = new ServiceBusClient(connection);
        await using var sink = new ServiceBusAlertSink(client, Options.Create(new AlertTopicOptions { EntityName = entity }), NullLogger<ServiceBusAlertSink>.Instance);

        await sink.SendAsync(messages, (_, _) => Task.CompletedTask, CancellationToken.None);

        await using var receiver = subscription.Length > 0 ? client.CreateReceiver(entity, subscription) : client.CreateReceiver(entity);
        var wanted = messages.Select(m => m.MessageId).ToHashSet(StringComparer.Ordinal);
        var found = new List<ServiceBusReceivedMessage>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (found.Count < wanted.Count && !deadline.IsCancellationRequested)
        {
            foreach (var message in await receiver.ReceiveMessagesAsync(50, TimeSpan.FromSeconds(5), deadline.Token))
            {
                if (wanted.Contains(message.MessageId))
                {
                    found.Add(message);
                    await receiver.CompleteMessageAsync(message, deadline.Token);
                }
                else
                {
                    await receiver.AbandonMessageAsync(message, cancellationToken: deadline.Token);
                }
            }
        }
        Assert.Equal(wanted.Order(StringComparer.Ordinal), found.Select(m => m.MessageId).Order(StringComparer.Ordinal));
        Assert.All(found, m => Assert.Equal("application/json", m.ContentType));
        Assert.All(found, m => Assert.Equal("thoracic-onc-tj", m.ApplicationProperties["careTeam"]));
    }
}
