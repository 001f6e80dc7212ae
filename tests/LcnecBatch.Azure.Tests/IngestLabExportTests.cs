using System.Globalization;
using System.Text;
using System.Text.Json;
using LcnecBatch.Azure.Tests.TestData;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Synthetic;
using Microsoft.Extensions.DependencyInjection;

namespace LcnecBatch.Azure.Tests;

/// <summary>
/// The blob trigger's function against a real Azurite (Table Storage state, alerts to memory): every file of a
/// batch delivered one by one must end where the command line's replay of the same folder ends (same counts, the
/// same alert events, byte for byte).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class IngestLabExportTests(AzuriteFixture azurite)
{
    private static readonly DateOnly October3 = SampleBatches.October3;
    private static readonly DateOnly October20 = SampleBatches.October20;

    [Fact]
    public async Task Run_WholeBatchManifestLast_IngestsLikeTheCommandLine_AndSendsItsAlertsOnceAfterTheLastFile()
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        await using var harness = new LabExportHarness(azurite);
        var names = await harness.UploadAsync(archive.Path);

        await DeliverCheckingNothingIsSentEarlyAsync(harness, [.. names.Where(n => !IsManifest(n)), .. names.Where(IsManifest)]);

        var cli = LocalRun.Screen(archive.Path, October3, new ScreeningOptions());
        Assert.Equal(Describe(cli.Files), Describe(await harness.State.IngestedAsync(October3, harness.Token)));
        Assert.Equal(1, cli.RowsRejected);
        Assert.Equal(AlertMessages.Expected(cli), AlertMessages.Of(harness.Sink.Sent));
        Assert.All(harness.Sink.Sent, m => Assert.Equal(October3, m.BatchDate));
        Assert.Equal(["ALK_TEST_MISSING", "ALK_IHC_UNCONFIRMED", "ALK_FUSION_ACTIONABLE"], harness.Sink.Sent.Select(m => m.Event.Alert.RuleId));
        Assert.Empty(await harness.State.PendingBatchesAsync(harness.Token));
    }

    [Fact]
    public async Task Run_ManifestFirst_ScreensWhenTheLastListedFileArrives()
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        await using var harness = new LabExportHarness(azurite);
        var names = await harness.UploadAsync(archive.Path);

        await DeliverCheckingNothingIsSentEarlyAsync(harness, [.. names.Where(IsManifest), .. names.Where(n => !IsManifest(n)).Reverse()]);

        var cli = LocalRun.Screen(archive.Path, October3, new ScreeningOptions());
        Assert.Equal(Describe(cli.Files), Describe(await harness.State.IngestedAsync(October3, harness.Token)));
        Assert.Equal(AlertMessages.Expected(cli), AlertMessages.Of(harness.Sink.Sent));
    }

    [Fact]
    public async Task Run_TwoBatches_RaisesAndResolvesAsTheCommandLineReplay_EachEventOnce()
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        SampleBatches.Second().WriteTo(archive.Path);
        await using var harness = new LabExportHarness(azurite);

        await harness.DeliverAllAsync(await harness.UploadAsync(archive.Path));

        var cli = LocalRun.Screen(archive.Path, October20, new ScreeningOptions());
        Assert.Equal(AlertMessages.Expected(cli), AlertMessages.Of(harness.Sink.Sent));
        Assert.Contains(harness.Sink.Sent, m => m.MessageId.EndsWith(":resolved", StringComparison.Ordinal) && m.BatchDate == October20);
        Assert.Contains(harness.Sink.Sent, m => m.Event.Alert.RuleId == "ALK_IHC_DISCORDANT" && m.BatchDate == October20);
        Assert.Equal(harness.Sink.Sent.Count, harness.Sink.Sent.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task Run_GeneratedArchive_CompleteBatchesScreenOnArrival_TheSweepTheRest_AllAsTheCommandLineReplay()
    {
        using var archive = new TempFolder();
        // 300 patients: every LCNEC scenario, raw files with ALK breakends and a resistance mutation among them.
        ArchiveGenerator.Generate(new GeneratorOptions { ResponseRate = 0, Patients = 300, Days = 20, Seed = 11 }, archive.Path);
        await using var harness = new LabExportHarness(azurite);

        // In upload (path) order, a batch's manifest arrives between its files, as the host may see them.
        await harness.DeliverAllAsync(await harness.UploadAsync(archive.Path));

        var cli = LocalRun.Screen(archive.Path, null, new ScreeningOptions());
        var ingested = new List<FileIngestion>();
        foreach (var batch in cli.Batches)
        {
            ingested.AddRange(await harness.State.IngestedAsync(batch, harness.Token));
        }
        Assert.Equal(Describe(cli.Files), Describe(ingested));
        var incomplete = cli.Batches
            .Where(d => !cli.Files.Any(f => f is { Kind: BatchFileKind.Manifest, Failure: null } && f.Source.StartsWith(Day(d), StringComparison.Ordinal))
                || cli.MissingFromManifest.Any(m => m.StartsWith(Day(d), StringComparison.Ordinal)))
            .ToList();
        Assert.Equal(incomplete, (await harness.State.PendingBatchesAsync(harness.Token)).Select(b => b.Date));
        Assert.Contains(harness.Sink.Sent, m => m.BatchDate < cli.AsOf);

        await harness.SweepAsync();

        Assert.Equal(AlertMessages.Expected(cli), AlertMessages.Of(harness.Sink.Sent));
        Assert.Empty(await harness.State.PendingBatchesAsync(harness.Token));
        foreach (var rule in new[] { "ALK_FUSION_UNREPORTED", "ALK_RESISTANCE_MUTATION" })
        {
            Assert.Contains(harness.Sink.Sent, m => m.Event.Alert.RuleId == rule);
        }
        Assert.Contains(harness.Sink.Sent, m => m.Event.Alert.RuleId == "ALK_FUSION_UNREPORTED" && m.Event.Kind == AlertEventKind.Resolved);
    }

    public static TheoryData<string, string> CorruptIhcFiles => new()
    {
        { "header without mrn", "accession,result_date,marker,clone,result\nS26-00021,2026-09-10,ALK,D5F3,positive\n" },
        { "unterminated quote", $"accession,mrn,result_date,marker,clone,result,comment\nS26-00021,{SampleBatches.Mrns[1]},2026-09-10,ALK,D5F3,positive,ok\nS26-00011,{SampleBatches.Mrns[0]},2026-09-11,ALK,D5F3,negative,\"Large cell neuroendocrine\n" },
    };

    [Theory]
    [MemberData(nameof(CorruptIhcFiles))]
    public async Task Run_CorruptFile_IsQuarantinedWithSidecar_RecordedNotRetried_OriginalUntouched_RestOfBatchProcessed(string why, string content)
    {
        const string Corrupt = "2026-10-03/ihc_results.csv";
        using var archive = new TempFolder();
        var bytes = Encoding.UTF8.GetBytes(content);
        SampleBatches.First().File("ihc_results.csv", bytes).WriteTo(archive.Path);
        await using var harness = new LabExportHarness(azurite);
        var names = await harness.UploadAsync(archive.Path);
        var uploaded = (await harness.Exports.GetBlobClient(Corrupt).GetPropertiesAsync(cancellationToken: harness.Token)).Value.ETag;

        await harness.DeliverAllAsync(names);

        Assert.Equal(bytes, await harness.DownloadAsync(harness.Quarantine, Corrupt));
        var sidecarText = Encoding.UTF8.GetString(await harness.DownloadAsync(harness.Quarantine, $"{Corrupt}.error.json"));
        using (var sidecar = JsonDocument.Parse(sidecarText))
        {
            Assert.Equal(Corrupt, sidecar.RootElement.GetProperty("file").GetString());
            Assert.True(sidecar.RootElement.GetProperty("line").GetInt32() > 0, why);
            Assert.False(string.IsNullOrWhiteSpace(sidecar.RootElement.GetProperty("reason").GetString()));
        }
        Assert.All(SampleBatches.Mrns, mrn => Assert.DoesNotContain(mrn, sidecarText, StringComparison.Ordinal));
        Assert.DoesNotContain("neuroendocrine", sidecarText, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(bytes, await harness.DownloadAsync(harness.Exports, Corrupt));
        Assert.Equal(uploaded, (await harness.Exports.GetBlobClient(Corrupt).GetPropertiesAsync(cancellationToken: harness.Token)).Value.ETag);
        Assert.Equal(2, (await harness.Quarantine.GetBlobsAsync(cancellationToken: harness.Token).ToListAsync()).Count);

        var cli = LocalRun.Screen(archive.Path, October3, new ScreeningOptions());
        var ledger = await harness.State.IngestedAsync(October3, harness.Token);
        Assert.Equal(Describe(cli.Files), Describe(ledger));
        Assert.True(Assert.Single(ledger, f => f.Source == Corrupt).Quarantined);
        Assert.Single(cli.Quarantined);
        Assert.Equal(AlertMessages.Expected(cli), AlertMessages.Of(harness.Sink.Sent));
        Assert.Contains(harness.Sink.Sent, m => m.Event.Alert.RuleId == "ALK_FUSION_ACTIONABLE");

        // The host retries the bad blob (or it is delivered again): recorded as quarantined, it is not copied again.
        var quarantined = (await harness.Quarantine.GetBlobClient(Corrupt).GetPropertiesAsync(cancellationToken: harness.Token)).Value.ETag;
        await harness.DeliverAsync(Corrupt);
        Assert.Equal(quarantined, (await harness.Quarantine.GetBlobClient(Corrupt).GetPropertiesAsync(cancellationToken: harness.Token)).Value.ETag);
    }

    [Fact]
    public async Task Run_SameBlobDeliveredTwice_SecondDeliveryChangesNothing()
    {
        using var archive = new TempFolder();
        SampleBatches.First().File("molecular_results.csv", Encoding.UTF8.GetBytes("mrn\n")).WriteTo(archive.Path);
        await using var harness = new LabExportHarness(azurite);
        var names = await harness.UploadAsync(archive.Path);
        await harness.DeliverAllAsync(names);
        var ledger = Describe(await harness.State.IngestedAsync(October3, harness.Token));
        var sent = AlertMessages.Of(harness.Sink.Sent);
        var quarantined = (await harness.Quarantine.GetBlobClient("2026-10-03/molecular_results.csv").GetPropertiesAsync(cancellationToken: harness.Token)).Value.ETag;

        await harness.DeliverAllAsync(names);

        Assert.Equal(sent, AlertMessages.Of(harness.Sink.Sent));
        Assert.Equal(ledger, Describe(await harness.State.IngestedAsync(October3, harness.Token)));
        Assert.Equal(quarantined, (await harness.Quarantine.GetBlobClient("2026-10-03/molecular_results.csv").GetPropertiesAsync(cancellationToken: harness.Token)).Value.ETag);
    }

    [Fact]
    public async Task Run_SendFails_TheNextDeliveryOfTheBatchSendsEachAlertOnce()
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        var sink = new FlakyAlertSink();
        await using var harness = new LabExportHarness(azurite, configure: services => services.AddSingleton<IAlertSink>(sink));
        var names = await harness.UploadAsync(archive.Path);
        await harness.DeliverAllAsync(names.Where(n => !IsManifest(n)));

        await Assert.ThrowsAsync<IOException>(() => harness.DeliverAsync("2026-10-03/manifest.json"));
        Assert.NotEmpty((await harness.AlertLedgerAsync()).Unsent);
        await harness.DeliverAsync("2026-10-03/manifest.json");
        await harness.DeliverAsync("2026-10-03/manifest.json");

        Assert.Equal(2, sink.Calls);
        Assert.Equal(AlertMessages.Expected(LocalRun.Screen(archive.Path, October3, new ScreeningOptions())), AlertMessages.Of(sink.Delivered));
        Assert.Empty((await harness.AlertLedgerAsync()).Unsent);
    }

    [Theory]
    [InlineData("readme.txt")]
    [InlineData("2026-10-03")]
    [InlineData("2026-13-03/patients.csv")]
    [InlineData("/2026-10-03/patients.csv")]
    [InlineData("2026-10-03/../2026-10-04/patients.csv")]
    [InlineData("2026-10-03//patients.csv")]
    [InlineData("2026-10-03/./patients.csv")]
    [InlineData("2026-10-03/ patients.csv")]
    public async Task IngestAsync_NameOutsideABatchOrLeavingIt_IsNotAnInputAndNotOpened(string blobName)
    {
        await using var harness = new LabExportHarness(azurite);
        using var content = new MemoryStream(Encoding.UTF8.GetBytes($"mrn,sex\n{SampleBatches.Mrns[0]},F\n"));

        var ingestion = await harness.Ingestion.IngestAsync(blobName, content, harness.Token);

        Assert.Equal(BatchFileKind.NotAnInput, ingestion.Kind);
        Assert.Equal(0, content.Position);
        Assert.Empty(await harness.State.IngestedAsync(October3, harness.Token));
        Assert.Empty(harness.Sink.Sent);
    }

    private static async Task DeliverCheckingNothingIsSentEarlyAsync(LabExportHarness harness, IReadOnlyList<string> order)
    {
        foreach (var name in order)
        {
            Assert.Empty(harness.Sink.Sent);
            await harness.DeliverAsync(name);
        }
    }

    private static bool IsManifest(string name) => name.EndsWith("/manifest.json", StringComparison.Ordinal);

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd/", CultureInfo.InvariantCulture);

    private static List<string> Describe(IEnumerable<FileIngestion> files) =>
    [
        .. files.OrderBy(f => f.Source, StringComparer.Ordinal).Select(f =>
            $"{f.Source} {f.Kind}: read {f.RowsRead}, accepted {f.RowsAccepted}, rejected {f.RowsRejected} [{string.Join("; ", f.Rejections)}]"
            + $" failure: {f.Failure}; manifest: {(f.Manifest is null ? "-" : string.Join(",", f.Manifest.Files))}"),
    ];

    /// <summary>A sink whose first hand-over fails, as a Service Bus outage would.</summary>
    private sealed class FlakyAlertSink : IAlertSink
    {
        public int Calls { get; private set; }

        public List<AlertMessage> Delivered { get; } = [];

        public async Task SendAsync(IReadOnlyList<AlertMessage> messages, Func<IReadOnlyList<AlertMessage>, CancellationToken, Task> sent, CancellationToken cancellationToken)
        {
            if (++Calls == 1)
            {
                throw new IOException("the alert transport is down");
            }
            Delivered.AddRange(messages);
            await sent(messages, cancellationToken);
        }
    }
}
