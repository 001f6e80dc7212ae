using System.Diagnostics;
using Azure.Data.Tables;
using LcnecBatch.Azure.Tests.TestData;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using Microsoft.Extensions.DependencyInjection;

namespace LcnecBatch.Azure.Tests;

/// <summary>
/// The timer trigger: batches the completion path never screened (once old enough), watched patients, batches that
/// complete while it runs, leftovers; idempotent; waits for a busy lease, keeps its own, stops when it loses it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class NightlySweepTests(AzuriteFixture azurite)
{
    private const string SweepWaits = "found the screening lease busy";

    [Fact]
    public async Task Sweep_BatchWithoutManifest_IsScreenedByTheSweepOnly_AndASecondSweepSendsNothing()
    {
        using var archive = October3WithoutManifest();
        await using var harness = new LabExportHarness(azurite);
        await harness.DeliverAllAsync(await harness.UploadAsync(archive.Path));
        Assert.Empty(harness.Sink.Sent);

        await harness.SweepAsync();
        var sent = AlertMessages.Of(harness.Sink.Sent);
        await harness.SweepAsync();

        Assert.Equal(ExpectedOctober3(archive), sent);
        Assert.Equal(sent, AlertMessages.Of(harness.Sink.Sent));
        Assert.Empty(await harness.State.PendingBatchesAsync(harness.Token));
    }

    [Fact]
    public async Task Sweep_NothingIngested_DoesNothing()
    {
        await using var harness = new LabExportHarness(azurite);

        await harness.SweepAsync();

        Assert.Empty(harness.Sink.Sent);
        Assert.Null(await harness.State.LatestBatchDateAsync(harness.Token));
    }

    [Fact]
    public async Task Sweep_IncompleteBatchYoungerThanTheMinimumAge_IsLeftAlone_UntilItsFirstFileIsThatOld()
    {
        using var archive = October3WithoutManifest();
        var clock = new ShiftedClock();
        await using var harness = new LabExportHarness(azurite, configure: services => services
            .AddSingleton<TimeProvider>(clock)
            .PostConfigure<StateTableOptions>(o => o.MinimumBatchAge = TimeSpan.FromHours(2)));
        await harness.DeliverAllAsync(await harness.UploadAsync(archive.Path));

        await harness.SweepAsync();
        Assert.Empty(harness.Sink.Sent);
        clock.Advance(TimeSpan.FromMinutes(119));
        await harness.SweepAsync();
        Assert.Empty(harness.Sink.Sent);
        Assert.Equal([SampleBatches.October3], (await harness.State.PendingBatchesAsync(harness.Token)).Select(b => b.Date));
        Assert.Contains(harness.Logs.Lines, l => l.Contains("is incomplete and its first file arrived", StringComparison.Ordinal));

        clock.Advance(TimeSpan.FromMinutes(2));
        await harness.SweepAsync();

        Assert.Equal(ExpectedOctober3(archive), AlertMessages.Of(harness.Sink.Sent));
        Assert.Empty(await harness.State.PendingBatchesAsync(harness.Token));
    }

    [Fact]
    public async Task Sweep_BatchCompletedWhileTheSweepWalkedTheWatchedPatients_IsScreenedByTheSameSweep()
    {
        const string LastFile = "2026-10-20/manifest.json";
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        SampleBatches.Second().WriteTo(archive.Path);
        await using var harness = new LabExportHarness(azurite, configure: services =>
            services.PostConfigure<StateTableOptions>(o => o.MinimumBatchAge = TimeSpan.FromHours(2)));
        var names = await harness.UploadAsync(archive.Path);
        await harness.DeliverAllAsync(names.Where(n => n != LastFile));
        // Not in the container yet either, or the sweep's reconciliation would find it before screening.
        var manifest = await harness.DownloadAsync(harness.Exports, LastFile);
        await harness.Exports.DeleteBlobAsync(LastFile, cancellationToken: harness.Token);
        Assert.Equal([SampleBatches.October20], (await harness.State.PendingBatchesAsync(harness.Token)).Select(b => b.Date));
        // The screening's look at the latest batch date (after its pending batches, before the watched patients; the
        // first look is the reconciliation's, before the lease is taken): the manifest arrives then, and its delivery
        // finds the lease busy.
        var arrival = harness.Faults.When(r => harness.Faults.Tables()(r) && IsLatestBatchDateQuery(r.Uri.Query)).After(1).Times(1)
            .Before(async _ =>
            {
                await harness.Exports.UploadBlobAsync(LastFile, BinaryData.FromBytes(manifest), harness.Token);
                await harness.DeliverAsync(LastFile);
            });

        await harness.SweepAsync();

        Assert.Equal(1, arrival.Injected);
        Assert.Contains(harness.Logs.Lines, l => l.Contains("Another screening run holds the lease", StringComparison.Ordinal));
        Assert.Empty(await harness.State.PendingBatchesAsync(harness.Token));
        Assert.Equal(AlertMessages.Expected(LocalRun.Screen(archive.Path, SampleBatches.October20, new ScreeningOptions())), AlertMessages.Of(harness.Sink.Sent));
    }

    [Fact]
    public async Task Sweep_WhileAnotherRunHoldsTheLease_WaitsAndTriesAgain_AndSucceedsOnceItIsReleased()
    {
        using var archive = October3WithoutManifest();
        await using var harness = new LabExportHarness(azurite, configure: services => services.PostConfigure<StateTableOptions>(o =>
        {
            o.LeaseBusyRetries = 3;
            o.LeaseBusyDelay = TimeSpan.FromSeconds(1);
        }));
        await harness.DeliverAllAsync(await harness.UploadAsync(archive.Path));
        var held = await harness.State.TryLeaseAsync("another-run", TimeSpan.FromMinutes(5), harness.Token);
        Assert.NotNull(held);

        var sweep = harness.SweepAsync();
        await UntilAsync(() => harness.Logs.Lines.Any(l => l.Contains(SweepWaits, StringComparison.Ordinal)), harness.Token);
        Assert.False(sweep.IsCompleted);
        await harness.State.ReleaseAsync(held, harness.Token);
        await sweep;

        Assert.Equal(ExpectedOctober3(archive), AlertMessages.Of(harness.Sink.Sent));
        Assert.Empty(await harness.State.PendingBatchesAsync(harness.Token));
    }

    [Fact]
    public async Task Sweep_WhileAnotherRunHoldsTheLeaseThroughEveryTry_FailsForTheHostToRetry_AndTheRetrySendsEachAlertOnce()
    {
        using var archive = October3WithoutManifest();
        using var bus = new LoopbackServiceBus([LabExportHarness.Queue], duplicateDetection: LoopbackServiceBus.DeploymentDuplicateWindow);
        await using var harness = new LabExportHarness(azurite, bus.ConnectionString());
        await harness.DeliverAllAsync(await harness.UploadAsync(archive.Path));
        var held = await harness.State.TryLeaseAsync("another-run", TimeSpan.FromSeconds(2), harness.Token);
        Assert.NotNull(held);

        await Assert.ThrowsAsync<InvalidOperationException>(harness.SweepAsync);
        Assert.Equal(0, bus.Sends);
        Assert.Equal(3, harness.Logs.Lines.Count(l => l.Contains(SweepWaits, StringComparison.Ordinal)));
        await Task.Delay(TimeSpan.FromSeconds(2.5), harness.Token); // the other run died: its lease runs out
        await harness.SweepAsync();
        await harness.SweepAsync();

        // At the broker: each of the replay's ids once, and nothing was even offered twice.
        Assert.Equal(ExpectedOctober3(archive), AlertMessages.Of(await AlertMessages.DrainAsync(bus.ConnectionString(), LabExportHarness.Queue, harness.Token)));
        Assert.Equal(0, bus.DuplicatesDropped);
    }

    [Fact]
    public async Task Sweep_LongerThanItsLease_RenewsItMeanwhile_SoAnotherRunNeverTakesIt()
    {
        var lease = TimeSpan.FromSeconds(3);
        using var archive = October3WithoutManifest();
        await using var harness = new LabExportHarness(azurite, configure: services =>
            services.PostConfigure<StateTableOptions>(o => o.ScreeningLease = lease));
        await harness.DeliverAllAsync(await harness.UploadAsync(archive.Path));
        // One patient's facts come back after longer than the lease: the screening phase outlasts it.
        var slow = harness.Faults.When(r => harness.Faults.Tables()(r) && r.Uri.Path.Contains($"timelineevents{harness.Storage}", StringComparison.Ordinal))
            .Times(1).Delay(lease + TimeSpan.FromSeconds(1.5));

        var clock = Stopwatch.StartNew();
        var sweep = harness.SweepAsync();
        var intruders = new List<ScreeningLease?>();
        while (!sweep.IsCompleted)
        {
            // From the moment the screening (under its lease) reads the slow facts; reconciliation runs before it, unleased.
            if (slow.Injected > 0)
            {
                intruders.Add(await harness.State.TryLeaseAsync("another-run", lease, harness.Token));
            }
            await Task.WhenAny(sweep, Task.Delay(TimeSpan.FromMilliseconds(200), harness.Token));
        }
        await sweep;

        Assert.Equal(1, slow.Injected);
        Assert.True(clock.Elapsed > lease, $"the sweep took {clock.Elapsed}, not longer than its lease");
        Assert.True(intruders.Count > 10, $"{intruders.Count} tries");
        Assert.All(intruders, Assert.Null);
        Assert.Equal(ExpectedOctober3(archive), AlertMessages.Of(harness.Sink.Sent));
        Assert.NotNull(await harness.State.TryLeaseAsync("another-run", lease, harness.Token)); // released at the end
    }

    [Fact]
    public async Task Sweep_WhoseLeaseIsTakenByAnotherRun_StopsItsWork_AndLeavesTheOtherRunsLease()
    {
        var lease = TimeSpan.FromSeconds(3);
        using var archive = October3WithoutManifest();
        await using var harness = new LabExportHarness(azurite, configure: services =>
            services.PostConfigure<StateTableOptions>(o => o.ScreeningLease = lease));
        await harness.DeliverAllAsync(await harness.UploadAsync(archive.Path));
        var ledger = harness.Tables.GetTableClient($"ingestionledger{harness.Storage}");
        // While one patient's facts are read (slowly), another run takes the lease over, as if this one had expired.
        var slow = harness.Faults.When(r => harness.Faults.Tables()(r) && r.Uri.Path.Contains($"timelineevents{harness.Storage}", StringComparison.Ordinal))
            .Times(1).Delay(TimeSpan.FromSeconds(20))
            .Before(_ => ledger.UpsertEntityAsync(
                new TableEntity("$screening", "lease") { ["Owner"] = "another-run", ["Until"] = DateTimeOffset.UtcNow.AddHours(1) },
                TableUpdateMode.Replace, harness.Token));

        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(harness.SweepAsync);

        Assert.Equal(1, slow.Injected);
        Assert.Contains("lease was lost", failure.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the sweep stopped after {clock.Elapsed}, not at its first renewal");
        Assert.Empty(harness.Sink.Sent);
        Assert.Equal([SampleBatches.October3], (await harness.State.PendingBatchesAsync(harness.Token)).Select(b => b.Date));
        var holder = await ledger.GetEntityAsync<TableEntity>("$screening", "lease", cancellationToken: harness.Token);
        Assert.Equal("another-run", holder.Value.GetString("Owner"));
        Assert.Contains(harness.Logs.Lines, l => l.Contains("The screening lease was lost", StringComparison.Ordinal));
    }

    private static TempFolder October3WithoutManifest()
    {
        var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        File.Delete(Path.Combine(archive.Path, "2026-10-03", "manifest.json"));
        return archive;
    }

    private static List<string> ExpectedOctober3(TempFolder archive) =>
        AlertMessages.Expected(LocalRun.Screen(archive.Path, SampleBatches.October3, new ScreeningOptions()));

    /// <summary>LatestBatchDateAsync's query: the whole batch index, not only its pending rows.</summary>
    private static bool IsLatestBatchDateQuery(string query)
    {
        var filter = Uri.UnescapeDataString(query);
        return filter.Contains("PartitionKey eq '$batches'", StringComparison.Ordinal) && !filter.Contains("Pending", StringComparison.Ordinal);
    }

    private static async Task UntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(15), "the condition never came true");
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }
}
