using Azure.Storage.Blobs;
using LcnecBatch.Azure.Tests.TestData;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Synthetic;

namespace LcnecBatch.Azure.Tests;

/// <summary>Care-team responses (<c>responses/{date}/*.jsonl</c>) listed from a container as from a folder (issue 17).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobResponsesTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TempFolder _archive = new();

    public void Dispose() => _archive.Dispose();

    [Fact]
    public async Task Responses_FromAContainer_AreTheFoldersResponses_AndScreenTheSame()
    {
        ArchiveGenerator.Generate(new GeneratorOptions { ResponseRate = 0, Patients = 40, Days = 6, Seed = 17 }, _archive.Path);
        var folder = new FolderBatchArchive(_archive.Path);
        var first = folder.BatchDates()[0];
        var line = $"{{\"responseId\":\"r-1\",\"mrn\":\"QX100001\",\"alertId\":\"{new string('a', 32)}\",\"respondedOn\":\"{first:yyyy-MM-dd}\",\"kind\":\"acknowledged\"}}\n{{\"responseId\":\"r-2\"}}\n";
        var extra = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [$"responses/{first:yyyy-MM-dd}/inbox.jsonl"] = line,
            [$"responses/{first:yyyy-MM-dd}/notes.txt"] = "not a response file",
            ["responses/2026-13-01/inbox.jsonl"] = line,
            [$"responses/{first.AddDays(400):yyyy-MM-dd}/inbox.jsonl"] = line,
        };
        foreach (var (relative, text) in extra)
        {
            var full = Path.Combine(_archive.Path, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, text);
        }
        var container = new BlobContainerClient(azurite.ConnectionString, $"responses-{Guid.NewGuid():N}");
        await container.CreateAsync();
        foreach (var file in folder.BatchDates().SelectMany(folder.Files))
        {
            using var content = file.Open();
            await container.GetBlobClient(file.SourcePath).UploadAsync(content);
        }
        foreach (var (relative, text) in extra)
        {
            await container.GetBlobClient(relative).UploadAsync(BinaryData.FromString(text));
        }
        var blobs = new BlobBatchArchive(container);
        var asOf = folder.BatchDates()[^1];

        static IEnumerable<string> Listed(IBatchArchive archive, DateOnly asOf) =>
            archive.Responses(asOf).Select(r => $"{r.RecordedOn} {r.File.SourcePath} {r.File.Refused}");

        Assert.Equal(Listed(folder, asOf), Listed(blobs, asOf));
        Assert.Equal(3, folder.Responses(asOf).Count); // the file dated after the as-of date is not listed
        var fromFolder = LocalRun.Screen(folder, asOf, new ScreeningOptions());
        var fromBlobs = LocalRun.Screen(blobs, asOf, new ScreeningOptions());
        var responses = fromBlobs.Files.Where(f => f.Source.StartsWith("responses/", StringComparison.Ordinal)).ToList();
        Assert.Equal([(BatchFileKind.NotAnInput, 0, 0), (BatchFileKind.Responses, 2, 1), (BatchFileKind.NotAnInput, 0, 0)], responses.Select(f => (f.Kind, f.RowsRead, f.RowsAccepted)));
        Assert.Equal(fromFolder.Files.Select(f => (f.Source, f.RowsRead, f.RowsAccepted, f.RowsRejected)), fromBlobs.Files.Select(f => (f.Source, f.RowsRead, f.RowsAccepted, f.RowsRejected)));
        Assert.Equal(fromFolder.AlertEvents.Select(e => e.MessageId), fromBlobs.AlertEvents.Select(e => e.MessageId));
    }
}
