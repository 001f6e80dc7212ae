using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using LcnecBatch.Benchmarks;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Genomics;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Synthetic;
using LcnecBatch.Core.Timeline;

// Hidden entries for bench/vcf-scan.sh: "scan" (the scanner alone), "ingest" (what a batch run does with a raw file:
// the scan and the SHA-256 of the bytes in one pass, through the batch ingestor) (whole-process timing and peak memory);
// "spill-sizes" (a generated archive's patients as spill blobs: bytes and objects per patient); anything else runs BenchmarkDotNet.
switch (args)
{
    case ["scan", var file, ..]:
        return Scan(file, args.Length > 3 && args[2] == "--threads" ? int.Parse(args[3], CultureInfo.InvariantCulture) : 0);
    case ["ingest", var file]:
        return Ingest(file);
    case ["spill-sizes", var patients, var days]:
        return SpillSizes(int.Parse(patients, CultureInfo.InvariantCulture), int.Parse(days, CultureInfo.InvariantCulture));
    case ["generate-vcf", var records]:
        using (var stdout = Console.OpenStandardOutput())
        {
            SyntheticVcf.Write(stdout, int.Parse(records, CultureInfo.InvariantCulture));
        }
        return 0;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(VcfScanBenchmarks).Assembly).Run(args);
        return 0;
}

static int Scan(string file, int threads)
{
    var clock = Stopwatch.StartNew();
    using var content = File.OpenRead(file);
    var scan = AlkNgsScanner.Scan(content, Path.GetFileName(file), new NgsScanOptions { DecompressionThreads = threads });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{scan.Format} {scan.Compression} build={scan.Build} records={scan.RecordsRead} fusions={scan.Fusions.Count} mutations={scan.Mutations.Count} elapsed_ms={clock.ElapsedMilliseconds}"));
    foreach (var fusion in scan.Fusions)
    {
        Console.WriteLine($"  fusion {fusion.Partner}-ALK {string.Join(" ", fusion.Breakpoints)} {fusion.Variant?.Name} {fusion.Variant?.Class} reciprocal={fusion.IsReciprocal}");
    }
    foreach (var mutation in scan.Mutations)
    {
        Console.WriteLine($"  mutation ALK {mutation.Protein} {mutation.Position}");
    }
    if (scan.Failure is { } failure)
    {
        Console.Error.WriteLine(failure);
        return 1;
    }
    return 0;
}

static int Ingest(string file)
{
    var clock = Stopwatch.StartNew();
    using var content = File.OpenRead(file);
    RawNgsFileArrived? arrived = null;
    var ingestion = BatchIngestor.Ingest(new DateOnly(2026, 1, 1), $"2026-01-01/ngs/{Path.GetFileName(file)}", content, e => arrived = e as RawNgsFileArrived);
    if (ingestion.Failure is { } failure || arrived is null)
    {
        Console.Error.WriteLine(ingestion.Failure?.ToString() ?? "no raw-file event");
        return 1;
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"ingested {arrived.Kind} sha256={arrived.ContentHash[..12]}… fusions={arrived.Fusions.Count} mutations={arrived.Mutations.Count} elapsed_ms={clock.ElapsedMilliseconds}"));
    return 0;
}

static int SpillSizes(int patients, int days)
{
    var root = Path.Combine(Path.GetTempPath(), $"lcnec-spill-sizes-{Guid.NewGuid():N}");
    try
    {
        ArchiveGenerator.Generate(new GeneratorOptions { Patients = patients, Days = days, Seed = 42, Start = new DateOnly(2024, 1, 1) }, root);
        var facts = new List<TimelineEvent>();
        var archive = new FolderBatchArchive(root);
        foreach (var date in archive.BatchDates())
        {
            foreach (var file in archive.Files(date))
            {
                LocalRun.IngestFile(date, file, facts.Add);
            }
        }
        var groups = facts.Select(TimelineStore.Lean).Where(PatientFactCodec.CanWrite)
            .GroupBy(f => ((IPatientFact)f).Mrn, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
        var blobs = groups.Select(g => PatientFactCodec.Write(g)).ToList();
        var patientCount = groups.Count;
        long blobBytes = 0, allocated = 0;
        var count = 0;
        using var spill = new SpillFile();
        foreach (var blob in blobs)
        {
            spill.Append(blob);
            blobBytes += blob.Length;
            var before = GC.GetAllocatedBytesForCurrentThread();
            // What a woken patient's facts cost as objects (strings shared within the blob).
            var read = PatientFactCodec.Read(blob);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            count += read.Count;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"patients={patientCount} facts={count} facts_per_patient={(double)count / patientCount:F1} blob_bytes_per_patient={(double)blobBytes / patientCount:F0} on_disk_bytes_per_patient={(double)spill.BytesWritten / patientCount:F0} read_allocated_bytes_per_patient={(double)allocated / patientCount:F0}"));
        return 0;
    }
    finally
    {
        Directory.Delete(root, recursive: true);
    }
}
