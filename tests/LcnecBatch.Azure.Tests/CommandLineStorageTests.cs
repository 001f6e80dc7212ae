using Azure.Storage.Blobs;
using LcnecBatch.Azure.Tests.TestData;
using LcnecBatch.Cli;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Synthetic;

namespace LcnecBatch.Azure.Tests;

/// <summary>
/// cli.md's storage options against Azurite and the loopback Service Bus: <c>--storage/--container</c> reads the
/// same batches a folder holds and gives the same bytes; <c>--publish/--entity</c> sends the replay's alert events.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CommandLineStorageTests(AzuriteFixture azurite) : IDisposable
{
    private const string Entity = "care-team-alerts";

    private readonly TempFolder _archive = new();
    private readonly TempFolder _out = new();

    public void Dispose()
    {
        _archive.Dispose();
        _out.Dispose();
    }

    private static (int Code, string Out, string Err) Lcnec(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = LcnecCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A generated archive (every rule, raw VCF and fusion tables, bad rows) in a new container too.</summary>
    private async Task<string> ArchiveInAContainerAsync()
    {
        ArchiveGenerator.Generate(new GeneratorOptions { ResponseRate = 0, Patients = 300, Days = 20, Seed = 5 }, _archive.Path);
        var container = new BlobContainerClient(azurite.ConnectionString, $"cli-{Guid.NewGuid():N}");
        await container.CreateAsync();
        var folder = new FolderBatchArchive(_archive.Path);
        foreach (var file in folder.BatchDates().SelectMany(folder.Files))
        {
            using var content = file.Open();
            await container.GetBlobClient(file.SourcePath).UploadAsync(content);
        }
        // A blob outside any batch, and one whose name climbs out of its batch: neither is read.
        await container.GetBlobClient("README.txt").UploadAsync(BinaryData.FromString("not a batch"));
        await container.GetBlobClient("2026-01-01/../patients.csv").UploadAsync(BinaryData.FromString("mrn\n1\n"));
        return container.Name;
    }

    private string Output(string name) => Path.Combine(_out.Path, name);

    [Fact]
    public async Task Screen_FromAContainer_WritesTheFoldersBytes_AndPublishesEveryEventOfTheReplay()
    {
        var container = await ArchiveInAContainerAsync();
        using var bus = new LoopbackServiceBus([Entity]);

        var folder = Lcnec("screen", _archive.Path, "--alerts", Output("folder.jsonl"), "--all");
        var blobs = Lcnec("screen", "--storage", azurite.ConnectionString, "--container", container, "--alerts", Output("blobs.jsonl"), "--all",
            "--publish", bus.ConnectionString(), "--entity", Entity);

        Assert.Equal(1, folder.Code); // the generated archive has bad rows on purpose
        Assert.Equal(folder.Code, blobs.Code);
        Assert.Equal(folder.Err, blobs.Err);
        var lines = File.ReadAllLines(Output("folder.jsonl"));
        Assert.Equal(File.ReadAllBytes(Output("folder.jsonl")), File.ReadAllBytes(Output("blobs.jsonl")));
        Assert.Contains(lines, l => l.Contains("\"ALK_FUSION_UNREPORTED\"", StringComparison.Ordinal));

        // Not the alerts file: every raise, reminder, resolution and reopen of the replay, each once.
        var replay = LocalRun.Screen(_archive.Path, null, new Core.Screening.ScreeningOptions());
        Assert.Contains($"alert events sent to Service Bus entity {Entity}: {replay.AlertEvents.Count} (0 listed in {Output("blobs.jsonl")}.published.jsonl before)", blobs.Out, StringComparison.Ordinal);
        var received = await AlertMessages.DrainAsync(bus.ConnectionString(), Entity, CancellationToken.None);
        Assert.Equal(AlertMessages.Expected(replay), AlertMessages.Of(received));
        Assert.Contains(received, m => m.MessageId.EndsWith(":resolved", StringComparison.Ordinal));
        Assert.Equal(replay.AlertEvents.Select(e => e.MessageId).Order(StringComparer.Ordinal),
            File.ReadAllLines(Output("blobs.jsonl") + ".published.jsonl").Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("messageId").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Screen_OneBatchOfAContainer_IsThatBatchAlone()
    {
        var container = await ArchiveInAContainerAsync();
        var first = new FolderBatchArchive(_archive.Path).BatchDates()[0].ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var folder = Lcnec("screen", Path.Combine(_archive.Path, first), "--alerts", Output("folder.jsonl"));
        var blobs = Lcnec("screen", first, "--storage", azurite.ConnectionString, "--container", container, "--alerts", Output("blobs.jsonl"));

        Assert.Equal((folder.Code, folder.Out.Replace(Output("folder.jsonl"), "", StringComparison.Ordinal)), (blobs.Code, blobs.Out.Replace(Output("blobs.jsonl"), "", StringComparison.Ordinal)));
        Assert.Contains("1 batch(es)", blobs.Out, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Output("folder.jsonl")), File.ReadAllBytes(Output("blobs.jsonl")));
    }

    [Fact]
    public async Task Audit_FromAContainer_WritesTheFoldersFigures()
    {
        var container = await ArchiveInAContainerAsync();

        var folder = Lcnec("audit", _archive.Path, "--out", Output("folder"));
        var blobs = Lcnec("audit", "--storage", azurite.ConnectionString, "--container", container, "--out", Output("blobs"));

        Assert.Equal(folder.Code, blobs.Code);
        foreach (var file in new[] { "audit.json", "cases.csv", "findings.csv" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(Output("folder"), file)), File.ReadAllBytes(Path.Combine(Output("blobs"), file)));
        }
    }

    [Theory]
    [InlineData("--storage and --container go together", "screen", "--storage", "UseDevelopmentStorage=true")]
    [InlineData("--storage and --container go together", "audit", "--container", "lab-exports", "somewhere")]
    [InlineData("with --storage, <path> names one batch (yyyy-MM-dd), not archive", "screen", "archive", "--storage", "UseDevelopmentStorage=true", "--container", "c")]
    [InlineData("a path is required (or --storage with --container)", "screen")]
    public void Storage_OptionsMisused_AreUsageErrors(string message, params string[] args)
    {
        var (code, _, error) = Lcnec(args);

        Assert.Equal(2, code);
        Assert.Equal($"lcnec: usage: {message}", error.Trim());
    }

    [Fact]
    public void Screen_ContainerThatDoesNotExist_FailsWithTheStorageStatus()
    {
        var (code, _, error) = Lcnec("screen", "--storage", azurite.ConnectionString, "--container", $"missing-{Guid.NewGuid():N}", "--alerts", Output("a.jsonl"));

        Assert.Equal(3, code);
        Assert.Equal("lcnec: failure: storage: 404 ContainerNotFound", error.Trim());
    }
}
