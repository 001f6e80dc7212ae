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
// ingestion and of the screening the last delivery triggers, and the Table round trips per patient. Then a few
// later nights, one small batch of new patients each: the Table round trips of each night's screening per patient
// of its batch and per watched patient (those the first batch left with LCNEC or open alerts, untouched since).
//   dotnet run -c Release --project bench/LcnecBatch.AzureBench -- "<connection string>" [report rows] [raw files] [parallel deliveries] [later nights] [patients per later night]
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: LcnecBatch.AzureBench <storage connection string> [report rows = 10000] [raw NGS files = 50] [parallel deliveries = 1]");
    return 2;
}
var connection = args[0];
var rows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
var rawFiles = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;
var parallel = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
var nights = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 5;
var nightPatients = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 100;
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

async Task DeliverAsync(string path, string? folder = null)
{
    folder ??= batch;
    await using var blob = await exports.GetBlobClient($"{folder}/{path}").OpenReadAsync();
    await ingestion.IngestAsync($"{folder}/{path}", blob, CancellationToken.None);
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

// Later nights: a batch of new patients each, delivered whole (manifest last); the screening trips are counted per night.
var nightTrips = new List<long>();
var nightClock = Stopwatch.StartNew();
for (var night = 1; night <= nights; night++)
{
    var (date, nightFiles) = NightlyBatch.Night(night, nightPatients);
    var folder = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    foreach (var (path, bytes) in nightFiles)
    {
        await exports.GetBlobClient($"{folder}/{path}").UploadAsync(BinaryData.FromBytes(bytes), overwrite: true);
    }
    foreach (var path in nightFiles.Keys.Where(p => p != "manifest.json"))
    {
        await DeliverAsync(path, folder);
    }
    var before = roundTrips.Count;
    await DeliverAsync("manifest.json", folder);
    nightTrips.Add(roundTrips.Count - before);
}
if (nights > 0)
{
    var perNight = nightTrips.Average();
    Console.WriteLine($"later nights: {nights} batches of {nightPatients} new patients, {lcnec} watched patients untouched: screening {perNight:0} Table round trips per night = {perNight / nightPatients:0.00} per patient in the batch, {perNight / (nightPatients + lcnec):0.00} per patient walked or watched; {nightClock.Elapsed.TotalSeconds / nights:0.00} s per night (ingest included)");
}

await exports.DeleteIfExistsAsync();
var tables = services.GetRequiredService<TableServiceClient>();
foreach (var table in new[] { "StateTables:TimelineEvents", "StateTables:IngestionLedger", "StateTables:AlertLedger", "StateTables:PendingRawFiles" })
{
    await tables.DeleteTableAsync(settings[table]);
}
return 0;
