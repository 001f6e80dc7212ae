using System.Text.RegularExpressions;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Formats.Csv;
using LcnecBatch.Core.Formats.Fhir;
using LcnecBatch.Core.Formats.Hl7v2;
using LcnecBatch.Core.Genomics;

namespace LcnecBatch.Core.Pipeline;

public enum BatchFileKind { Manifest, Csv, Hl7v2, Fhir, RawNgs, NotAnInput, Responses }

/// <summary>What became of one file: counts reconcile (read = accepted + rejected).</summary>
public sealed record FileIngestion(
    string Source,
    BatchFileKind Kind,
    int RowsRead,
    int RowsAccepted,
    IReadOnlyList<Rejection> Rejections,
    FileFailure? Failure)
{
    public int RowsRejected => Rejections.Count;

    public BatchManifest? Manifest { get; init; }

    /// <summary>A raw NGS file whose sample columns do not name its accession (reported, and said in its alerts).</summary>
    public bool SampleMismatch { get; init; }

    public bool Quarantined => Failure is not null;

    /// <summary>Why a file of the batch was not read at all (its name is no input of the export format); null when it was.</summary>
    public string? NotAnInputReason { get; init; }

    /// <summary>A file of the batch that no reader takes: never silent, it is reported and the run ends with exit 1.</summary>
    public static FileIngestion NotAnInput(string sourcePath, string reason) =>
        new(sourcePath, BatchFileKind.NotAnInput, 0, 0, [], null) { NotAnInputReason = reason };
}

/// <summary>
/// Turns one file of a batch into events, whatever carries it: the single entry point the command line
/// and the Functions app share. Never throws for bad input: a bad row is a rejection, a bad file a failure.
/// </summary>
public static partial class BatchIngestor
{
    [GeneratedRegex(@"^ngs/(?<accession>[A-Za-z0-9][A-Za-z0-9_-]*)\.(?<kind>vcf|vcf\.gz|vcf\.bgz|arriba\.tsv|star-fusion\.tsv)$", RegexOptions.IgnoreCase)]
    private static partial Regex RawNgsName();

    // HL7 v2 batches are *.hl7, or *.txt that start with an MSH/FHS/BHS segment; FHIR R4 is *.json
    // (other than manifest.json) or bulk *.ndjson, outside ngs/.
    [GeneratedRegex(@"^(?!ngs/)[^/].*\.(?:hl7|txt)$", RegexOptions.IgnoreCase)]
    private static partial Regex Hl7v2Name();

    [GeneratedRegex(@"^(?!ngs/)(?!manifest\.json$)[^/].*\.(?<ext>json|ndjson)$", RegexOptions.IgnoreCase)]
    private static partial Regex FhirName();

    /// <summary>
    /// Peeks at a seekable stream (or trusts the name) to tell an HL7 text file from any other .txt: after an
    /// optional UTF-8 BOM (EF BB BF; HL7 files are UTF-8, so no other) and blank lines, a line starts with MSH, FHS or BHS.
    /// </summary>
    private static bool StartsWithMsh(Stream content)
    {
        if (!content.CanSeek)
        {
            return true;
        }
        Span<byte> head = stackalloc byte[256];
        var n = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        content.Seek(-n, SeekOrigin.Current);
        ReadOnlySpan<byte> text = head[..n];
        if (text.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            text = text[3..];
        }
        var lineStart = 0;
        for (var i = 0; i < text.Length && text[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'; i++)
        {
            if (text[i] is (byte)'\r' or (byte)'\n')
            {
                lineStart = i + 1;
            }
        }
        text = text[lineStart..];
        return text.StartsWith("MSH"u8) || text.StartsWith("FHS"u8) || text.StartsWith("BHS"u8);
    }

    /// <param name="sourcePath">Path relative to the archive root: <c>{yyyy-MM-dd}/{file in batch}</c>.</param>
    /// <param name="ngsOptions">How raw NGS files are scanned (build, caller filters); null for the defaults.</param>
    public static FileIngestion Ingest(DateOnly batchDate, string sourcePath, Stream content, Action<TimelineEvent> onEvent, NgsScanOptions? ngsOptions = null)
    {
        ArgumentNullException.ThrowIfNull(sourcePath);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(onEvent);
        var inBatch = sourcePath[(sourcePath.IndexOf('/') + 1)..];
        var rejections = new List<Rejection>();
        var kindOfFile = BatchFileKind.NotAnInput;
        // A file is taken whole or not at all: events are held back until the file has been read to its end,
        // so a file quarantined half-way leaves no partial facts behind.
        var events = new List<TimelineEvent>();
        try
        {
            if (inBatch.Equals("manifest.json", StringComparison.OrdinalIgnoreCase))
            {
                kindOfFile = BatchFileKind.Manifest;
                var manifest = BatchManifest.Parse(content, sourcePath, rejections);
                return new FileIngestion(sourcePath, BatchFileKind.Manifest, manifest.EntriesRead, manifest.EntriesAccepted, rejections, null) { Manifest = manifest };
            }
            if (ExportFiles.TryGetKind(inBatch, out var kind))
            {
                kindOfFile = BatchFileKind.Csv;
                var counts = CsvExportReader.Read(kind, content, sourcePath, batchDate, events.Add, rejections.Add);
                events.ForEach(onEvent);
                return new FileIngestion(sourcePath, BatchFileKind.Csv, counts.Read, counts.Accepted, rejections, null);
            }
            if (Hl7v2Name().IsMatch(inBatch) && (inBatch.EndsWith(".hl7", StringComparison.OrdinalIgnoreCase) || StartsWithMsh(content)))
            {
                kindOfFile = BatchFileKind.Hl7v2;
                var counts = Hl7v2ExportReader.Read(content, sourcePath, batchDate, events.Add, rejections.Add);
                events.ForEach(onEvent);
                return new FileIngestion(sourcePath, kindOfFile, counts.Read, counts.Accepted, rejections, null);
            }
            if (FhirName().Match(inBatch) is { Success: true } fhir)
            {
                kindOfFile = BatchFileKind.Fhir;
                var ndjson = fhir.Groups["ext"].Value.Equals("ndjson", StringComparison.OrdinalIgnoreCase);
                var counts = FhirExportReader.Read(content, sourcePath, batchDate, events.Add, rejections.Add, ndjson);
                events.ForEach(onEvent);
                return new FileIngestion(sourcePath, kindOfFile, counts.Read, counts.Accepted, rejections, null);
            }
            if (RawNgsName().Match(inBatch) is { Success: true } raw)
            {
                kindOfFile = BatchFileKind.RawNgs;
                return IngestRawNgs(batchDate, sourcePath, inBatch, raw.Groups["accession"].Value, content, ngsOptions, onEvent);
            }
            return FileIngestion.NotAnInput(sourcePath, WhyNotAnInput(inBatch));
        }
        catch (FileFormatException e)
        {
            return new FileIngestion(sourcePath, kindOfFile, 0, 0, [], new FileFailure(sourcePath, e.Line, e.Reason));
        }
        catch (IOException e)
        {
            return new FileIngestion(sourcePath, kindOfFile, 0, 0, [], new FileFailure(sourcePath, null, $"file could not be read ({e.GetType().Name})"));
        }
    }

    /// <summary>What a file whose name no reader takes was probably meant to be, in words for the operator.</summary>
    private static string WhyNotAnInput(string inBatch)
    {
        var name = inBatch[(inBatch.LastIndexOf('/') + 1)..];
        if (inBatch.StartsWith("ngs/", StringComparison.OrdinalIgnoreCase))
        {
            return "not a raw NGS file name: expected ngs/{accession}.vcf, .vcf.gz, .vcf.bgz, .arriba.tsv or .star-fusion.tsv (accession: letters, digits, '-' and '_')";
        }
        if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase))
        {
            return "not a file name of the export format: the CSV files of a batch are patients.csv, pathology_reports.csv, ihc_results.csv and molecular_results.csv, at the top of the batch";
        }
        if (name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
        {
            return "a .txt file that does not start with an HL7 v2 MSH, FHS or BHS segment";
        }
        return "not a file of the export format (CSV files, manifest.json, HL7 v2 *.hl7, FHIR *.json/*.ndjson, raw NGS files under ngs/)";
    }

    /// <summary>How many fusion calls (and, apart, mutations) one raw-file event carries: the event is stored whole.</summary>
    public const int MaxCallsCarried = 32;

    /// <summary>The calls that count first, then the others, in file order, at most <see cref="MaxCallsCarried"/>.</summary>
    private static List<T> Carried<T>(IEnumerable<T> calls, Func<T, bool> counts, Func<T, long> line, out int omitted)
    {
        var all = calls.ToList();
        omitted = Math.Max(0, all.Count - MaxCallsCarried);
        return [.. all.OrderBy(c => counts(c) ? 0 : 1).ThenBy(line).Take(MaxCallsCarried).OrderBy(line)];
    }

    /// <summary>
    /// A raw NGS file is scanned for ALK fusions and resistance mutations as it is read, and hashed in the same pass.
    /// A file the scanner cannot read to its end is quarantined: half a file is not evidence that nothing is there.
    /// </summary>
    private static FileIngestion IngestRawNgs(
        DateOnly batchDate, string sourcePath, string inBatch, string accession, Stream content, NgsScanOptions? options, Action<TimelineEvent> onEvent)
    {
        AlkNgsScan scan;
        string hash;
        using (var hashing = new HashingReadStream(content))
        {
            scan = AlkNgsScanner.Scan(hashing, inBatch, options);
            hash = hashing.HashToEnd();
        }
        if (scan.Failure is { } failure)
        {
            return new FileIngestion(sourcePath, BatchFileKind.RawNgs, 0, 0, [], failure with { File = sourcePath });
        }
        var kind = scan.Format switch
        {
            NgsFileFormat.Arriba => RawNgsKind.Arriba,
            NgsFileFormat.StarFusion => RawNgsKind.StarFusion,
            _ => RawNgsKind.Vcf,
        };
        onEvent(new RawNgsFileArrived
        {
            KnownOn = batchDate,
            Source = new SourceRef(sourcePath, 0),
            Accession = accession.ToUpperInvariant(),
            Kind = kind,
            ContentHash = hash,
            Fusions = Carried(scan.Fusions.Select(FusionDetail.From), f => f.Counts, f => f.Line, out var fusionsLeft),
            Mutations = Carried(scan.Mutations.Select(MutationDetail.From), m => m.PassesFilter, m => m.Line, out var mutationsLeft),
            CallsOmitted = fusionsLeft + mutationsLeft,
            SampleMismatch = scan.SampleMismatch,
            CallsStructuralVariants = scan.CallsStructuralVariants,
        });
        return new FileIngestion(sourcePath, BatchFileKind.RawNgs, 0, 0, [], null) { SampleMismatch = scan.SampleMismatch };
    }
}
