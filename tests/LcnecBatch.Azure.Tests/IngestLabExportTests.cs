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
/// The blob trigger's function against a real Azurite: every file of a batch delivered one by one must end
/// where the command line's run over the same folder ends (same counts, same alerts, byte for byte).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class IngestLabExportTests(AzuriteFixture azurite)
{
    private static readonly DateOnly October3 = new(2026, 10, 3);
    private static readonly DateOnly October20 = new(2026, 10, 20);
    private static readonly string[] Mrns = ["100001", "100002", "100003", "100004", "100005"];

    /// <summary>Five patients: untested advanced LCNEC, unconfirmed IHC, actionable fusion, small cell, LCNEC tested by raw NGS.</summary>
    private static BatchBuilder FirstBatch() => new BatchBuilder(October3)
        .Patient("100001", "F", "1968-04-12", "never")
        .Report("S26-00011", "100001", new(2026, 9, 1), "Lung, right upper lobe, core biopsy:\n- Large cell neuroendocrine carcinoma.", "IVB")
        .Patient("100002", "M", "1950-02-20", "current")
        .Report("S26-00021", "100002", new(2026, 9, 5), "Large cell neuroendocrine carcinoma (LCNEC), see comment.", "IIIB")
        .Ihc("S26-00021", "100002", new(2026, 9, 10), "positive")
        .Ihc("S26-00021", "100002", new(2026, 9, 10), "maybe", marker: "CD56", clone: null)
        .Patient("100003", "M", "1955-07-01", "former")
        .Report("S26-00031", "100003", new(2026, 9, 2), "Metastatic large cell neuroendocrine carcinoma.", "IV")
        .Molecular("M26-00031", "100003", new(2026, 9, 15), "detected", "EML4-ALK fusion (E6:A20)")
        .Patient("100004", "F", "1960-01-01", "never")
        .Report("S26-00041", "100004", new(2026, 9, 3), "Small cell carcinoma.", "IV")
        .Patient("100005", "F", "1970-03-03", "never")
        .Report("S26-00050", "100005", new(2026, 9, 4), "Large cell neuroendocrine carcinoma.", "IVA")
        .RawVcf("S26-00050");

    /// <summary>The unconfirmed IHC gets its molecular answer: not detected.</summary>
    private static BatchBuilder SecondBatch() => new BatchBuilder(October20)
        .Molecular("M26-00021", "100002", new(2026, 10, 15), "not_detected");

    [Fact]
    public async Task Run_WholeBatchManifestLast_IngestsLikeTheCommandLine_AndPublishesItsAlertsOnceAfterTheLastFile()
    {
        using var archive = new TempFolder();
        FirstBatch().WriteTo(archive.Path);
        await using var harness = new LabExportHarness(azurite);
        var names = await harness.UploadAsync(archive.Path);

        await DeliverCheckingNothingIsPublishedEarlyAsync(harness, [.. names.Where(n => !IsManifest(n)), .. names.Where(IsManifest)]);

        var cli = LocalRun.Screen(archive.Path, October3, new ScreeningOptions());
        Assert.Equal(Describe(cli.Files), Describe(harness.State.Ingested(October3)));
        Assert.Equal(1, cli.RowsRejected);
        var published = Assert.Single(harness.Sink.Published);
        Assert.Equal(October3, published.BatchDate);
        Assert.Equal(Json(cli.Alerts), Json(published.Alerts));
        Assert.Equal(["ALK_TEST_MISSING", "ALK_IHC_UNCONFIRMED", "ALK_FUSION_ACTIONABLE"], published.Alerts.Select(a => a.RuleId));
    }

    [Fact]
    public async Task Run_ManifestFirst_ScreensWhenTheLastListedFileArrives()
    {
        using var archive = new TempFolder();
        FirstBatch().WriteTo(archive.Path);
        await using var harness = new LabExportHarness(azurite);
        var names = await harness.UploadAsync(archive.Path);

        await DeliverCheckingNothingIsPublishedEarlyAsync(harness, [.. names.Where(IsManifest), .. names.Where(n => !IsManifest(n)).Reverse()]);

        var cli = LocalRun.Screen(archive.Path, October3, new ScreeningOptions());
        Assert.Equal(Describe(cli.Files), Describe(harness.State.Ingested(October3)));
        Assert.Equal(Json(cli.Alerts), Json(Assert.Single(harness.Sink.Published).Alerts));
    }

    [Fact]
    public async Task Run_TwoBatches_ScreensEachAsOfItsOwnDate_LikeTheCommandLine()
    {
        using var archive = new TempFolder();
        FirstBatch().WriteTo(archive.Path);
        SecondBatch().WriteTo(archive.Path);
        await using var harness = new LabExportHarness(azurite);

        foreach (var name in await harness.UploadAsync(archive.Path))
        {
            await harness.DeliverAsync(name);
        }

        Assert.Equal([October3, October20], harness.Sink.Published.Select(p => p.BatchDate));
        Assert.Equal(Json(LocalRun.Screen(archive.Path, October3, new ScreeningOptions()).Alerts), Json(harness.Sink.Published[0].Alerts));
        var cli = LocalRun.Screen(archive.Path, October20, new ScreeningOptions());
        Assert.Equal(Json(cli.Alerts), Json(harness.Sink.Published[1].Alerts));
        Assert.Contains(cli.Alerts, a => a.RuleId == "ALK_IHC_DISCORDANT");
        Assert.DoesNotContain(cli.Alerts, a => a.RuleId == "ALK_IHC_UNCONFIRMED");
    }

    [Fact]
    public async Task Run_GeneratedArchive_EachCompleteBatchPublishesWhatTheCommandLineScreensForItsDate()
    {
        using var archive = new TempFolder();
        ArchiveGenerator.Generate(new GeneratorOptions { Patients = 200, Days = 20, Seed = 11 }, archive.Path);
        await using var harness = new LabExportHarness(azurite);

        // In upload (path) order, a batch's manifest arrives between its files, as the host may see them.
        foreach (var name in await harness.UploadAsync(archive.Path))
        {
            await harness.DeliverAsync(name);
        }

        var cli = LocalRun.Screen(archive.Path, null, new ScreeningOptions());
        Assert.Equal(Describe(cli.Files), Describe(cli.Batches.SelectMany(harness.State.Ingested)));
        var complete = cli.Files
            .Where(f => f is { Kind: BatchFileKind.Manifest, Failure: null })
            .Select(f => f.Source[..f.Source.IndexOf('/', StringComparison.Ordinal)])
            .Where(batch => !cli.MissingFromManifest.Any(m => m.StartsWith($"{batch}/", StringComparison.Ordinal)))
            .Select(batch => DateOnly.ParseExact(batch, "yyyy-MM-dd", CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal(complete, harness.Sink.Published.Select(p => p.BatchDate));
        foreach (var published in harness.Sink.Published)
        {
            Assert.Equal(Json(LocalRun.Screen(archive.Path, published.BatchDate, new ScreeningOptions()).Alerts), Json(published.Alerts));
        }
        Assert.Contains(harness.Sink.Published, p => p.Alerts.Count > 0);
    }

    public static TheoryData<string, string> CorruptIhcFiles => new()
    {
        { "header without mrn", "accession,result_date,marker,clone,result\nS26-00021,2026-09-10,ALK,D5F3,positive\n" },
        { "unterminated quote", "accession,mrn,result_date,marker,clone,result,comment\nS26-00021,100002,2026-09-10,ALK,D5F3,positive,ok\nS26-00011,100001,2026-09-11,ALK,D5F3,negative,\"Large cell neuroendocrine\n" },
    };

    [Theory]
    [MemberData(nameof(CorruptIhcFiles))]
    public async Task Run_CorruptFile_IsQuarantinedWithSidecar_OriginalUntouched_RestOfBatchProcessed(string why, string content)
    {
        const string Corrupt = "2026-10-03/ihc_results.csv";
        using var archive = new TempFolder();
        var bytes = Encoding.UTF8.GetBytes(content);
        FirstBatch().File("ihc_results.csv", bytes).WriteTo(archive.Path);
        await using var harness = new LabExportHarness(azurite);
        var names = await harness.UploadAsync(archive.Path);
        var uploaded = (await harness.Exports.GetBlobClient(Corrupt).GetPropertiesAsync(cancellationToken: harness.Token)).Value.ETag;

        foreach (var name in names)
        {
            await harness.DeliverAsync(name);
        }

        Assert.Equal(bytes, await harness.DownloadAsync(harness.Quarantine, Corrupt));
        var sidecarText = Encoding.UTF8.GetString(await harness.DownloadAsync(harness.Quarantine, $"{Corrupt}.error.json"));
        using (var sidecar = JsonDocument.Parse(sidecarText))
        {
            Assert.Equal(Corrupt, sidecar.RootElement.GetProperty("file").GetString());
            Assert.True(sidecar.RootElement.GetProperty("line").GetInt32() > 0, why);
            Assert.False(string.IsNullOrWhiteSpace(sidecar.RootElement.GetProperty("reason").GetString()));
        }
        Assert.All(Mrns, mrn => Assert.DoesNotContain(mrn, sidecarText, StringComparison.Ordinal));
        Assert.DoesNotContain("neuroendocrine", sidecarText, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(bytes, await harness.DownloadAsync(harness.Exports, Corrupt));
        Assert.Equal(uploaded, (await harness.Exports.GetBlobClient(Corrupt).GetPropertiesAsync(cancellationToken: harness.Token)).Value.ETag);
        Assert.Equal(2, (await harness.Quarantine.GetBlobsAsync(cancellationToken: harness.Token).ToListAsync()).Count);

        var cli = LocalRun.Screen(archive.Path, October3, new ScreeningOptions());
        Assert.Equal(Describe(cli.Files), Describe(harness.State.Ingested(October3)));
        Assert.Single(cli.Quarantined);
        var published = Assert.Single(harness.Sink.Published);
        Assert.Equal(Json(cli.Alerts), Json(published.Alerts));
        Assert.Contains(published.Alerts, a => a.RuleId == "ALK_FUSION_ACTIONABLE");
    }

    [Fact]
    public async Task Run_SameBlobDeliveredTwice_SecondDeliveryChangesNothing()
    {
        using var archive = new TempFolder();
        FirstBatch().File("molecular_results.csv", Encoding.UTF8.GetBytes("mrn\n")).WriteTo(archive.Path);
        await using var harness = new LabExportHarness(azurite);
        var names = await harness.UploadAsync(archive.Path);
        foreach (var name in names)
        {
            await harness.DeliverAsync(name);
        }
        var ledger = Describe(harness.State.Ingested(October3));
        var quarantined = (await harness.Quarantine.GetBlobClient("2026-10-03/molecular_results.csv").GetPropertiesAsync(cancellationToken: harness.Token)).Value.ETag;

        foreach (var name in names)
        {
            await harness.DeliverAsync(name);
        }

        Assert.Single(harness.Sink.Published);
        Assert.Equal(ledger, Describe(harness.State.Ingested(October3)));
        Assert.Equal(quarantined, (await harness.Quarantine.GetBlobClient("2026-10-03/molecular_results.csv").GetPropertiesAsync(cancellationToken: harness.Token)).Value.ETag);
    }

    [Fact]
    public async Task Run_HandOverFails_TheNextDeliveryOfTheBatchScreensAgain()
    {
        using var archive = new TempFolder();
        FirstBatch().WriteTo(archive.Path);
        var sink = new FlakyAlertSink();
        await using var harness = new LabExportHarness(azurite, services => services.AddSingleton<IAlertSink>(sink));
        var names = await harness.UploadAsync(archive.Path);
        foreach (var name in names.Where(n => !IsManifest(n)))
        {
            await harness.DeliverAsync(name);
        }

        await Assert.ThrowsAsync<IOException>(() => harness.DeliverAsync("2026-10-03/manifest.json"));
        await harness.DeliverAsync("2026-10-03/manifest.json");
        await harness.DeliverAsync("2026-10-03/manifest.json");

        Assert.Equal(2, sink.Calls);
        Assert.Equal(Json(LocalRun.Screen(archive.Path, October3, new ScreeningOptions()).Alerts), Json(sink.Delivered!));
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
    public async Task IngestAsync_NameOutsideABatchOrLeavingIt_IsIgnoredNotOpened(string blobName)
    {
        await using var harness = new LabExportHarness(azurite);
        using var content = new MemoryStream(Encoding.UTF8.GetBytes("mrn,sex\n100001,F\n"));

        var ingestion = await harness.Ingestion.IngestAsync(blobName, content, harness.Token);

        Assert.Equal(BatchFileKind.Ignored, ingestion.Kind);
        Assert.Equal(0, content.Position);
        Assert.Empty(harness.State.Ingested(October3));
        Assert.Empty(harness.Sink.Published);
    }

    private static async Task DeliverCheckingNothingIsPublishedEarlyAsync(LabExportHarness harness, IReadOnlyList<string> order)
    {
        foreach (var name in order)
        {
            Assert.Empty(harness.Sink.Published);
            await harness.DeliverAsync(name);
        }
    }

    private static bool IsManifest(string name) => name.EndsWith("/manifest.json", StringComparison.Ordinal);

    private static List<string> Describe(IEnumerable<FileIngestion> files) =>
    [
        .. files.OrderBy(f => f.Source, StringComparer.Ordinal).Select(f =>
            $"{f.Source} {f.Kind}: read {f.RowsRead}, accepted {f.RowsAccepted}, rejected {f.RowsRejected} [{string.Join("; ", f.Rejections)}]"
            + $" failure: {f.Failure}; manifest: {(f.Manifest is null ? "-" : string.Join(",", f.Manifest.Files))}"),
    ];

    /// <summary>The alerts as their wire bytes (alerts.md), decoded only to make a difference readable.</summary>
    private static List<string> Json(IEnumerable<Alert> alerts) => [.. alerts.Select(a => Encoding.UTF8.GetString(AlertJson.ToUtf8(a)))];

    /// <summary>A sink whose first hand-over fails, as a Service Bus outage would.</summary>
    private sealed class FlakyAlertSink : IAlertSink
    {
        public int Calls { get; private set; }

        public IReadOnlyList<Alert>? Delivered { get; private set; }

        public Task PublishAsync(IReadOnlyList<Alert> alerts, DateOnly batchDate, CancellationToken cancellationToken)
        {
            if (++Calls == 1)
            {
                throw new IOException("the alert transport is down");
            }
            Delivered = alerts;
            return Task.CompletedTask;
        }
    }
}
