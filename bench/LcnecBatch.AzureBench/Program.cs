using System.Diagnostics;
using System.Globalization;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using LcnecBatch.Azure;
using LcnecBatch.AzureBench;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// Ingest and screen one nightly batch against a storage account (Azurite: bench/azure-ingest.sh), the blobs
// delivered one by one as the blob trigger would (manifest last), alerts to memory. Prints the wall time of
// ingestion and of the screening the last delivery triggers, and the Table round trips per patient.
//   dotnet run -c Release --project bench/LcnecBatch.AzureBench -- "<connection string>" [report rows] [raw files] [parallel deliveries]
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: LcnecBatch.AzureBench <storage connection string> [report rows = 10000] [raw NGS files = 50] [parallel deliveries = 1]");
    return 2;
}
var connection = args[0];
var rows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
var rawFiles = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;
var parallel = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
var suffix = Guid.NewGuid().ToString("N")[..12];
var settings = new Dictionary<string, string?>
{
    ["LabExportsStorage"] = connection,
    ["StateStorage"] = connection,
    ["ServiceBusConnection"] = "Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=none;SharedAccessKey=none;UseDevelopmentEmulator=true;",
    ["LabExports:Container"] = $"bench-exports-{suffix}",
    ["LabExports:QuarantineContainer"] = $"bench-quarantine-{suffix}",
    ["StateTables:TimelineEvents"] = $"benchevents{suffix}",
    ["StateTables:IngestionLedger"] = $"benchledger{suffix}",
    ["StateTables:AlertLedger"] = $"benchalerts{suffix}",
    ["StateTables:PendingRawFiles"] = $"benchraw{suffix}",
    ["Pseudonym:Key"] = "bench-only-pseudonym-key-0123456789abcdef",
};
var roundTrips = new TableRoundTrips();
var tableOptions = new TableClientOptions();
tableOptions.AddPolicy(roundTrips, HttpPipelinePosition.PerRetry);
var sink = new InMemoryAlertSink();
await using var services = new ServiceCollection()
    .AddLogging()
    .AddSingleton<IAlertSink>(sink)
    .AddLcnecBatch(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
    .AddSingleton(new TableServiceClient(connection, tableOptions)) // the last registration wins: the counted client
    .BuildServiceProvider();

var files = NightlyBatch.Files(rows, rawFiles);
var batch = NightlyBatch.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
var exports = services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(settings["LabExports:Container"]);
await exports.CreateIfNotExistsAsync();
foreach (var (path, bytes) in files)
{
    await exports.GetBlobClient($"{batch}/{path}").UploadAsync(BinaryData.FromBytes(bytes), overwrite: true);
}
var ingestion = services.GetRequiredService<LabExportIngestion>();
await services.GetRequiredService<IBatchState>().IsIngestedAsync(new DeliveredFile(NightlyBatch.Date, "warm-up", ""), CancellationToken.None);
var setupTrips = roundTrips.Count;

async Task DeliverAsync(string path)
{
    await using var blob = await exports.GetBlobClient($"{batch}/{path}").OpenReadAsync();
    await ingestion.IngestAsync($"{batch}/{path}", blob, CancellationToken.None);
}

using var self = Process.GetCurrentProcess();
var cpu = self.TotalProcessorTime;
var clock = Stopwatch.StartNew();
await Parallel.ForEachAsync(files.Keys.Where(p => p != "manifest.json"), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (path, _) => await DeliverAsync(path));
var ingestTime = clock.Elapsed;
var ingestTrips = roundTrips.Count - setupTrips;
self.Refresh();
var ingestCpu = self.TotalProcessorTime - cpu;
clock.Restart();
await DeliverAsync("manifest.json");
var screenTime = clock.Elapsed;
var screenTrips = roundTrips.Count - setupTrips - ingestTrips;
self.Refresh();
var screenCpu = self.TotalProcessorTime - cpu - ingestCpu;

var patients = (rows + 1) / 2;
var lcnec = (patients + 49) / 50;
Console.WriteLine($"batch: {rows} report rows, {patients} patients ({lcnec} with LCNEC), {rawFiles} raw NGS files, {files.Count} blobs, {parallel} delivery at a time");
Console.WriteLine($"ingest (all blobs but the manifest): {ingestTime.TotalSeconds:0.00} s, {ingestTrips} Table round trips = {(double)ingestTrips / patients:0.00} per patient; this process's CPU {ingestCpu.TotalSeconds:0.0} s");
Console.WriteLine($"screen (the manifest's delivery):   {screenTime.TotalSeconds:0.00} s, {screenTrips} Table round trips = {(double)screenTrips / patients:0.00} per patient, {sink.Sent.Count} alert events; this process's CPU {screenCpu.TotalSeconds:0.0} s");
Console.WriteLine($"total: {(ingestTime + screenTime).TotalSeconds:0.00} s, {ingestTrips + screenTrips} Table round trips = {(double)(ingestTrips + screenTrips) / patients:0.00} per patient");

await exports.DeleteIfExistsAsync();
var tables = services.GetRequiredService<TableServiceClient>();
foreach (var table in new[] { "StateTables:TimelineEvents", "StateTables:IngestionLedger", "StateTables:AlertLedger", "StateTables:PendingRawFiles" })
{
    await tables.DeleteTableAsync(settings[table]);
}
return 0;
