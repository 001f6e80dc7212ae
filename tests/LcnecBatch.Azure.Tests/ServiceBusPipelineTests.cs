using System.Text.Json;
using Azure.Messaging.ServiceBus;
using LcnecBatch.Azure.Tests.TestData;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;

namespace LcnecBatch.Azure.Tests;

/// <summary>
/// Blobs in (Azurite), Table Storage state, alerts out through the real <see cref="ServiceBusClient"/> to a
/// loopback AMQP endpoint, read back by a real <see cref="ServiceBusReceiver"/>: what arrives must be exactly the
/// alert events of the command line's replay of the same folder, each once, whatever the order of delivery,
/// re-deliveries, missing files or broker outages.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServiceBusPipelineTests(AzuriteFixture azurite)
{
    private const string Queue = LabExportHarness.Queue;

    [Fact]
    public async Task NightlyBatches_ThroughServiceBus_ReceivedMessagesAndTableStateAreExactlyTheReplays_AndLogsCarryNoPhi()
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        SampleBatches.Second().WriteTo(archive.Path);
        SampleBatches.Third().WriteTo(archive.Path);
        using var bus = new LoopbackServiceBus([Queue]);
        await using var harness = new LabExportHarness(azurite, bus.ConnectionString());
        var names = await harness.UploadAsync(archive.Path);

        // Both blob triggers in turn, as the Event Grid and the polling host would call them.
        for (var i = 0; i < names.Count; i++)
        {
            await harness.DeliverAsync(names[i], polling: i % 2 == 1);
        }
        await harness.SweepAsync();
        var received = await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, harness.Token);

        var cli = LocalRun.Screen(archive.Path, SampleBatches.November25, new ScreeningOptions(), includeResolved: true);
        Assert.Equal(AlertMessages.Expected(cli), AlertMessages.Of(received));
        Assert.Contains(received, m => m.MessageId.EndsWith(":r1", StringComparison.Ordinal));
        Assert.Contains(received, m => m.MessageId.EndsWith(":resolved", StringComparison.Ordinal));
        Assert.All(received, AssertWireContract);
        Assert.All(received.Where(m => !m.MessageId.Contains(':', StringComparison.Ordinal) && Body(m).GetProperty("asOf").GetString() == "2026-10-03"),
            m => Assert.Equal("2026-10-03", m.CorrelationId));
        Assert.InRange(bus.Sends, 1, 3); // one Service Bus batch per screened batch that had news, never one call per message

        var (records, unsent) = await harness.AlertLedgerAsync();
        Assert.Empty(unsent);
        Assert.Equal(
            cli.Alerts.Select(a => $"{a.AlertId} {(a.Status == AlertStatus.Open ? "open" : "resolved")}").Order(StringComparer.Ordinal),
            records.Select(r => $"{r.AlertId} {r.Status}").Order(StringComparer.Ordinal));
        Assert.Equal(
            SampleBatches.Mrns.Where(m => m != SampleBatches.Mrns[3]).Select(harness.Pseudonym.Of).Order(StringComparer.Ordinal),
            (await harness.State.WatchedAsync(harness.Token)).Order(StringComparer.Ordinal));
        Assert.Empty(await harness.State.PendingBatchesAsync(harness.Token));

        var logs = string.Join('\n', harness.Logs.Lines);
        Assert.Contains(harness.Pseudonym.Of(SampleBatches.Mrns[0]), logs, StringComparison.Ordinal);
        Assert.All(SampleBatches.Mrns, mrn => Assert.DoesNotContain(mrn, logs, StringComparison.Ordinal));
        Assert.All(SampleBatches.ReportText, text => Assert.DoesNotContain(text, logs, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task EveryBlobDeliveredTwice_ThroughServiceBus_EachMessageReceivedOnce()
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        SampleBatches.Second().WriteTo(archive.Path);
        using var bus = new LoopbackServiceBus([Queue]);
        await using var harness = new LabExportHarness(azurite, bus.ConnectionString());
        var names = await harness.UploadAsync(archive.Path);

        await harness.DeliverAllAsync([.. names, .. names]);
        await harness.SweepAsync();
        await harness.DeliverAllAsync(names);

        var received = await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, harness.Token);
        Assert.Equal(AlertMessages.Expected(LocalRun.Screen(archive.Path, SampleBatches.October20, new ScreeningOptions())), AlertMessages.Of(received));
    }

    public static TheoryData<int> Shuffles => new(Enumerable.Range(1, 10));

    [Theory]
    [MemberData(nameof(Shuffles))]
    public async Task BlobsOfABatchInAnyOrder_SendTheSameAlertsOnce(int seed)
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        using var bus = new LoopbackServiceBus([Queue]);
        await using var harness = new LabExportHarness(azurite, bus.ConnectionString());
        var names = (await harness.UploadAsync(archive.Path)).ToArray();
        new Random(seed).Shuffle(names);

        await harness.DeliverAllAsync(names);

        var received = await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, harness.Token);
        Assert.Equal(AlertMessages.Expected(LocalRun.Screen(archive.Path, SampleBatches.October3, new ScreeningOptions())), AlertMessages.Of(received));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task BlobsOfTwoBatchesInterleaved_NoDuplicate_AndTheOpenAlertsOfTheReplay(int seed)
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        SampleBatches.Second().WriteTo(archive.Path);
        using var bus = new LoopbackServiceBus([Queue]);
        await using var harness = new LabExportHarness(azurite, bus.ConnectionString());
        var names = (await harness.UploadAsync(archive.Path)).ToArray();
        new Random(seed).Shuffle(names);

        await harness.DeliverAllAsync(names);
        await harness.SweepAsync();

        // A later batch completing first is screened first; history differs, but nothing is doubled or lost.
        var received = await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, harness.Token);
        var cli = LocalRun.Screen(archive.Path, SampleBatches.October20, new ScreeningOptions());
        AssertEachOnceEndingOpenAsTheReplay(received, cli);
    }

    [Fact]
    public async Task BatchMissingAFileUntilTheSweep_NoDuplicateAndNoMissingAlert()
    {
        const string Late = "2026-10-03/ihc_results.csv";
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        SampleBatches.Second().WriteTo(archive.Path);
        using var withoutLate = new TempFolder();
        SampleBatches.First().WriteTo(withoutLate.Path);
        SampleBatches.Second().WriteTo(withoutLate.Path);
        File.Delete(Path.Combine(withoutLate.Path, Late));
        using var bus = new LoopbackServiceBus([Queue]);
        await using var harness = new LabExportHarness(azurite, bus.ConnectionString());
        var names = await harness.UploadAsync(archive.Path);

        await harness.DeliverAllAsync(names.Where(n => n != Late));
        // October 20 is complete but waits behind the incomplete October 3: batches are screened in date order.
        Assert.Equal([SampleBatches.October3, SampleBatches.October20], (await harness.State.PendingBatchesAsync(harness.Token)).Select(b => b.Date));
        Assert.Empty(await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, harness.Token));
        await harness.SweepAsync();

        var bySweep = await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, harness.Token);
        Assert.Equal(AlertMessages.Expected(LocalRun.Screen(withoutLate.Path, SampleBatches.October20, new ScreeningOptions())), AlertMessages.Of(bySweep));
        Assert.Empty(await harness.State.PendingBatchesAsync(harness.Token));

        await harness.DeliverAsync(Late);
        await harness.SweepAsync();

        var afterLate = await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, harness.Token);
        AssertEachOnceEndingOpenAsTheReplay([.. bySweep, .. afterLate], LocalRun.Screen(archive.Path, SampleBatches.October20, new ScreeningOptions()));
    }

    public static TheoryData<string> Outages => new() { "wrong key", "unknown entity", "unreachable" };

    [Theory]
    [MemberData(nameof(Outages))]
    public async Task ServiceBusFailsDuringARun_NothingMarkedSent_TheNextRunSendsEachAlertOnce(string outage)
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        SampleBatches.Second().WriteTo(archive.Path);
        using var bus = new LoopbackServiceBus([Queue]);
        var (connection, entity) = outage switch
        {
            "wrong key" => (bus.ConnectionString(Convert.ToBase64String(new byte[32])), Queue),
            "unknown entity" => (bus.ConnectionString(), "no-such-topic"),
            _ => ("Endpoint=sb://127.0.0.1:9;SharedAccessKeyName=k;SharedAccessKey=a2V5;UseDevelopmentEmulator=true;", Queue),
        };
        var expected = AlertMessages.Expected(LocalRun.Screen(archive.Path, SampleBatches.October20, new ScreeningOptions()));
        // The app after Service Bus is back owns the storage; the one during the outage shares it.
        await using var up = new LabExportHarness(azurite, bus.ConnectionString());
        IReadOnlyList<string> names;
        await using (var down = new LabExportHarness(azurite, connection, up.Storage, entity: entity))
        {
            names = await down.UploadAsync(archive.Path);
            var failure = await Record.ExceptionAsync(() => down.DeliverAllAsync(names));
            Assert.True(failure is UnauthorizedAccessException or ServiceBusException, $"{outage}: {failure}");
            await Assert.ThrowsAnyAsync<Exception>(down.SweepAsync);

            var (_, unsent) = await down.AlertLedgerAsync();
            Assert.NotEmpty(unsent);
            Assert.Contains(SampleBatches.October3, (await down.State.PendingBatchesAsync(down.Token)).Select(b => b.Date));
        }
        Assert.Empty(await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, CancellationToken.None));

        // The host's next run is the sweep (or any delivery).
        await up.SweepAsync();
        await up.DeliverAllAsync(names);
        await up.SweepAsync();

        Assert.Equal(expected, AlertMessages.Of(await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, up.Token)));
        Assert.Empty((await up.AlertLedgerAsync()).Unsent);
        Assert.Empty(await up.State.PendingBatchesAsync(up.Token));
    }

    /// <summary>The wire contract of alerts.md, property by property, against the body it carries.</summary>
    private static void AssertWireContract(ServiceBusReceivedMessage message)
    {
        var body = Body(message);
        Assert.StartsWith(body.GetProperty("alertId").GetString()!, message.MessageId, StringComparison.Ordinal);
        Assert.Equal("application/json", message.ContentType);
        Assert.Equal(body.GetProperty("ruleId").GetString(), message.Subject);
        Assert.Contains(message.CorrelationId, new[] { "2026-10-03", "2026-10-20", "2026-11-25" });
        Assert.Equal(body.GetProperty("careTeam").GetString(), message.ApplicationProperties["careTeam"]);
        Assert.Equal(body.GetProperty("severity").GetString(), message.ApplicationProperties["severity"]);
        Assert.Equal(body.GetProperty("ruleId").GetString(), message.ApplicationProperties["ruleId"]);
        Assert.Equal(body.GetProperty("ruleVersion").GetString(), message.ApplicationProperties["ruleVersion"]);
        Assert.Equal(body.GetProperty("status").GetString(), message.ApplicationProperties["status"]);
        Assert.Equal(message.MessageId.EndsWith(":resolved", StringComparison.Ordinal) ? "resolved" : "open", message.ApplicationProperties["status"]);
        Assert.Equal(body.GetProperty("event").GetString(), message.ApplicationProperties["event"]);
        Assert.Equal(EventOf(message.MessageId), message.ApplicationProperties["event"]);
    }

    /// <summary>No message id twice, and every alert the replay ends with open was raised (or reopened) and not resolved after.</summary>
    private static void AssertEachOnceEndingOpenAsTheReplay(List<ServiceBusReceivedMessage> received, RunResult cli)
    {
        Assert.Equal(received.Count, received.Select(m => m.MessageId).Distinct().Count());
        var open = received
            .GroupBy(m => Body(m).GetProperty("alertId").GetString()!)
            .Where(g => g.OrderBy(m => m.SequenceNumber).Last().ApplicationProperties["status"] as string == "open")
            .Select(g => g.Key);
        Assert.Equal(cli.Alerts.Select(a => a.AlertId).Order(StringComparer.Ordinal), open.Order(StringComparer.Ordinal));
    }

    /// <summary>What alerts.md's message-id scheme says the event is.</summary>
    internal static string EventOf(string messageId)
    {
        var colon = messageId.LastIndexOf(':');
        var last = colon < 0 ? "" : messageId[(colon + 1)..];
        return last == "resolved" ? "resolved"
            : last.StartsWith("reopened", StringComparison.Ordinal) ? "reopened"
            : last.Length > 1 && last[0] == 'r' && last[1..].All(char.IsAsciiDigit) ? "reminder"
            : colon < 0 ? "raised" : throw new ArgumentException($"not a message id of alerts.md: {messageId}", nameof(messageId));
    }

    private static JsonElement Body(ServiceBusReceivedMessage message) => JsonDocument.Parse(message.Body.ToMemory()).RootElement;
}
