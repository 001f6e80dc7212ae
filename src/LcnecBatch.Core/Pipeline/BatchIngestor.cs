using System.Security.Cryptography;
using System.Text.RegularExpressions;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Formats.Csv;

namespace LcnecBatch.Core.Pipeline;

public enum BatchFileKind { Manifest, Csv, RawNgs, Ignored }

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

    public bool Quarantined => Failure is not null;
}

/// <summary>
/// Turns one file of a batch into events, whatever carries it: the single entry point the command line
/// and the Functions app share. Never throws for bad input: a bad row is a rejection, a bad file a failure.
/// </summary>
public static partial class BatchIngestor
{
    [GeneratedRegex(@"^ngs/(?<accession>[A-Za-z0-9][A-Za-z0-9_-]*)\.(?<kind>vcf|vcf\.gz|vcf\.bgz|arriba\.tsv|star-fusion\.tsv)$", RegexOptions.IgnoreCase)]
    private static partial Regex RawNgsName();

    /// <param name="sourcePath">Path relative to the archive root: <c>{yyyy-MM-dd}/{file in batch}</c>.</param>
    public static FileIngestion Ingest(DateOnly batchDate, string sourcePath, Stream content, Action<TimelineEvent> onEvent)
    {
        ArgumentNullException.ThrowIfNull(sourcePath);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(onEvent);
        var inBatch = sourcePath[(sourcePath.IndexOf('/') + 1)..];
        var rejections = new List<Rejection>();
        var kindOfFile = BatchFileKind.Ignored;
        // A file is taken whole or not at all: events are held back until the file has been read to its end,
        // so a file quarantined half-way leaves no partial facts behind.
        var events = new List<TimelineEvent>();
        try
        {
            if (inBatch.Equals("manifest.json", StringComparison.OrdinalIgnoreCase))
            {
                kindOfFile = BatchFileKind.Manifest;
                var manifest = BatchManifest.Parse(content, sourcePath, rejections);
                return new FileIngestion(sourcePath, BatchFileKind.Manifest, 0, 0, rejections, null) { Manifest = manifest };
            }
            if (ExportFiles.TryGetKind(inBatch, out var kind))
            {
                kindOfFile = BatchFileKind.Csv;
                var counts = CsvExportReader.Read(kind, content, sourcePath, batchDate, events.Add, rejections.Add);
                events.ForEach(onEvent);
                return new FileIngestion(sourcePath, BatchFileKind.Csv, counts.Read, counts.Accepted, rejections, null);
            }
            if (RawNgsName().Match(inBatch) is { Success: true } raw)
            {
                kindOfFile = BatchFileKind.RawNgs;
                onEvent(new RawNgsFileArrived
                {
                    KnownOn = batchDate,
                    Source = new SourceRef(sourcePath, 0),
                    Accession = raw.Groups["accession"].Value.ToUpperInvariant(),
                    Kind = raw.Groups["kind"].Value.ToLowerInvariant() switch
                    {
                        "arriba.tsv" => RawNgsKind.Arriba,
                        "star-fusion.tsv" => RawNgsKind.StarFusion,
                        _ => RawNgsKind.Vcf,
                    },
                    ContentHash = Convert.ToHexStringLower(SHA256.HashData(content)),
                });
                return new FileIngestion(sourcePath, BatchFileKind.RawNgs, 0, 0, rejections, null);
            }
            return new FileIngestion(sourcePath, BatchFileKind.Ignored, 0, 0, rejections, null);
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
}
