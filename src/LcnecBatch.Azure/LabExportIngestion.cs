using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using LcnecBatch.Azure.Telemetry;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Genomics;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LcnecBatch.Azure;

/// <summary>What became of one blob, and whether its bytes were already in the ledger (nothing recorded then).</summary>
public sealed record IngestedBlob(FileIngestion Ingestion, bool AlreadyIngested);

/// <summary>
/// One blob of the <c>lab-exports</c> container, as the blob trigger hands it over: its facts go into the batch
/// state through the same <see cref="BatchIngestor"/> the command line uses, an unreadable file is copied to
/// quarantine with its sidecar (and recorded, so it is never retried), and the delivery that completes a batch
/// (manifest and every file it lists), whichever arrives last, has it screened (<see cref="BatchScreening"/>).
/// A re-delivery of the same bytes records nothing, but looks again for a complete batch left unscreened by a
/// failure (the host retrying a failed invocation).
/// Logs name blobs, batch dates and counts only: never an mrn, a name or report text.
/// </summary>
public sealed class LabExportIngestion(
    BlobServiceClient blobs,
    IBatchState state,
    BatchScreening screening,
    IOptions<LabExportOptions> options,
    IOptions<ScreeningOptions> screeningOptions,
    TimeProvider time,
    PipelineMetrics metrics,
    ILogger<LabExportIngestion> logger)
{
    private readonly LabExportOptions _options = options.Value;
    private readonly NgsScanOptions _ngs = screeningOptions.Value.Ngs.ToScanOptions();

    /// <param name="blobName">The name in the container: <c>{yyyy-MM-dd}/{path in batch}</c>.</param>
    public async Task<FileIngestion> IngestAsync(string blobName, Stream content, CancellationToken cancellationToken) =>
        (await IngestAsync(blobName, content, blobETag: null, cancellationToken)).Ingestion;

    /// <param name="blobName">The name in the container: <c>{yyyy-MM-dd}/{path in batch}</c>.</param>
    /// <param name="blobETag">
    /// The ETag of the blob version <paramref name="content"/> holds, when the caller read it itself (the sweep); else
    /// the blob's ETag is asked before the content is read (the trigger's stream was opened just before). The ledger
    /// keeps it, so the sweep knows which version it has.
    /// </param>
    public async Task<IngestedBlob> IngestAsync(string blobName, Stream content, string? blobETag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        ArgumentNullException.ThrowIfNull(content);
        if (blobName.StartsWith($"{ResponseFileRef.Folder}/", StringComparison.Ordinal))
        {
            return await IngestResponsesAsync(blobName, content, blobETag, cancellationToken);
        }
        if (!TryParseName(blobName, out var batchDate, out var pathInBatch))
        {
            return new(FileIngestion.NotAnInput(blobName, "not in a batch: blob names are {yyyy-MM-dd}/{file in batch}"), AlreadyIngested: false);
        }
        blobETag ??= await CurrentETagAsync(blobName, cancellationToken);
        using var activity = metrics.Activities.StartActivity("lcnec.ingest_file");
        var started = time.GetTimestamp();
        var events = new List<TimelineEvent>();
        FileIngestion ingestion;
        DeliveredFile file;
        using (var hashing = new HashingReadStream(content))
        {
            ingestion = BatchIngestor.Ingest(batchDate, blobName, hashing, events.Add, _ngs);
            file = new DeliveredFile(batchDate, pathInBatch, await hashing.HashToEndAsync(cancellationToken)) { BlobETag = blobETag };
        }
        if (await state.IsIngestedAsync(file, cancellationToken))
        {
            logger.AlreadyIngested(blobName);
            await state.StampAsync(file, cancellationToken);
            await screening.ScreenCompleteBatchesAsync(cancellationToken);
            return new(ingestion, AlreadyIngested: true);
        }
        if (ingestion.NotAnInputReason is { } notAnInput)
        {
            logger.NotAnInput(blobName, batchDate, notAnInput);
        }
        if (ingestion.Failure is { } failure)
        {
            await QuarantineAsync(blobName, failure, cancellationToken);
        }
        var batch = await state.RecordAsync(file, ingestion, events, cancellationToken);
        metrics.RecordFile(ingestion, content.CanSeek ? content.Length : null);
        activity?.SetTag("file.kind", PipelineMetrics.KindOf(ingestion.Kind)).SetTag("rows.read", ingestion.RowsRead).SetTag("rows.rejected", ingestion.RowsRejected);
        var elapsedMs = (long)time.GetElapsedTime(started).TotalMilliseconds;
        logger.Ingested(blobName, batchDate, ingestion.Kind, ingestion.RowsRead, ingestion.RowsAccepted, ingestion.RowsRejected, elapsedMs);
        if (batch is { IsComplete: true, Pending: true })
        {
            await screening.ScreenCompleteBatchesAsync(cancellationToken);
        }
        return new(ingestion, AlreadyIngested: false);
    }

    /// <summary>
    /// A care-team response file, <c>responses/{yyyy-MM-dd}/{name}.jsonl</c> (export-format.md, "Responses"), read by the
    /// command line's reader: its facts go to its patients' timelines, known from the folder's date, and the file is
    /// recorded apart from the batches (<see cref="IBatchState.RecordResponsesAsync"/>), so the same bytes are never read
    /// again and no batch waits for it. Nothing is screened here: the patients it names are watched while their alerts
    /// are open, and the next screening that walks them (a batch, the sweep) applies it.
    /// </summary>
    private async Task<IngestedBlob> IngestResponsesAsync(string blobName, Stream content, string? blobETag, CancellationToken cancellationToken)
    {
        if (!TryParseResponseBlobName(blobName, out var recordedOn, out var nameInFolder, out var refused))
        {
            logger.Refused(blobName, refused);
            return new(FileIngestion.NotAnInput(blobName, refused), AlreadyIngested: false);
        }
        var listed = ResponseFileRef.Select([($"{recordedOn:yyyy-MM-dd}/{nameInFolder}", new BatchFileRef(blobName, () => content))], DateOnly.MaxValue).Single();
        blobETag ??= await CurrentETagAsync(blobName, cancellationToken);
        var events = new List<TimelineEvent>();
        FileIngestion ingestion;
        DeliveredFile file;
        using (var hashing = new HashingReadStream(content))
        {
            // A file in a day's folder that is not *.jsonl is recorded as not an input (never re-read), as a batch's would be.
            ingestion = listed.File.Refused is { } notAnInput
                ? FileIngestion.NotAnInput(blobName, notAnInput)
                : LocalRun.IngestResponseFile(recordedOn, blobName, hashing, events.Add);
            file = new DeliveredFile(recordedOn, nameInFolder, await hashing.HashToEndAsync(cancellationToken)) { BlobETag = blobETag, IsResponse = true };
        }
        if (await state.IsIngestedAsync(file, cancellationToken))
        {
            logger.AlreadyIngested(blobName);
            await state.StampAsync(file, cancellationToken);
            return new(ingestion, AlreadyIngested: true);
        }
        if (ingestion.NotAnInputReason is { } reasonNot)
        {
            logger.NotAnInput(blobName, recordedOn, reasonNot);
        }
        if (ingestion.Failure is { } failure)
        {
            await QuarantineAsync(blobName, failure, cancellationToken);
        }
        await state.RecordResponsesAsync(file, ingestion, events, cancellationToken);
        metrics.RecordFile(ingestion, bytes: null);
        logger.IngestedResponses(blobName, recordedOn, ingestion.RowsRead, ingestion.RowsAccepted, ingestion.RowsRejected);
        return new(ingestion, AlreadyIngested: false);
    }

    /// <summary>A blob ETag as the ledger keeps it: without quotes, which a listing and a response header do not agree on.</summary>
    public static string VersionOf(ETag etag) => etag.ToString().Trim('"');

    /// <summary>The blob's ETag now, or null when it cannot be had (the ledger row then lacks it and the sweep reads the blob once more).</summary>
    private async Task<string?> CurrentETagAsync(string blobName, CancellationToken cancellationToken)
    {
        try
        {
            var properties = await blobs.GetBlobContainerClient(_options.Container).GetBlobClient(blobName).GetPropertiesAsync(cancellationToken: cancellationToken);
            return VersionOf(properties.Value.ETag);
        }
        catch (RequestFailedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether a blob name is a file of a batch, <c>{yyyy-MM-dd}/{path}</c> with the path in canonical form (no
    /// <c>..</c>, no empty or dot segment): the only names ever opened. <paramref name="reason"/> is null for a name
    /// not in a batch folder at all.
    /// </summary>
    public static bool TryParseBlobName(string blobName, out DateOnly batchDate, out string pathInBatch, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        pathInBatch = "";
        reason = null;
        var slash = blobName.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !ArchiveFolder.TryParseBatchName(blobName[..slash], out batchDate))
        {
            batchDate = default;
            return false;
        }
        if (!BatchPath.TryNormalize(blobName[(slash + 1)..], out pathInBatch, out var refused) || pathInBatch != blobName[(slash + 1)..])
        {
            reason = string.IsNullOrEmpty(refused) ? "path is not in canonical form" : refused;
            return false;
        }
        return true;
    }

    /// <summary>
    /// Whether a blob name is in a day's folder of care-team responses, <c>responses/{yyyy-MM-dd}/{name}</c>, in canonical
    /// form: the only response names ever opened (a name that is not <c>*.jsonl</c> is then recorded as not an input).
    /// </summary>
    public static bool TryParseResponseBlobName(string blobName, out DateOnly recordedOn, out string nameInFolder, out string reason)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        recordedOn = default;
        nameInFolder = "";
        reason = "";
        var prefix = $"{ResponseFileRef.Folder}/";
        if (!blobName.StartsWith(prefix, StringComparison.Ordinal))
        {
            reason = "not under responses/";
            return false;
        }
        var relative = blobName[prefix.Length..];
        if (!BatchPath.TryNormalize(relative, out var normalized, out var refused) || normalized != relative)
        {
            reason = $"blob name is not a path inside responses/ ({(refused.Length > 0 ? refused : "not in canonical form")})";
            return false;
        }
        var slash = relative.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !ArchiveFolder.TryParseBatchName(relative[..slash], out recordedOn))
        {
            reason = "not in a responses/{yyyy-MM-dd}/ folder";
            return false;
        }
        nameInFolder = relative[(slash + 1)..];
        return true;
    }

    private bool TryParseName(string blobName, out DateOnly batchDate, out string pathInBatch)
    {
        if (TryParseBlobName(blobName, out batchDate, out pathInBatch, out var reason))
        {
            return true;
        }
        if (reason is null)
        {
            logger.NotABatchFile(blobName);
        }
        else
        {
            logger.Refused(blobName, reason);
        }
        return false;
    }

    /// <summary>Copies the original bytes (re-read from the container, left untouched there) beside a sidecar saying where and why.</summary>
    private async Task QuarantineAsync(string blobName, FileFailure failure, CancellationToken cancellationToken)
    {
        var quarantine = blobs.GetBlobContainerClient(_options.QuarantineContainer);
        await quarantine.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var original = await blobs.GetBlobContainerClient(_options.Container).GetBlobClient(blobName).DownloadStreamingAsync(cancellationToken: cancellationToken);
        using (var bytes = original.Value.Content)
        {
            await quarantine.GetBlobClient(blobName).UploadAsync(
                bytes,
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = original.Value.Details.ContentType } },
                cancellationToken);
        }
        var sidecar = $"{blobName}.error.json";
        await quarantine.GetBlobClient(sidecar).UploadAsync(
            BinaryData.FromBytes(LocalRun.SidecarJson(failure)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken);
        logger.Quarantined(blobName, failure.Line, _options.QuarantineContainer, sidecar);
    }
}
