using Azure.Messaging.ServiceBus;
using LcnecBatch.Azure.Tests.TestData;

namespace LcnecBatch.Azure.Tests;

/// <summary>The loopback broker's fault and duplicate tools, through the real client: what a test may rely on.</summary>
public sealed class LoopbackServiceBusTests
{
    private const string Queue = "q";

    [Fact]
    public async Task DuplicateDetection_SameIdInsideTheWindowIsAcceptedButNotEnqueued_AfterTheWindowItIsKept()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var bus = new LoopbackServiceBus([Queue], duplicateDetection: TimeSpan.FromDays(7), time: clock);
        await using var client = new ServiceBusClient(bus.ConnectionString());
        await using var sender = client.CreateSender(Queue);

        await sender.SendMessagesAsync([Message("a"), Message("b")]);
        clock.Advance(TimeSpan.FromDays(6.9));
        await sender.SendMessagesAsync([Message("a"), Message("c")]);
        clock.Advance(TimeSpan.FromDays(0.2)); // "a" was first accepted 7.1 days ago
        await sender.SendMessageAsync(Message("a"));

        Assert.Equal(1, bus.DuplicatesDropped);
        Assert.Equal(["a", "b", "c", "a"], (await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, CancellationToken.None)).Select(m => m.MessageId));
    }

    [Fact]
    public async Task WithoutDuplicateDetection_EverySendIsKept()
    {
        using var bus = new LoopbackServiceBus([Queue]);
        await using var client = new ServiceBusClient(bus.ConnectionString());
        await using var sender = client.CreateSender(Queue);

        await sender.SendMessageAsync(Message("a"));
        await sender.SendMessageAsync(Message("a"));

        Assert.Equal(0, bus.DuplicatesDropped);
        Assert.Equal(2, (await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task DropLinkAfterNextSends_TheSendFailsAlthoughTheBrokerEnqueuedIt_AndTheNextSendGoesThrough()
    {
        using var bus = new LoopbackServiceBus([Queue]);
        await using var client = new ServiceBusClient(bus.ConnectionString(), new ServiceBusClientOptions
        {
            RetryOptions = new ServiceBusRetryOptions { MaxRetries = 0, TryTimeout = TimeSpan.FromSeconds(5) },
        });
        await using var sender = client.CreateSender(Queue);
        bus.DropLinkAfterNextSends(1);

        await Assert.ThrowsAnyAsync<Exception>(() => sender.SendMessageAsync(Message("a")));
        await sender.SendMessageAsync(Message("b"));

        Assert.Equal(2, bus.Sends);
        Assert.Equal(["a", "b"], (await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, CancellationToken.None)).Select(m => m.MessageId));
    }

    private static ServiceBusMessage Message(string id) => new(BinaryData.FromString(id)) { MessageId = id };
}
