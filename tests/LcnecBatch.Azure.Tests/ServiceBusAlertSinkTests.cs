using Azure.Messaging.ServiceBus;
using LcnecBatch.Azure.Tests.TestData;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LcnecBatch.Azure.Tests;

/// <summary>The sink alone against the loopback endpoint: batching, order, and what is reported sent.</summary>
public sealed class ServiceBusAlertSinkTests
{
    private const string Queue = "care-team-alerts";

    private static ServiceBusClient Client(LoopbackServiceBus bus) => new(bus.ConnectionString(), new ServiceBusClientOptions
    {
        RetryOptions = new ServiceBusRetryOptions { MaxRetries = 1, TryTimeout = TimeSpan.FromSeconds(5) },
    });

    /// <summary>Alert events of the sample batch, repeated as reminders until there are <paramref name="count"/>.</summary>
    private static List<AlertMessage> Messages(int count)
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        var events = LocalRun.Screen(archive.Path, SampleBatches.October3, new ScreeningOptions()).AlertEvents;
        return [.. Enumerable.Range(0, count).Select(i => new AlertMessage("p", events[i % events.Count] with { Kind = AlertEventKind.Reminder, Number = i + 1 }, SampleBatches.October3))];
    }

    [Fact]
    public async Task SendAsync_MoreThanOneBatchHolds_SendsSeveralBatchesInOrder_ReportingEachAfterItWasSent()
    {
        using var bus = new LoopbackServiceBus([Queue], maxMessageSize: 8 * 1024);
        await using var client = Client(bus);
        var messages = Messages(24);
        await using var sink = new ServiceBusAlertSink(client, Options.Create(new AlertTopicOptions { EntityName = Queue }), NullLogger<ServiceBusAlertSink>.Instance);
        var reported = new List<(int Count, int SendsSoFar)>();

        await sink.SendAsync(messages, (sent, _) =>
        {
            reported.Add((sent.Count, bus.Sends));
            return Task.CompletedTask;
        }, CancellationToken.None);

        Assert.True(reported.Count > 1, $"{reported.Count} batch(es)");
        Assert.Equal(reported.Count, bus.Sends);
        Assert.Equal(messages.Count, reported.Sum(r => r.Count));
        Assert.Equal(Enumerable.Range(1, reported.Count), reported.Select(r => r.SendsSoFar));
        var received = await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, CancellationToken.None);
        Assert.Equal(messages.Select(m => m.MessageId), received.OrderBy(m => m.SequenceNumber).Select(m => m.MessageId));
    }

    [Fact]
    public async Task SendAsync_MessageLargerThanTheEntityAllows_FailsNamingItAndReportsNothing()
    {
        using var tiny = new LoopbackServiceBus([Queue], maxMessageSize: 512);
        await using var client = Client(tiny);
        await using var sink = new ServiceBusAlertSink(client, Options.Create(new AlertTopicOptions { EntityName = Queue }), NullLogger<ServiceBusAlertSink>.Instance);
        var messages = Messages(2);
        var reported = 0;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => sink.SendAsync(messages, (sent, _) => Task.FromResult(reported += sent.Count), CancellationToken.None));

        Assert.Contains(messages[0].MessageId, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, reported);
        Assert.Equal(0, tiny.Sends);
    }
}
