using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using LcnecBatch.Azure.Tests.TestData;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using Microsoft.Extensions.DependencyInjection;

namespace LcnecBatch.Azure.Tests;

/// <summary>
/// One patient that cannot be screened never holds back the others: it is recorded (pseudonym and a reason class),
/// the others' alerts reach the broker, and a later run screens it once it can. Saves too big for one transaction
/// go in consistent steps; storage down and the host stopping still stop the run.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PatientIsolationTests(AzuriteFixture azurite)
{
    private const string Queue = LabExportHarness.Queue;
    private const string Manifest = "2026-10-03/manifest.json";
    private static readonly DateOnly Batch = SampleBatches.October3;

    [Fact]
    public async Task OnePatientsStoredEventNoLongerParses_The200OthersAlertsAreSent_ItIsRecorded_AndTheSweepSendsItsAlertsOnceRepaired()
    {
        const int Poisoned = 200; // the last rows of the files: the others' evidence keeps its line numbers without it
        var everyone = Enumerable.Range(0, 201).ToList();
        using var archive = new TempFolder();
        Cohort.Lcnec(Batch, everyone).WriteTo(archive.Path);
        using var withoutPoisoned = new TempFolder();
        Cohort.Lcnec(Batch, everyone.Where(p => p != Poisoned)).WriteTo(withoutPoisoned.Path);
        var others = AlertMessages.Expected(LocalRun.Screen(withoutPoisoned.Path, Batch, new ScreeningOptions()));
        var all = AlertMessages.Expected(LocalRun.Screen(archive.Path, Batch, new ScreeningOptions()));
        Assert.Equal(200, others.Count); // one raise each
        using var bus = new LoopbackServiceBus([Queue]);
        await using var harness = new LabExportHarness(azurite, bus.ConnectionString());
        var names = await harness.UploadAsync(archive.Path);
        await harness.DeliverAllAsync(names.Where(n => n != Manifest));
        var poisoned = harness.Pseudonym.Of(Cohort.Mrn(Poisoned));
        var events = harness.Tables.GetTableClient($"timelineevents{harness.Storage}");
        var stored = await RowsAsync(events, poisoned, harness.Token);
        Assert.NotEmpty(stored);
        foreach (var row in stored)
        {
            await events.UpdateEntityAsync(new TableEntity(poisoned, row.RowKey) { ["Event"] = "{\"type\":"u8.ToArray() }, ETag.All, TableUpdateMode.Merge, harness.Token);
        }

        await harness.DeliverAsync(Manifest);

        var received = await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, harness.Token);
        Assert.Equal(others, AlertMessages.Of(received));
        var failure = Assert.Single(await harness.State.FailuresAsync(harness.Token));
        Assert.Equal((poisoned, PatientFailureReason.UnreadableStoredEvent, Batch, Batch, 1), (failure.Pseudonym, failure.Reason, failure.From, failure.Through, failure.Attempts));
        Assert.Empty(await harness.State.PendingBatchesAsync(harness.Token)); // the batch is done; the patient lives on in its record
        var logs = string.Join('\n', harness.Logs.Lines);
        Assert.Contains($"Patient {poisoned} failed ({PatientFailureReason.UnreadableStoredEvent}", logs, StringComparison.Ordinal);
        Assert.All(everyone, p => Assert.DoesNotContain(Cohort.Mrn(p), logs, StringComparison.Ordinal));
        Assert.DoesNotContain("neuroendocrine", logs, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("JsonException", logs, StringComparison.Ordinal);

        foreach (var row in stored)
        {
            await events.UpsertEntityAsync(row, TableUpdateMode.Replace, harness.Token);
        }
        await harness.SweepAsync();
        await harness.SweepAsync();

        var afterRepair = await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, harness.Token);
        Assert.Equal(all.Except(others), AlertMessages.Of(afterRepair));
        Assert.Single(afterRepair);
        Assert.Empty(await harness.State.FailuresAsync(harness.Token));
        Assert.Empty((await harness.AlertLedgerAsync()).Unsent);
    }

    [Fact]
    public async Task OnePatientsLedgerRewrittenBeforeEachOfItsSaves_IsRecordedAsSaveConflicts_TheOthersAreSent_AndTheNextRunClearsIt()
    {
        const int Conflicted = 5; // the last rows of the files, as above
        var everyone = Enumerable.Range(0, 6).ToList();
        using var archive = new TempFolder();
        Cohort.Lcnec(Batch, everyone).WriteTo(archive.Path);
        using var withoutConflicted = new TempFolder();
        Cohort.Lcnec(Batch, everyone.Where(p => p != Conflicted)).WriteTo(withoutConflicted.Path);
        var others = AlertMessages.Expected(LocalRun.Screen(withoutConflicted.Path, Batch, new ScreeningOptions()));
        var all = AlertMessages.Expected(LocalRun.Screen(archive.Path, Batch, new ScreeningOptions()));
        using var bus = new LoopbackServiceBus([Queue]);
        await using var harness = new LabExportHarness(azurite, bus.ConnectionString());
        var conflicted = harness.Pseudonym.Of(Cohort.Mrn(Conflicted));
        // Another writer, on its own client (not through the faults), touches the patient's row before each save of it.
        var anotherRun = new TableClient(azurite.ConnectionString, harness.AlertLedger.Name);
        var rewrites = harness.Faults.When(r => Cohort.IsLedgerSave(r, harness.AlertLedger.Name, conflicted))
            .Before(_ => anotherRun.UpsertEntityAsync(new TableEntity(conflicted, "$patient") { ["Touched"] = "by another run" }, TableUpdateMode.Merge));

        await harness.DeliverAllAsync(await harness.UploadAsync(archive.Path));

        Assert.Equal(others, AlertMessages.Of(await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, harness.Token)));
        Assert.Equal(5, rewrites.Injected); // every attempt's save met a changed row
        var failure = Assert.Single(await harness.State.FailuresAsync(harness.Token));
        Assert.Equal((conflicted, PatientFailureReason.SaveConflicts), (failure.Pseudonym, failure.Reason));
        Assert.Empty(await harness.State.PendingBatchesAsync(harness.Token));

        harness.Faults.Clear();
        await harness.SweepAsync();

        Assert.Equal(all.Except(others), AlertMessages.Of(await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, harness.Token)));
        Assert.Empty(await harness.State.FailuresAsync(harness.Token));
        Assert.Contains(harness.Logs.Lines, l => l.Contains($"Patient {conflicted} screened after 1 failed runs (save-conflicts)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CatchUpWithMoreThan100LedgerChanges_IsSavedInSeveralConsistentTransactions_AndEveryEventArrivesOnceInOrder()
    {
        var later = Batch.AddDays(150);
        var options = new ScreeningOptions { ReminderDays = 1, MaxReminders = ScreeningOptions.MaxMaxReminders }; // reminders without end: many ledger changes
        using var archive = new TempFolder();
        Cohort.Lcnec(Batch, [0]).WriteTo(archive.Path);
        new BatchBuilder(later).Patient("QZ899999", "M", "1980-01-01", "never").WriteTo(archive.Path);
        var cli = LocalRun.Screen(archive.Path, later, options);
        Assert.True(cli.AlertEvents.Count > TableBatchState.MaxSaveActions, $"{cli.AlertEvents.Count} events"); // the walk of the later batch alone
        using var bus = new LoopbackServiceBus([Queue]);
        await using var harness = new LabExportHarness(azurite, bus.ConnectionString(),
            configure: services => services.PostConfigure<ScreeningOptions>(o => (o.ReminderDays, o.MaxReminders) = (options.ReminderDays, options.MaxReminders)));
        var patient = harness.Pseudonym.Of(Cohort.Mrn(0));
        var saves = harness.Faults.When(r => Cohort.IsLedgerSave(r, harness.AlertLedger.Name, patient)).Times(0);
        var names = await harness.UploadAsync(archive.Path);

        await harness.DeliverAllAsync(names.Where(n => n.StartsWith("2026-10-03/", StringComparison.Ordinal)));
        var first = await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, harness.Token);
        Assert.Equal(1, saves.Seen);
        await harness.DeliverAllAsync(names.Where(n => !n.StartsWith("2026-10-03/", StringComparison.Ordinal)));
        var catchUp = await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, harness.Token);

        Assert.InRange(saves.Seen - 1, 4, 8); // 150 reminders, ~48 a transaction
        List<ServiceBusReceivedMessage> received = [.. first, .. catchUp];
        Assert.Equal(AlertMessages.Expected(cli), AlertMessages.Of(received));
        Assert.Equal(cli.AlertEvents.Select(e => e.MessageId), received.OrderBy(m => m.SequenceNumber).Select(m => m.MessageId));
        var ledger = await harness.State.AlertsAsync(patient, harness.Token);
        Assert.Equal(later, ledger.ScreenedThrough);
        Assert.Empty(await harness.State.FailuresAsync(harness.Token));
        Assert.Contains(harness.Logs.Lines, l => l.Contains($"Saved patient {patient} through", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryPatientsReadAnswered503_TheRunStopsAfterThreeWithoutRecordingTheRest_AndTheNextRunSendsAll()
    {
        using var archive = new TempFolder();
        Cohort.Lcnec(Batch, Enumerable.Range(0, 30)).WriteTo(archive.Path);
        var expected = AlertMessages.Expected(LocalRun.Screen(archive.Path, Batch, new ScreeningOptions()));
        await using var harness = new LabExportHarness(azurite);
        var names = await harness.UploadAsync(archive.Path);
        await harness.DeliverAllAsync(names.Where(n => n != Manifest));
        var events = $"timelineevents{harness.Storage}";
        harness.Faults.When(r => r.Method == RequestMethod.Get && r.Uri.Path.Contains(events, StringComparison.Ordinal)).Fail(503);

        var failure = await Assert.ThrowsAnyAsync<RequestFailedException>(() => harness.DeliverAsync(Manifest));

        Assert.Equal(503, failure.Status);
        Assert.InRange((await harness.State.FailuresAsync(harness.Token)).Count, 0, 3 + 4); // the first three and those in flight, not thirty
        Assert.Contains(harness.Logs.Lines, l => l.Contains("all failed with storage errors", StringComparison.Ordinal));
        Assert.Empty(harness.Sink.Sent);
        Assert.Single(await harness.State.PendingBatchesAsync(harness.Token));

        harness.Faults.Clear();
        await harness.SweepAsync();

        Assert.Equal(expected, AlertMessages.Of(harness.Sink.Sent));
        Assert.Empty(await harness.State.FailuresAsync(harness.Token));
    }

    [Fact]
    public async Task HostStopsWhilePatientsAreScreened_TheRunStops_AndNoPatientIsRecordedAsFailed()
    {
        using var archive = new TempFolder();
        Cohort.Lcnec(Batch, Enumerable.Range(0, 10)).WriteTo(archive.Path);
        await using var harness = new LabExportHarness(azurite);
        var names = await harness.UploadAsync(archive.Path);
        await harness.DeliverAllAsync(names.Where(n => n != Manifest));
        using var stopping = new CancellationTokenSource();
        var events = $"timelineevents{harness.Storage}";
        harness.Faults.When(r => r.Method == RequestMethod.Get && r.Uri.Path.Contains(events, StringComparison.Ordinal)).After(2).Times(1)
            .Before(_ => stopping.CancelAsync());

        await using (var manifest = await harness.Exports.GetBlobClient(Manifest).OpenReadAsync(cancellationToken: harness.Token))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Function.Run(manifest, Manifest, stopping.Token));
        }

        Assert.Empty(await harness.State.FailuresAsync(harness.Token));
        Assert.Single(await harness.State.PendingBatchesAsync(harness.Token));
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Contains("failed (", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(8, false)]
    public async Task CrashAfterTheBrokerTookTheBatch_BeforeItWasMarkedSent_TheNextNightsResendIsDroppedAsDuplicatesInsideTheWindow(int nextNightAfterDays, bool dropped)
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        var expected = AlertMessages.Expected(LocalRun.Screen(archive.Path, Batch, new ScreeningOptions()));
        var clock = new ManualClock(new DateTimeOffset(2026, 10, 3, 23, 0, 0, TimeSpan.Zero));
        using var bus = new LoopbackServiceBus([Queue], duplicateDetection: LoopbackServiceBus.DeploymentDuplicateWindow, time: clock);
        await using var harness = new LabExportHarness(azurite, bus.ConnectionString());
        var names = await harness.UploadAsync(archive.Path);
        bus.DropLinkAfterNextSends(2); // the client's try and its one retry (the harness allows one)

        var failure = await Record.ExceptionAsync(() => harness.DeliverAllAsync(names));

        Assert.NotNull(failure);
        Assert.Equal(2, bus.Sends);
        Assert.Equal(expected.Count, bus.DuplicatesDropped); // the retry carried the same ids
        var (_, unsent) = await harness.AlertLedgerAsync();
        Assert.Equal(expected.Count, unsent.Count); // nothing marked sent
        Assert.Single(await harness.State.PendingBatchesAsync(harness.Token));

        clock.Advance(TimeSpan.FromDays(nextNightAfterDays));
        await harness.SweepAsync();

        var received = await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, harness.Token);
        Assert.Empty((await harness.AlertLedgerAsync()).Unsent);
        Assert.Empty(await harness.State.PendingBatchesAsync(harness.Token));
        if (dropped)
        {
            Assert.Equal(expected, AlertMessages.Of(received)); // each message id once at the broker
            Assert.Equal(2 * expected.Count, bus.DuplicatesDropped); // every re-sent message dropped
        }
        else
        {
            Assert.Equal(expected.SelectMany(m => new[] { m, m }), AlertMessages.Of(received));
            Assert.Equal(expected.Count, bus.DuplicatesDropped); // outside the window the re-send is kept: twice at the broker
        }
    }

    private static async Task<List<TableEntity>> RowsAsync(TableClient table, string partition, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }
        return rows;
    }
}
