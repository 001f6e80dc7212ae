using LcnecBatch.Azure.Tests.TestData;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;

namespace LcnecBatch.Azure.Tests;

/// <summary>The timer trigger: batches the completion path never screened, watched patients, leftovers; idempotent.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class NightlySweepTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Sweep_BatchWithoutManifest_IsScreenedByTheSweepOnly_AndASecondSweepSendsNothing()
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        File.Delete(Path.Combine(archive.Path, "2026-10-03", "manifest.json"));
        await using var harness = new LabExportHarness(azurite);
        await harness.DeliverAllAsync(await harness.UploadAsync(archive.Path));
        Assert.Empty(harness.Sink.Sent);

        await harness.SweepAsync();
        var sent = AlertMessages.Of(harness.Sink.Sent);
        await harness.SweepAsync();

        Assert.Equal(AlertMessages.Expected(LocalRun.Screen(archive.Path, SampleBatches.October3, new ScreeningOptions())), sent);
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
    public async Task Sweep_WhileAnotherRunHoldsTheLease_FailsForTheHostToRetry_AndTheLeaseExpires()
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        File.Delete(Path.Combine(archive.Path, "2026-10-03", "manifest.json"));
        await using var harness = new LabExportHarness(azurite);
        await harness.DeliverAllAsync(await harness.UploadAsync(archive.Path));
        var held = await harness.State.TryLeaseAsync("another-run", TimeSpan.FromSeconds(2), harness.Token);
        Assert.NotNull(held);

        await Assert.ThrowsAsync<InvalidOperationException>(harness.SweepAsync);
        Assert.Empty(harness.Sink.Sent);
        await Task.Delay(TimeSpan.FromSeconds(2.5), harness.Token);
        await harness.SweepAsync();

        Assert.Equal(AlertMessages.Expected(LocalRun.Screen(archive.Path, SampleBatches.October3, new ScreeningOptions())), AlertMessages.Of(harness.Sink.Sent));
    }
}
