using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Storage.Queues;
using LcnecBatch.Azure.Tests.TestData;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using Microsoft.Extensions.DependencyInjection;

namespace LcnecBatch.Azure.Tests;

/// <summary>
/// The sweep does not trust delivery: blobs the trigger gave up on (poison queue), deliveries Event Grid gave up on
/// (dead letters) and deliveries that never came (listing) are ingested as a delivery would have, with the alerts of
/// the replay; hostile entries are counted and left; a second sweep does nothing more.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReconciliationTests(AzuriteFixture azurite)
{
    private const string Reports = "2026-10-03/pathology_reports.csv";

    [Fact]
    public async Task Sweep_BlobPoisonedAfterFiveFailedDeliveries_IsIngestedWithTheReplaysAlerts_AndItsMessageDeleted()
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        using var broker = new Broker();
        await using var harness = Harness(broker: broker);
        var names = await harness.UploadAsync(archive.Path);
        await harness.DeliverAllAsync(names.Where(n => n != Reports));
        var outage = harness.Faults.When(harness.Faults.Tables(writesOnly: true)).Fail(503);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await Assert.ThrowsAnyAsync<RequestFailedException>(() => harness.DeliverAsync(Reports)); // the host's 5 tries
        }
        Assert.True(outage.Injected >= 5 * 4, string.Join("\n", outage.Calls)); // each try: the first write and the SDK's 3 retries
        harness.Faults.Clear();
        await harness.PoisonAsync(harness.Exports.Name, Reports);
        Assert.DoesNotContain(await harness.State.IngestedAsync(SampleBatches.October3, harness.Token), f => f.Source == Reports);
        Assert.Empty(await broker.ReceivedAsync(harness.Token));

        await harness.SweepAsync();

        Assert.Equal(Report(listed: names.Count, poisonRetried: 1), harness.Reconciliation.LastReport);
        Assert.Contains(await harness.State.IngestedAsync(SampleBatches.October3, harness.Token), f => f.Source == Reports);
        Assert.Equal(ReplayAlerts(archive.Path), await broker.ReceivedAsync(harness.Token)); // at the broker: each id once, as the replay's
        Assert.Empty((await harness.PoisonQueue.PeekMessagesAsync(32, harness.Token)).Value);
        Assert.Single(harness.Logs.Lines, l => l.Contains("Reconciled lab exports:", StringComparison.Ordinal));
        await AssertSecondSweepDoesNothingMoreAsync(harness, names.Count, () => broker.ReceivedAsync(harness.Token));
    }

    [Fact]
    public async Task Sweep_BlobWhoseEventNeverCame_IsFoundByTheListing_AndIngestedWithTheReplaysAlerts()
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        await using var harness = Harness();
        var names = await harness.UploadAsync(archive.Path);
        await harness.DeliverAllAsync(names.Where(n => n != Reports));

        await harness.SweepAsync();

        Assert.Equal(Report(listed: names.Count, reconciled: 1), harness.Reconciliation.LastReport);
        Assert.Equal(ReplayAlerts(archive.Path), AlertMessages.Of(harness.Sink.Sent));
        await AssertSecondSweepDoesNothingMoreAsync(harness, names.Count);
    }

    [Fact]
    public async Task Sweep_NothingEverDelivered_ListsTheDaysUpToToday_AndIngestsTheWholeBatch()
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        await using var harness = Harness(today: SampleBatches.October3.AddDays(7));
        var names = await harness.UploadAsync(archive.Path);

        await harness.SweepAsync();

        Assert.Equal(Report(listed: names.Count, reconciled: names.Count), harness.Reconciliation.LastReport);
        Assert.Equal(ReplayAlerts(archive.Path), AlertMessages.Of(harness.Sink.Sent));
    }

    [Fact]
    public async Task Sweep_BatchOlderThanTheWindow_IsNotListed()
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        await using var harness = Harness(today: SampleBatches.October3.AddDays(8));
        await harness.UploadAsync(archive.Path);

        await harness.SweepAsync();

        Assert.Equal(Report(), harness.Reconciliation.LastReport);
        Assert.Empty(harness.Sink.Sent);
    }

    [Fact]
    public async Task Sweep_DeadLetteredEventGridDelivery_IsIngestedWithTheReplaysAlerts_AndTheDeadLetterDeleted()
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        using var broker = new Broker();
        await using var harness = Harness(broker: broker);
        var names = await harness.UploadAsync(archive.Path);
        await harness.DeliverAllAsync(names.Where(n => n != Reports));
        await WriteDeadLetterAsync(harness, "0001", DeadLetterJson(Subject(harness.Exports.Name, Reports)));

        await harness.SweepAsync();

        Assert.Equal(Report(listed: names.Count, deadLettersDrained: 1), harness.Reconciliation.LastReport);
        Assert.Equal(ReplayAlerts(archive.Path), await broker.ReceivedAsync(harness.Token)); // at the broker: each id once, as the replay's
        Assert.Empty(await DeadLetterNamesAsync(harness));
        await AssertSecondSweepDoesNothingMoreAsync(harness, names.Count, () => broker.ReceivedAsync(harness.Token));
    }

    [Fact]
    public async Task Sweep_BlobRewrittenWithTheSameBytes_IsReadOnceMore_ThenKnownByItsNewETag()
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        await using var harness = Harness();
        var names = await harness.UploadAsync(archive.Path);
        await harness.DeliverAllAsync(names);
        await harness.SweepAsync();
        Assert.Equal(Report(listed: names.Count), harness.Reconciliation.LastReport);
        var sent = AlertMessages.Of(harness.Sink.Sent);
        await harness.Exports.GetBlobClient(Reports).UploadAsync(new BinaryData(await harness.DownloadAsync(harness.Exports, Reports)), overwrite: true, harness.Token);

        await harness.SweepAsync();
        var reread = harness.Reconciliation.LastReport;
        await harness.SweepAsync();

        Assert.Equal(Report(listed: names.Count, reread: 1), reread);
        Assert.Equal(Report(listed: names.Count), harness.Reconciliation.LastReport);
        Assert.Equal(sent, AlertMessages.Of(harness.Sink.Sent));
    }

    [Fact]
    public async Task Sweep_BlobRewrittenWithOtherBytes_WhoseEventNeverCame_IsIngestedAgain()
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        await using var harness = Harness();
        var names = await harness.UploadAsync(archive.Path);
        await harness.DeliverAllAsync(names);
        var patients = "2026-10-03/patients.csv";
        var rowsBefore = (await harness.State.IngestedAsync(SampleBatches.October3, harness.Token)).Single(f => f.Source == patients).RowsRead;
        var bytes = await harness.DownloadAsync(harness.Exports, patients);
        await harness.Exports.GetBlobClient(patients).UploadAsync(new BinaryData([.. bytes, .. "QX719999,F,1971-01-01,never,thoracic-onc-tj\n"u8]), overwrite: true, harness.Token);

        await harness.SweepAsync();

        Assert.Equal(Report(listed: names.Count, reconciled: 1), harness.Reconciliation.LastReport);
        Assert.Equal(rowsBefore + 1, (await harness.State.IngestedAsync(SampleBatches.October3, harness.Token)).Single(f => f.Source == patients).RowsRead);
    }

    [Fact]
    public async Task Sweep_HostileEntries_AreCountedAndLeft_NeverOpenedNorCrashing_AndCountedAgainNextTime()
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        await using var harness = Harness();
        var names = await harness.UploadAsync(archive.Path);
        await harness.DeliverAllAsync(names);
        await harness.Exports.GetBlobClient("secret.csv").UploadAsync(new BinaryData("mrn\nQX710001\n"u8.ToArray()), harness.Token);
        var ours = harness.Exports.Name;
        await harness.PoisonAsync("another-container", "2026-10-03/patients.csv");
        await harness.PoisonAsync(ours, "secret.csv");
        await harness.PoisonAsync(ours, "2026-10-03/../secret.csv");
        await harness.PoisonQueue.SendMessageAsync("""{"ContainerName": 5, "BlobName": []}""", harness.Token); // base64 of JSON that is not a message
        var plain = new QueueClient(azurite.ConnectionString, harness.PoisonQueue.Name);
        await plain.SendMessageAsync("{ not json at all", harness.Token); // neither JSON nor base64
        await WriteDeadLetterAsync(harness, "0001", "\u0001\u00ff garbage ]]"u8.ToArray());
        await WriteDeadLetterAsync(harness, "0002", DeadLetterJson(Subject(ours, "2026-10-03/../secret.csv")));
        await WriteDeadLetterAsync(harness, "0003", DeadLetterJson(Subject("another-container", "2026-10-03/patients.csv")));
        await WriteDeadLetterAsync(harness, "0004", DeadLetterJson(Subject(ours, "2026-10-03/patients.csv"), eventType: "Microsoft.Storage.BlobDeleted"));
        var secret = harness.Faults.When(r => harness.Faults.Blobs()(r) && r.Uri.Path.Contains("secret", StringComparison.Ordinal));
        var sent = AlertMessages.Of(harness.Sink.Sent);
        var expected = Report(listed: names.Count, poisonLeft: 5, deadLettersLeft: 4, refused: 3);

        await harness.SweepAsync();
        var first = harness.Reconciliation.LastReport;
        await harness.SweepAsync();

        Assert.Equal(expected, first);
        Assert.Equal(expected, harness.Reconciliation.LastReport);
        Assert.Equal(0, secret.Seen);
        Assert.Equal(5, (await plain.PeekMessagesAsync(32, harness.Token)).Value.Length); // visible again
        Assert.Equal(4, (await DeadLetterNamesAsync(harness)).Count);
        Assert.Equal(sent, AlertMessages.Of(harness.Sink.Sent));
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Contains("QX7100", StringComparison.Ordinal) || l.Contains("not json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sweep_OneBlobFailingDuringTheSweep_IsCountedAndLeft_TheOthersAreIngested_AndTheNextSweepTakesIt()
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        await using var harness = Harness();
        var names = await harness.UploadAsync(archive.Path);
        var manifest = "2026-10-03/manifest.json";
        await harness.DeliverAllAsync(names.Where(n => n != Reports && n != manifest));
        await harness.PoisonAsync(harness.Exports.Name, manifest);
        var outage = harness.Faults.When(r => harness.Faults.Blobs()(r) && r.Method == RequestMethod.Get && r.Uri.Path.EndsWith("/manifest.json", StringComparison.Ordinal)).Fail(503);

        await harness.SweepAsync();
        var failing = harness.Reconciliation.LastReport;
        var ledger = await harness.State.IngestedAsync(SampleBatches.October3, harness.Token);
        harness.Faults.Clear();
        await harness.SweepAsync();

        Assert.Equal(Report(listed: names.Count, reconciled: 1, poisonLeft: 1, failures: 2), failing); // the manifest failed in the poison retry and in the listing
        Assert.Contains(harness.Logs.Lines, l => l.Contains($"could not ingest {manifest}: RequestFailedException (status 503)", StringComparison.Ordinal));
        Assert.Equal(names.Count - 1, ledger.Count);
        Assert.True(outage.Injected >= 2 * 4, string.Join("\n", outage.Calls));
        Assert.Equal(Report(listed: names.Count, poisonRetried: 1), harness.Reconciliation.LastReport);
        Assert.Equal(names.Count, (await harness.State.IngestedAsync(SampleBatches.October3, harness.Token)).Count);
        Assert.Equal(ReplayAlerts(archive.Path), AlertMessages.Of(harness.Sink.Sent)); // a batch without its manifest is screened by the sweep
    }

    private LabExportHarness Harness(DateOnly? today = null, Broker? broker = null) =>
        new(azurite, broker?.Bus.ConnectionString(), configure: services => services.AddSingleton<TimeProvider>(FixedClock.On(today ?? SampleBatches.October3.AddDays(1))));

    /// <summary>A loopback Service Bus with the deployment's duplicate detection, and everything it has delivered so far.</summary>
    private sealed class Broker : IDisposable
    {
        private readonly List<global::Azure.Messaging.ServiceBus.ServiceBusReceivedMessage> _received = [];

        public LoopbackServiceBus Bus { get; } = new([LabExportHarness.Queue], duplicateDetection: LoopbackServiceBus.DeploymentDuplicateWindow);

        /// <summary>Every message the broker holds or held, as id and body, sorted (drains what is new).</summary>
        public async Task<List<string>> ReceivedAsync(CancellationToken cancellationToken)
        {
            _received.AddRange(await AlertMessages.DrainAsync(Bus.ConnectionString(), LabExportHarness.Queue, cancellationToken));
            return AlertMessages.Of(_received);
        }

        public void Dispose() => Bus.Dispose();
    }

    private static ReconciliationReport Report(
        int listed = 0, int reconciled = 0, int reread = 0, int poisonRetried = 0, int poisonLeft = 0, int deadLettersDrained = 0, int deadLettersLeft = 0,
        int refused = 0, int failures = 0) =>
        new(listed, reconciled, reread, poisonRetried, poisonLeft, deadLettersDrained, deadLettersLeft, refused, failures);

    private static List<string> ReplayAlerts(string archive) =>
        AlertMessages.Expected(LocalRun.Screen(archive, SampleBatches.October3, new ScreeningOptions()));

    /// <summary>Same broker messages, nothing read again, nothing left anywhere.</summary>
    private static async Task AssertSecondSweepDoesNothingMoreAsync(LabExportHarness harness, int listed, Func<Task<List<string>>>? received = null)
    {
        received ??= () => Task.FromResult(AlertMessages.Of(harness.Sink.Sent));
        var sent = await received();
        var reads = harness.Logs.Lines.Count(l => l.Contains("Skipped ", StringComparison.Ordinal) || l.Contains("] Ingested ", StringComparison.Ordinal));

        await harness.SweepAsync();

        Assert.Equal(Report(listed: listed), harness.Reconciliation.LastReport);
        Assert.Equal(sent, await received());
        Assert.Equal(reads, harness.Logs.Lines.Count(l => l.Contains("Skipped ", StringComparison.Ordinal) || l.Contains("] Ingested ", StringComparison.Ordinal)));
    }

    private static string Subject(string container, string blobName) => $"/blobServices/default/containers/{container}/blobs/{blobName}";

    /// <summary>One dead-lettered delivery as Event Grid writes it: an array of Event Grid schema events with the dead-letter fields.</summary>
    private static byte[] DeadLetterJson(string subject, string eventType = "Microsoft.Storage.BlobCreated") =>
        JsonSerializer.SerializeToUtf8Bytes(new[]
        {
            new Dictionary<string, object>
            {
                ["id"] = "6d1a6d55-801e-0058-2b3e-6f5b8e06b000",
                ["topic"] = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-lcnec/providers/Microsoft.Storage/storageAccounts/stlcnec",
                ["subject"] = subject,
                ["eventType"] = eventType,
                ["eventTime"] = "2026-10-03T01:12:40.1234567Z",
                ["data"] = new Dictionary<string, object>
                {
                    ["api"] = "PutBlob",
                    ["contentType"] = "text/csv",
                    ["contentLength"] = 1024,
                    ["blobType"] = "BlockBlob",
                    ["url"] = "https://stlcnec.blob.core.windows.net" + subject[("/blobServices/default/containers".Length)..].Replace("/blobs/", "/", StringComparison.Ordinal),
                },
                ["dataVersion"] = "",
                ["metadataVersion"] = "1",
                ["deadLetterReason"] = "MaxDeliveryAttemptsExceeded",
                ["deliveryAttempts"] = 30,
                ["lastDeliveryOutcome"] = "Probation",
                ["publishTime"] = "2026-10-03T01:12:40.2000000Z",
                ["lastDeliveryAttemptTime"] = "2026-10-04T01:12:41.0000000Z",
                ["lastHttpStatusCode"] = 503,
            },
        });

    /// <summary>Where Event Grid puts it: {SUBSCRIPTION NAME IN CAPITALS}/{yyyy}/{M}/{d}/{H}/{guid}.json.</summary>
    private static async Task WriteDeadLetterAsync(LabExportHarness harness, string id, byte[] content)
    {
        await harness.DeadLetters.CreateIfNotExistsAsync(cancellationToken: harness.Token);
        await harness.DeadLetters.GetBlobClient($"INGEST-LAB-EXPORTS/2026/10/4/1/00000000-0000-0000-0000-00000000{id}.json")
            .UploadAsync(new BinaryData(content), harness.Token);
    }

    private static async Task<List<string>> DeadLetterNamesAsync(LabExportHarness harness)
    {
        var names = new List<string>();
        await foreach (var blob in harness.DeadLetters.GetBlobsAsync(cancellationToken: harness.Token))
        {
            names.Add(blob.Name);
        }
        return names;
    }
}
