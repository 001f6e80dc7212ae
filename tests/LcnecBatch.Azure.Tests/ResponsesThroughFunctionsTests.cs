using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using LcnecBatch.Azure.Tests.TestData;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;

namespace LcnecBatch.Azure.Tests;

/// <summary>
/// Issue 17 through the Functions app: care-team response blobs (<c>responses/{date}/*.jsonl</c> of the lab-exports
/// container) are read like the command line reads them, kept apart from the batches, and take effect on the next
/// walk of their patients, so the broker gets the events a replay of the same archive makes, id for id.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ResponsesThroughFunctionsTests(AzuriteFixture azurite)
{
    private const string Queue = LabExportHarness.Queue;
    private const string Rule = "ALK_TEST_MISSING";
    private const string Lcnec = "Lung, right upper lobe, core biopsy:\n- Large cell neuroendocrine carcinoma.";
    private static readonly DateOnly Day0 = new(2027, 1, 4);

    private static DateOnly Day(int n) => Day0.AddDays(n);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static JsonElement Body(ServiceBusReceivedMessage message) => JsonDocument.Parse(message.Body.ToMemory()).RootElement;

    private static async Task<List<ServiceBusReceivedMessage>> ReceivedAsync(LoopbackServiceBus bus, CancellationToken cancellationToken) =>
        [.. (await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, cancellationToken)).OrderBy(m => m.SequenceNumber)];

    /// <summary>Writes <c>responses/{recordedOn}/inbox.jsonl</c> under the archive root: one not-a-candidate (hospice) answer; returns its blob name.</summary>
    private static string WriteHospiceResponse(string archiveRoot, DateOnly recordedOn, string mrn, string alertId)
    {
        var name = $"responses/{Iso(recordedOn)}/inbox.jsonl";
        var path = Path.Combine(archiveRoot, name.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"{{\"responseId\":\"r-{mrn}\",\"mrn\":\"{mrn}\",\"alertId\":\"{alertId}\",\"respondedOn\":\"{Iso(recordedOn)}\",\"kind\":\"notCandidate\",\"reason\":\"hospice\",\"by\":\"oncologist\",\"channel\":\"inbox\"}}\n");
        return name;
    }

    /// <summary>Two never-smokers with untested advanced LCNEC (high severity: reminders every 30 days, at most 3) in one archive.</summary>
    private static (string Reminded, string Answered) TwoUntestedPatients(string archiveRoot)
    {
        new BatchBuilder(Day(0))
            .Patient("QX730001", "F", "1961-05-01", "never").Report("S27-00301", "QX730001", Day(0), Lcnec)
            .Patient("QX730002", "M", "1955-03-02", "never").Report("S27-00302", "QX730002", Day(0), Lcnec)
            .WriteTo(archiveRoot);
        new BatchBuilder(Day(30)).Patient("QX730099", "M", "1980-01-01", "never").WriteTo(archiveRoot);
        return (Alert.IdentityOf(Rule, "QX730001", "S27-00301"), Alert.IdentityOf(Rule, "QX730002", "S27-00302"));
    }

    private static async Task UploadResponseAsync(LabExportHarness harness, string archiveRoot, string name)
    {
        await using var content = File.OpenRead(Path.Combine(archiveRoot, name.Replace('/', Path.DirectorySeparatorChar)));
        await harness.Exports.GetBlobClient(name).UploadAsync(content, overwrite: true, harness.Token);
    }

    /// <summary>
    /// One patient is never answered: raised, reminded three times, escalated, then silent. The other's care team
    /// answers "not a candidate (hospice)" on day 40 (a blob delivered between batches, twice): the next batch's walk
    /// closes her alert with that reason, and she is reminded no more. The broker holds exactly the replay's events.
    /// </summary>
    [Fact]
    public async Task ResponseBlob_NotCandidateHospice_ClosesAtTheBroker_AndTheUnansweredAlertEscalates_AsTheReplay()
    {
        using var archive = new TempFolder();
        var (reminded, answered) = TwoUntestedPatients(archive.Path);
        new BatchBuilder(Day(160)).Patient("QX730098", "F", "1981-01-01", "current").WriteTo(archive.Path);
        var response = WriteHospiceResponse(archive.Path, Day(40), "QX730002", answered);
        using var bus = new LoopbackServiceBus([Queue]);
        await using var harness = new LabExportHarness(azurite, bus.ConnectionString());
        var names = await harness.UploadAsync(archive.Path);
        await UploadResponseAsync(harness, archive.Path, response);

        await harness.DeliverAllAsync(names.Where(n => string.CompareOrdinal(n, Iso(Day(160))) < 0));
        var raised = await ReceivedAsync(bus, harness.Token);
        var sendsBeforeResponse = bus.Sends;
        await harness.DeliverAsync(response);
        var first = await harness.Ingestion.IngestAsync(response, new MemoryStream(await harness.DownloadAsync(harness.Exports, response)), null, harness.Token);
        var sendsAfterResponse = bus.Sends;
        var pending = await harness.State.PendingBatchesAsync(harness.Token);
        var batchDates = await harness.State.BatchDatesAsync(harness.Token);
        var recorded = await harness.State.RecordedResponsesAsync(Day(40), harness.Token);
        await harness.DeliverAllAsync(names.Where(n => n.StartsWith(Iso(Day(160)), StringComparison.Ordinal)));
        var rest = await ReceivedAsync(bus, harness.Token);

        Assert.Equal([reminded, answered], raised.Select(m => m.MessageId));
        Assert.True(first.AlreadyIngested); // the same bytes again: nothing recorded twice
        Assert.Equal((BatchFileKind.Responses, 1, 1, 0), (first.Ingestion.Kind, first.Ingestion.RowsRead, first.Ingestion.RowsAccepted, first.Ingestion.RowsRejected));
        Assert.Equal(sendsBeforeResponse, sendsAfterResponse); // a response is applied by the next walk, not on arrival
        Assert.Empty(pending); // no batch waits for a response file, and none is made of it
        Assert.Equal([Day(0), Day(30)], batchDates);
        Assert.Equal(["inbox.jsonl"], recorded.Keys);
        Assert.Equal(
            [$"{answered}:closed", $"{reminded}:r1", $"{reminded}:r2", $"{reminded}:r3", $"{reminded}:escalated"],
            rest.Select(m => m.MessageId));
        var closed = Body(rest[0]);
        Assert.Equal(("closed", "hospice", Iso(Day(40))), (closed.GetProperty("event").GetString(), closed.GetProperty("closedReason").GetString(), closed.GetProperty("closedOn").GetString()));
        Assert.Equal(["closed", "reminder", "reminder", "reminder", "escalated"], rest.Select(m => m.ApplicationProperties["event"]));
        var replay = LocalRun.Screen(archive.Path, Day(160), new ScreeningOptions());
        Assert.Equal(replay.AlertEvents.Select(e => e.MessageId).Order(StringComparer.Ordinal), raised.Concat(rest).Select(m => m.MessageId).Order(StringComparer.Ordinal));
        Assert.Equal(AlertMessages.Expected(replay), AlertMessages.Of(raised.Concat(rest)));
        Assert.Equal([(reminded, "open"), (answered, "closed")], (await harness.AlertLedgerAsync()).Records.OrderBy(r => r.Status, StringComparer.Ordinal).Reverse());
        var patientRow = await harness.AlertLedger.GetEntityAsync<TableEntity>(harness.Pseudonym.Of("QX730002"), "$patient", cancellationToken: harness.Token);
        Assert.Equal((0, true), (patientRow.Value.GetInt32("Open"), patientRow.Value.GetBoolean("Watch"))); // still LCNEC: watched, with nothing open
    }

    /// <summary>
    /// A response blob with a bad line is read with its rejection kept in its ledger row (file, line, field, never the
    /// MRN); a file in a day's folder that is not <c>*.jsonl</c> is recorded as not an input; a name in no dated folder
    /// is refused and never opened. None of them makes a batch.
    /// </summary>
    [Fact]
    public async Task ResponseBlobs_BadLineNotJsonlAndUndatedFolder_AreKeptOrRefusedLikeBatchFiles_AndMakeNoBatch()
    {
        await using var harness = new LabExportHarness(azurite);
        await harness.Exports.CreateIfNotExistsAsync(cancellationToken: harness.Token);
        var good = $"{{\"responseId\":\"r-1\",\"mrn\":\"QX739001\",\"alertId\":\"{new string('a', 32)}\",\"respondedOn\":\"{Iso(Day(0))}\",\"kind\":\"acknowledged\"}}";
        var bad = good.Replace("r-1", "r-2", StringComparison.Ordinal).Replace("acknowledged", "maybe", StringComparison.Ordinal);
        var blobs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [$"responses/{Iso(Day(0))}/inbox.jsonl"] = $"{good}\n{bad}\n",
            [$"responses/{Iso(Day(0))}/notes.txt"] = "not a response file",
            ["responses/2027-13-01/inbox.jsonl"] = good,
        };
        var results = new Dictionary<string, IngestedBlob>(StringComparer.Ordinal);
        foreach (var (name, text) in blobs)
        {
            await harness.Exports.GetBlobClient(name).UploadAsync(BinaryData.FromString(text), harness.Token);
            var content = name.Contains("2027-13-01", StringComparison.Ordinal) ? new NeverRead() : (Stream)new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
            results[name] = await harness.Ingestion.IngestAsync(name, content, null, harness.Token);
        }
        var ledger = harness.Tables.GetTableClient(harness.TableNames.Single(t => t.StartsWith("ingestionledger", StringComparison.Ordinal)));
        var rows = await ledger.QueryAsync<TableEntity>(cancellationToken: harness.Token).ToListAsync(harness.Token);

        var read = results[$"responses/{Iso(Day(0))}/inbox.jsonl"].Ingestion;
        Assert.Equal((BatchFileKind.Responses, 2, 1, 0), (read.Kind, read.RowsRead, read.RowsAccepted, read.RowsRead - read.RowsAccepted - read.RowsRejected));
        var rejection = Assert.Single(read.Rejections);
        Assert.Equal((2, "kind"), (rejection.Line, rejection.Column));
        Assert.Equal(BatchFileKind.NotAnInput, results[$"responses/{Iso(Day(0))}/notes.txt"].Ingestion.Kind);
        Assert.Equal(BatchFileKind.NotAnInput, results["responses/2027-13-01/inbox.jsonl"].Ingestion.Kind);
        Assert.Equal(
            [($"$responses|{Iso(Day(0))}", "inbox.jsonl", 1), ($"$responses|{Iso(Day(0))}", "notes.txt", 0)],
            rows.Select(r => (r.PartitionKey, Uri.UnescapeDataString(r.RowKey), r.GetInt32("RowsRejected") ?? -1)).OrderBy(r => r.Item2, StringComparer.Ordinal));
        var kept = System.Text.Encoding.UTF8.GetString(rows.Single(r => r.RowKey == "inbox.jsonl").GetBinary("Ingestion"));
        Assert.Contains("\"kind\"", kept, StringComparison.Ordinal);
        Assert.DoesNotContain("QX739001", kept, StringComparison.Ordinal);
        Assert.DoesNotContain("QX739001", string.Join('\n', harness.Logs.Lines), StringComparison.Ordinal);
        Assert.Empty(await harness.State.BatchDatesAsync(harness.Token));
    }

    /// <summary>A stream that fails the test if anything reads it: a refused name is never opened.</summary>
    private sealed class NeverRead : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("a refused blob was read");

        public override int Read(Span<byte> buffer) => throw new InvalidOperationException("a refused blob was read");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw new InvalidOperationException("a refused blob was read");

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => throw new InvalidOperationException("a refused blob was read");
    }

    /// <summary>
    /// The answer is recorded on day 25 but reaches the container after the batch of day 30 was screened (the ledger is
    /// past its date). The sweep's reconciliation finds the blob in the recent <c>responses/</c> folders, and the sweep's
    /// walk applies it on the first day it walks: the alert is closed, under the id the replay gives it.
    /// </summary>
    [Fact]
    public async Task ResponseForADayTheLedgerPassed_FoundByTheSweep_ClosesOnTheNextDayWalked()
    {
        using var archive = new TempFolder();
        var (reminded, answered) = TwoUntestedPatients(archive.Path);
        var response = WriteHospiceResponse(archive.Path, Day(25), "QX730002", answered);
        using var bus = new LoopbackServiceBus([Queue]);
        await using var harness = new LabExportHarness(azurite, bus.ConnectionString());
        await harness.DeliverAllAsync(await harness.UploadAsync(archive.Path));
        var raised = await ReceivedAsync(bus, harness.Token);
        var before = await harness.State.AlertsAsync(harness.Pseudonym.Of("QX730002"), harness.Token);
        await UploadResponseAsync(harness, archive.Path, response);

        await harness.SweepAsync();
        var swept = await ReceivedAsync(bus, harness.Token);

        Assert.Equal([reminded, answered], raised.Select(m => m.MessageId));
        Assert.Equal(Day(30), before.ScreenedThrough);
        Assert.Equal(1, harness.Reconciliation.LastReport!.Reconciled);
        var closed = Assert.Single(swept);
        Assert.Equal($"{answered}:closed", closed.MessageId);
        Assert.Equal(("closed", "hospice", Iso(Day(30))), (Body(closed).GetProperty("event").GetString(), Body(closed).GetProperty("closedReason").GetString(), Body(closed).GetProperty("closedOn").GetString()));
        // The replay knew the answer on day 25 and closes it then: the same event, id for id (dated when each learned it).
        var replay = LocalRun.Screen(archive.Path, Day(30), new ScreeningOptions());
        Assert.Equal(replay.AlertEvents.Select(e => e.MessageId).Order(StringComparer.Ordinal), raised.Concat(swept).Select(m => m.MessageId).Order(StringComparer.Ordinal));
        Assert.Equal(Day(25), replay.AlertEvents.Single(e => e.MessageId == $"{answered}:closed").On);
    }
}
