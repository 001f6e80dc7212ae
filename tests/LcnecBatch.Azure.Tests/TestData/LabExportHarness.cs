using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Functions;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LcnecBatch.Azure.Tests.TestData;

/// <summary>
/// The Functions app as the host would run it, minus the host: services from <c>AddLcnecBatch</c> against Azurite
/// (containers and tables of its own), the function classes called with what the host would pass, every log line
/// recorded. Alerts go to a <see cref="LoopbackServiceBus"/> when given its connection string, else to memory.
/// A second harness on the same <see cref="Storage"/> is the same app after a restart or a change of settings.
/// </summary>
internal sealed class LabExportHarness : IAsyncDisposable
{
    public const string Queue = "care-team-alerts";
    private const string PseudonymKey = "test-only-pseudonym-key-0123456789abcdef";

    private readonly ServiceProvider _services;
    private readonly CancellationTokenSource _timeout;
    private readonly bool _ownsStorage;

    public LabExportHarness(AzuriteFixture azurite, string? serviceBus = null, string? storage = null, Action<IServiceCollection>? configure = null, string entity = Queue, TimeSpan? timeout = null)
    {
        // A bound on every test's work, so a hang fails instead of stalling the suite; long runs (the soak) ask for more.
        _timeout = new(timeout ?? TimeSpan.FromSeconds(90));
        _ownsStorage = storage is null;
        Storage = storage ?? Guid.NewGuid().ToString("N");
        var settings = new Dictionary<string, string?>
        {
            ["LabExportsStorage"] = azurite.ConnectionString,
            ["StateStorage"] = azurite.ConnectionString,
            ["LabExports:Container"] = $"lab-exports-{Storage}",
            ["LabExports:QuarantineContainer"] = $"lab-exports-quarantine-{Storage}",
            ["LabExports:DeadLetterContainer"] = $"lab-exports-deadletter-{Storage}",
            ["LabExports:PoisonQueue"] = $"webjobs-blobtrigger-poison-{Storage}",
            ["StateTables:TimelineEvents"] = $"timelineevents{Storage}",
            ["StateTables:IngestionLedger"] = $"ingestionledger{Storage}",
            ["StateTables:AlertLedger"] = $"alertledger{Storage}",
            ["StateTables:PendingRawFiles"] = $"pendingrawfiles{Storage}",
            ["StateTables:Parallelism"] = "4",
            // The tests' sweeps run as if hours after the deliveries (NightlySweepTests sets its own age), and a busy
            // lease is tried again quickly.
            ["StateTables:MinimumBatchAge"] = "00:00:00",
            ["StateTables:LeaseBusyDelay"] = "00:00:00.100",
            ["Pseudonym:Key"] = PseudonymKey,
            ["Alerts:EntityName"] = entity,
            // Few tries, short timeouts: a protocol mistake or an outage fails fast.
            ["ServiceBusConnection"] = serviceBus ?? "Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=none;SharedAccessKey=none;UseDevelopmentEmulator=true;",
            ["ServiceBusConnection:RetryOptions:MaxRetries"] = "1",
            ["ServiceBusConnection:RetryOptions:Delay"] = "00:00:00.200",
            ["ServiceBusConnection:RetryOptions:MaxDelay"] = "00:00:01",
            ["ServiceBusConnection:RetryOptions:TryTimeout"] = "00:00:05",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        Faults = new FaultInjection(azurite.ConnectionString);
        var services = new ServiceCollection().AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        // Every Blob, Queue and Table call of the app goes through the test's faults, each try of the SDK's retries
        // one call; retries come quickly so that an outage of a few calls costs milliseconds, not seconds.
        services.AddAzureClients(clients => clients.ConfigureDefaults(options =>
        {
            options.Transport = Faults;
            options.Retry.Delay = TimeSpan.FromMilliseconds(20);
            options.Retry.MaxDelay = TimeSpan.FromMilliseconds(200);
        }));
        if (serviceBus is null)
        {
            services.AddSingleton<IAlertSink, InMemoryAlertSink>();
        }
        configure?.Invoke(services);
        _services = services.AddLcnecBatch(configuration).BuildServiceProvider(validateScopes: true);
        var blobs = _services.GetRequiredService<BlobServiceClient>();
        Exports = blobs.GetBlobContainerClient(configuration["LabExports:Container"]);
        Quarantine = blobs.GetBlobContainerClient(configuration["LabExports:QuarantineContainer"]);
        DeadLetters = new BlobContainerClient(azurite.ConnectionString, configuration["LabExports:DeadLetterContainer"]);
        // As the Functions blob extension writes it: base64 (its queue clients' encoding), past the app's faults.
        PoisonQueue = new QueueClient(azurite.ConnectionString, configuration["LabExports:PoisonQueue"], new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        Tables = _services.GetRequiredService<TableServiceClient>();
        TableNames = [.. settings.Where(s => s.Key.StartsWith("StateTables:", StringComparison.Ordinal) && s.Value!.EndsWith(Storage, StringComparison.Ordinal)).Select(s => s.Value!)];
        AlertLedger = Tables.GetTableClient(configuration["StateTables:AlertLedger"]);
        Function = ActivatorUtilities.CreateInstance<IngestLabExport>(_services);
        PollingFunction = ActivatorUtilities.CreateInstance<IngestLabExportPolling>(_services);
        Sweep = ActivatorUtilities.CreateInstance<NightlySweep>(_services);
        Health = ActivatorUtilities.CreateInstance<Health>(_services);
    }

    /// <summary>The suffix of every container and table of this app's storage.</summary>
    public string Storage { get; }

    public RecordingLoggerProvider Logs { get; } = new();

    /// <summary>Faults on the app's storage calls (none until a test adds a rule).</summary>
    public FaultInjection Faults { get; }

    public CancellationToken Token => _timeout.Token;

    public BlobContainerClient Exports { get; }

    public BlobContainerClient Quarantine { get; }

    /// <summary>The Event Grid subscription's dead-letter container, as Event Grid sees it (no faults).</summary>
    public BlobContainerClient DeadLetters { get; }

    /// <summary>The blob trigger's poison queue, as the host writes it (base64 messages, no faults).</summary>
    public QueueClient PoisonQueue { get; }

    public TableServiceClient Tables { get; }

    public IReadOnlyList<string> TableNames { get; }

    public TableClient AlertLedger { get; }

    public IngestLabExport Function { get; }

    public IngestLabExportPolling PollingFunction { get; }

    public NightlySweep Sweep { get; }

    public Health Health { get; }

    public IServiceProvider Services => _services;

    public LabExportIngestion Ingestion => _services.GetRequiredService<LabExportIngestion>();

    public LabExportReconciliation Reconciliation => _services.GetRequiredService<LabExportReconciliation>();

    public InMemoryAlertSink Sink => (InMemoryAlertSink)_services.GetRequiredService<IAlertSink>();

    public TableBatchState State => (TableBatchState)_services.GetRequiredService<IBatchState>();

    public PatientPseudonym Pseudonym => _services.GetRequiredService<PatientPseudonym>();

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
                await Exports.GetBlobClient(file.SourcePath).UploadAsync(content, overwrite: true, Token);
            }
            names.Add(file.SourcePath);
        }
        return names;
    }

    /// <summary>What the host does for a new blob: open it through the SDK and call the function (Event Grid, or polling when asked).</summary>
    public async Task DeliverAsync(string blobName, bool polling = false)
    {
        await using var blob = await Exports.GetBlobClient(blobName).OpenReadAsync(cancellationToken: Token);
        await (polling ? PollingFunction.Run(blob, blobName, Token) : Function.Run(blob, blobName, Token));
    }

    public async Task DeliverAllAsync(IEnumerable<string> blobNames)
    {
        foreach (var name in blobNames)
        {
            await DeliverAsync(name);
        }
    }

    /// <summary>What the Functions blob extension enqueues after a blob's last failed try (a BlobTriggerMessage, base64).</summary>
    public async Task PoisonAsync(string container, string blobName)
    {
        await PoisonQueue.CreateIfNotExistsAsync(cancellationToken: Token);
        var etag = container == Exports.Name && !blobName.Contains("..", StringComparison.Ordinal) && await Exports.GetBlobClient(blobName).ExistsAsync(Token)
            ? (await Exports.GetBlobClient(blobName).GetPropertiesAsync(cancellationToken: Token)).Value.ETag.ToString()
            : "\"0x8DE0000000000000\"";
        var message = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["Type"] = "BlobTrigger",
            ["FunctionId"] = "Host.Functions.IngestLabExport",
            ["BlobType"] = "BlockBlob",
            ["ContainerName"] = container,
            ["BlobName"] = blobName,
            ["ETag"] = etag,
        });
        await PoisonQueue.SendMessageAsync(message, Token);
    }

    public Task SweepAsync() => Sweep.Run(new Microsoft.Azure.Functions.Worker.TimerInfo(), Token);

    public async Task<byte[]> DownloadAsync(BlobContainerClient container, string blobName)
    {
        var content = await container.GetBlobClient(blobName).DownloadContentAsync(Token);
        return content.Value.Content.ToArray();
    }

    /// <summary>Rows of the alert ledger: (alert id, open|resolved) for records, message ids for unsent events.</summary>
    public async Task<(List<(string AlertId, string Status)> Records, List<string> Unsent)> AlertLedgerAsync()
    {
        var records = new List<(string, string)>();
        var unsent = new List<string>();
        await foreach (var row in AlertLedger.QueryAsync<TableEntity>(cancellationToken: Token))
        {
            if (row.RowKey.StartsWith("out|", StringComparison.Ordinal))
            {
                unsent.Add(row.RowKey["out|".Length..]);
            }
            else if (row.RowKey != "$patient")
            {
                records.Add((row.RowKey, row.GetString("Status")));
            }
        }
        return (records, unsent);
    }

    public async ValueTask DisposeAsync()
    {
        Faults.Clear();
        await _services.DisposeAsync();
        if (_ownsStorage)
        {
            await Exports.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            await Quarantine.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            await DeadLetters.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            await PoisonQueue.DeleteIfExistsAsync(CancellationToken.None);
            foreach (var table in TableNames)
            {
                await Tables.DeleteTableAsync(table, CancellationToken.None);
            }
        }
        _timeout.Dispose();
    }
}
