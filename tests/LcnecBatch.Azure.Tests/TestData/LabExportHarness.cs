using Azure.Storage.Blobs;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Functions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LcnecBatch.Azure.Tests.TestData;

/// <summary>
/// The Functions app as the host would run it, minus the host: services from <c>AddLcnecBatch</c> against
/// Azurite, containers of its own, and <see cref="IngestLabExport"/> called with a stream read through the SDK.
/// </summary>
internal sealed class LabExportHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));

    public LabExportHarness(AzuriteFixture azurite, Action<IServiceCollection>? configure = null)
    {
        var suffix = Guid.NewGuid().ToString("N");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LabExportsStorage"] = azurite.ConnectionString,
            ["LabExports:Container"] = $"lab-exports-{suffix}",
            ["LabExports:QuarantineContainer"] = $"lab-exports-quarantine-{suffix}",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        configure?.Invoke(services);
        _services = services.AddLcnecBatch(configuration).BuildServiceProvider(validateScopes: true);
        var blobs = _services.GetRequiredService<BlobServiceClient>();
        Exports = blobs.GetBlobContainerClient(configuration["LabExports:Container"]);
        Quarantine = blobs.GetBlobContainerClient(configuration["LabExports:QuarantineContainer"]);
        Function = ActivatorUtilities.CreateInstance<IngestLabExport>(_services);
    }

    public CancellationToken Token => _timeout.Token;

    public BlobContainerClient Exports { get; }

    public BlobContainerClient Quarantine { get; }

    public IngestLabExport Function { get; }

    public LabExportIngestion Ingestion => _services.GetRequiredService<LabExportIngestion>();

    public InMemoryAlertSink Sink => (InMemoryAlertSink)_services.GetRequiredService<IAlertSink>();

    public InMemoryBatchState State => (InMemoryBatchState)_services.GetRequiredService<IBatchState>();

    /// <summary>Uploads every batch folder under an archive root; returns the blob names, in path order.</summary>
    public async Task<IReadOnlyList<string>> UploadAsync(string archiveRoot)
    {
        await Exports.CreateIfNotExistsAsync(cancellationToken: Token);
        var archive = new FolderBatchArchive(archiveRoot);
        var names = new List<string>();
        foreach (var file in archive.BatchDates().SelectMany(archive.Files))
        {
            using (var content = file.Open())
            {
                await Exports.GetBlobClient(file.SourcePath).UploadAsync(content, Token);
            }
            names.Add(file.SourcePath);
        }
        return names;
    }

    /// <summary>What the host does for a new blob: open it through the SDK and call the function.</summary>
    public async Task DeliverAsync(string blobName)
    {
        await using var blob = await Exports.GetBlobClient(blobName).OpenReadAsync(cancellationToken: Token);
        await Function.Run(blob, blobName, Token);
    }

    public async Task<byte[]> DownloadAsync(BlobContainerClient container, string blobName)
    {
        var content = await container.GetBlobClient(blobName).DownloadContentAsync(Token);
        return content.Value.Content.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await Exports.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
        await Quarantine.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
        await _services.DisposeAsync();
        _timeout.Dispose();
    }
}
