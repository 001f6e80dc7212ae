using LcnecBatch.Azure.Tests.TestData;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace LcnecBatch.Azure.Tests;

/// <summary>The 15-minute timer: what a failed send left in the outbox goes out without waiting for the nightly sweep.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SendUnsentAlertsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task SendUnsentAlerts_AfterTheTransportWasDownDuringScreening_SendsEveryLeftoverOnce_AndTheSweepAddsNone()
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        var sink = new OutageSink { Down = true };
        await using var harness = new LabExportHarness(azurite, configure: services => services.AddSingleton<IAlertSink>(sink));
        var names = await harness.UploadAsync(archive.Path);
        var failures = new List<Exception>();
        foreach (var name in names)
        {
            if (await Record.ExceptionAsync(() => harness.DeliverAsync(name)) is { } failure)
            {
                failures.Add(failure);
            }
        }
        Assert.Equal("transport down", Assert.Single(failures).Message); // the delivery that completed the batch
        var (_, unsent) = await harness.AlertLedgerAsync();
        Assert.NotEmpty(unsent);
        Assert.Empty(sink.Sent);

        sink.Down = false;
        var timer = ActivatorUtilities.CreateInstance<SendUnsentAlerts>(harness.Services);
        await timer.Run(new TimerInfo(), harness.Token);

        Assert.Equal(unsent.Order(StringComparer.Ordinal), sink.Sent.Select(m => m.MessageId).Order(StringComparer.Ordinal));
        Assert.Empty((await harness.AlertLedgerAsync()).Unsent);
        await timer.Run(new TimerInfo(), harness.Token);
        await harness.SweepAsync();
        Assert.Equal(AlertMessages.Expected(LocalRun.Screen(archive.Path, SampleBatches.October3, new ScreeningOptions())), AlertMessages.Of(sink.Sent));
        Assert.Empty(await harness.State.PendingBatchesAsync(harness.Token));
    }

    [Fact]
    public async Task SendUnsentAlerts_NothingUnsent_SendsNothing()
    {
        var sink = new OutageSink();
        await using var harness = new LabExportHarness(azurite, configure: services => services.AddSingleton<IAlertSink>(sink));

        await ActivatorUtilities.CreateInstance<SendUnsentAlerts>(harness.Services).Run(new TimerInfo(), harness.Token);

        Assert.Empty(sink.Sent);
    }

    /// <summary>A transport that refuses every send while it is down (nothing handed over, nothing marked sent).</summary>
    private sealed class OutageSink : IAlertSink
    {
        private readonly InMemoryAlertSink _up = new();

        public bool Down { get; set; }

        public IReadOnlyList<AlertMessage> Sent => _up.Sent;

        public Task SendAsync(IReadOnlyList<AlertMessage> messages, Func<IReadOnlyList<AlertMessage>, CancellationToken, Task> sent, CancellationToken cancellationToken) =>
            Down ? throw new InvalidOperationException("transport down") : _up.SendAsync(messages, sent, cancellationToken);
    }
}
