using System.Text.Json;
using Azure.Messaging.ServiceBus;
using LcnecBatch.Azure.Tests.TestData;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Synthetic;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LcnecBatch.Azure.Tests;

/// <summary>
/// Many nights at once, everything going wrong a little (bounded, loopback only, seeded): the generated archive's
/// blobs delivered in a random order across 50 batches, storage answering 503 now and then (mostly absorbed by the
/// SDK's retries, sometimes an outage longer than them that fails the invocation), the Service Bus link dropped
/// after the broker took a batch and before it said so. The host is played as it behaves: a failed invocation is
/// tried again up to the poison threshold (5), then the blob goes to the poison queue; the nightly sweep runs at the
/// end, retried while the lease of a crashed run is still held. What the broker holds must be, id for id and in
/// order for each alert, the alert events of one local replay of the same archive.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SoakTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const int Seed = 16;
    private const int Nights = 50;
    private const int PoisonThreshold = 5;
    private const string Queue = LabExportHarness.Queue;
    private static readonly DateOnly First = new(2026, 9, 1);

    [Fact]
    public async Task FiftyNightlyBatches_InRandomOrder_WithRandom503sAndLinkDrops_TheBrokerHoldsTheReplaysEvents_IdForIdInOrderPerAlert()
    {
        using var archive = new TempFolder();
        ArchiveGenerator.Generate(new GeneratorOptions { ResponseRate = 0, Patients = 300, Days = Nights, Start = First, Seed = Seed }, archive.Path);
        var last = First.AddDays(Nights - 1);
        var replay = LocalRun.Screen(archive.Path, last, new ScreeningOptions(), includeResolved: true);
        var expected = PerAlert(replay.AlertEvents.Select(e => e.MessageId));
        Assert.True(replay.AlertEvents.Count >= 20, $"{replay.AlertEvents.Count} events: too few to prove anything");
        Assert.Contains(replay.AlertEvents, e => e.Kind == AlertEventKind.Reminder);
        Assert.Contains(replay.AlertEvents, e => e.Kind == AlertEventKind.Resolved);

        var clock = new ManualClock(new DateTimeOffset(First.AddDays(Nights), new TimeOnly(1, 0), TimeSpan.Zero));
        using var bus = new LoopbackServiceBus([Queue], duplicateDetection: LoopbackServiceBus.DeploymentDuplicateWindow, time: clock);
        await using var harness = new LabExportHarness(azurite, bus.ConnectionString(), configure: services => services
            .PostConfigure<LabExportOptions>(o =>
            {
                // The lab exports every day from the first batch on: a batch that arrives before an earlier one
                // waits for it, as the deployment is configured for a daily export.
                foreach (var day in Enum.GetValues<DayOfWeek>())
                {
                    o.ExportDays.Add(day);
                }
                o.ExportsSince = First;
            })
            .PostConfigure<StateTableOptions>(o => o.ScreeningLease = TimeSpan.FromSeconds(3)), timeout: TimeSpan.FromMinutes(6));
        var names = await harness.UploadAsync(archive.Path);
        var random = new Random(Seed);
        var order = names.OrderBy(_ => random.Next()).ToList();

        // Single 503s the SDK's retries absorb, and rarer outages of four calls in a row that outlast them.
        var hiccups = harness.Faults.When(harness.Faults.Tables()).WithProbability(0.02, Seed).Fail(503);
        var outages = harness.Faults.When(harness.Faults.Tables()).WithProbability(0.002, Seed + 1).Burst(4).Fail(503);
        // One blob whose every invocation fails, whatever the retries: the host poisons it, the sweep takes it back.
        var doomed = order[random.Next(order.Count)];
        var doomedFailing = true;
        harness.Faults.When(r => doomedFailing && harness.Faults.Blobs(harness.Exports.Name)(r) && Uri.UnescapeDataString(r.Uri.Path).EndsWith(doomed, StringComparison.Ordinal)).Fail(503);
        var failedInvocations = 0;
        var poisoned = new List<string>();
        var drops = 0;
        foreach (var name in order)
        {
            if (random.NextDouble() < 0.1)
            {
                // The next send (and, one time in two, the SDK's retry of it too) reaches the broker, then the link drops.
                bus.DropLinkAfterNextSends(random.Next(1, 3));
                drops++;
            }
            var delivered = false;
            for (var attempt = 1; attempt <= PoisonThreshold && !delivered; attempt++)
            {
                try
                {
                    await harness.DeliverAsync(name);
                    delivered = true;
                }
                catch (Exception e) when (e is global::Azure.RequestFailedException or ServiceBusException or InvalidOperationException or AggregateException)
                {
                    failedInvocations++;
                }
            }
            if (!delivered)
            {
                doomedFailing = false; // the outage of that blob ends; only the sweep can still find it
                await harness.PoisonAsync(harness.Exports.Name, name);
                poisoned.Add(name);
            }
        }
        Assert.Equal([doomed], poisoned);
        bus.DropLinkAfterNextSends(0);
        harness.Faults.Clear();

        await SweepAsTheHostWouldAsync(harness);
        await SweepAsTheHostWouldAsync(harness); // a second night changes nothing
        var received = await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, harness.Token);

        output.WriteLine($"{names.Count} blobs, {replay.AlertEvents.Count} events of {expected.Count} alerts; {hiccups.Injected} single 503s, " +
            $"{outages.Injected} outage 503s, {failedInvocations} failed invocations, {poisoned.Count} poisoned, {drops} link drops, " +
            $"{bus.Sends} transfers, {bus.DuplicatesDropped} duplicates dropped by the broker");
        Assert.True(hiccups.Injected > 0 && outages.Injected > 0 && drops > 0, $"faults: {hiccups.Injected} single 503s, {outages.Injected} outage 503s, {drops} link drops");
        Assert.True(failedInvocations > PoisonThreshold, "no invocation failed but the doomed blob's: the soak proved nothing about retries");
        Assert.True(bus.DuplicatesDropped > 0, "no send was repeated after a dropped link");
        var arrived = received.OrderBy(m => m.SequenceNumber).Select(m => m.MessageId).ToList();
        Assert.Equal(arrived.Count, arrived.Distinct(StringComparer.Ordinal).Count()); // each id once at the broker
        Assert.Equal(expected, PerAlert(arrived));
        Assert.Equal(AlertMessages.Expected(replay), AlertMessages.Of(received)); // and each body as the replay's
        Assert.All(received, m => Assert.Equal(EventOf(m.MessageId, replay), JsonDocument.Parse(m.Body).RootElement.GetProperty("event").GetString()));
        Assert.Empty((await harness.AlertLedgerAsync()).Unsent);
        Assert.Empty(await harness.State.PendingBatchesAsync(harness.Token));
        Assert.Empty(await harness.State.FailuresAsync(harness.Token));
        Assert.True(poisoned.Count == 0 || (await harness.PoisonQueue.PeekMessagesAsync(32, harness.Token)).Value.Length == 0, "poison messages left");
    }

    /// <summary>The timer function under its retry policy: a sweep that fails (a crashed run's lease still held) runs again a little later.</summary>
    private static async Task SweepAsTheHostWouldAsync(LabExportHarness harness)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await harness.SweepAsync();
                return;
            }
            catch (InvalidOperationException) when (attempt < 6)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), harness.Token);
            }
        }
    }

    /// <summary>Message ids grouped by alert (the id before its first ':'), each group in the order given.</summary>
    private static SortedDictionary<string, List<string>> PerAlert(IEnumerable<string> messageIds)
    {
        var groups = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var id in messageIds)
        {
            var alert = id.Split(':')[0];
            if (!groups.TryGetValue(alert, out var ids))
            {
                groups[alert] = ids = [];
            }
            ids.Add(id);
        }
        return groups;
    }

    private static string EventOf(string messageId, RunResult replay) =>
        replay.AlertEvents.Single(e => e.MessageId == messageId).Kind.ToString().ToLowerInvariant();
}
