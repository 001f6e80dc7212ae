using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Pipeline;

namespace LcnecBatch.Azure;

/// <summary>
/// Batches read from a blob container (<c>{yyyy-MM-dd}/{path in batch}</c>), for the command line's
/// <c>--storage/--container</c>: the same <see cref="IBatchArchive"/> a folder is, so the same run reads it. A blob
/// whose name is not a canonical path inside its batch (<c>..</c>, backslashes, empty segments) is never opened.
/// </summary>
/// <param name="onlyBatch">One batch (<c>yyyy-MM-dd</c>) instead of every batch in the container.</param>
public sealed class BlobBatchArchive(BlobContainerClient container, DateOnly? onlyBatch = null) : IBatchArchive
{
    private IReadOnlyList<DateOnly>? _dates;
    private readonly List<string> _notBatches = [];

    public IReadOnlyList<DateOnly> BatchDates() => _dates ??= ListDates();

    public IReadOnlyList<string> NotBatches()
    {
        BatchDates();
        return _notBatches;
    }

    public IReadOnlyList<BatchFileRef> Files(DateOnly batchDate)
    {
        var prefix = $"{batchDate:yyyy-MM-dd}/";
        var files = new List<BatchFileRef>();
        foreach (var blob in container.GetBlobs(BlobTraits.None, BlobStates.None, prefix, CancellationToken.None))
        {
            var inBatch = blob.Name[prefix.Length..];
            var name = blob.Name;
            if (BatchPath.TryNormalize(inBatch, out var normalized, out var reason) && normalized == inBatch)
            {
                files.Add(new BatchFileRef(name, () => container.GetBlobClient(name).OpenRead()));
            }
            else
            {
                files.Add(new BatchFileRef(name, () => throw new InvalidOperationException("a refused blob is never opened"))
                {
                    Refused = $"blob name is not a path inside its batch ({(reason.Length > 0 ? reason : "not in canonical form")}); not opened",
                });
            }
        }
        return [.. files.OrderBy(f => f.SourcePath, StringComparer.Ordinal)];
    }

    /// <summary>The container's <c>responses/{yyyy-MM-dd}/*.jsonl</c> blobs up to <paramref name="asOf"/> (none when reading one batch).</summary>
    public IReadOnlyList<ResponseFileRef> Responses(DateOnly asOf)
    {
        if (onlyBatch is not null)
        {
            return [];
        }
        var prefix = $"{ResponseFileRef.Folder}/";
        var found = new List<(string, BatchFileRef)>();
        foreach (var blob in container.GetBlobs(BlobTraits.None, BlobStates.None, prefix, CancellationToken.None))
        {
            var relative = blob.Name[prefix.Length..];
            var name = blob.Name;
            var file = BatchPath.TryNormalize(relative, out var normalized, out var reason) && normalized == relative
                ? new BatchFileRef(name, () => container.GetBlobClient(name).OpenRead())
                : new BatchFileRef(name, () => throw new InvalidOperationException("a refused blob is never opened"))
                {
                    Refused = $"blob name is not a path inside responses/ ({(reason.Length > 0 ? reason : "not in canonical form")}); not opened",
                };
            found.Add((relative, file));
        }
        return ResponseFileRef.Select(found, asOf);
    }

    private List<DateOnly> ListDates()
    {
        var dates = new List<DateOnly>();
        foreach (var item in container.GetBlobsByHierarchy(BlobTraits.None, BlobStates.None, "/", null, CancellationToken.None))
        {
            if (item.IsPrefix && ArchiveFolder.TryParseBatchName(item.Prefix.TrimEnd('/'), out var date) && (onlyBatch is null || date == onlyBatch))
            {
                dates.Add(date);
            }
            else if (item.IsPrefix && onlyBatch is null && ArchiveFolder.LooksLikeBatch(item.Prefix.TrimEnd('/')))
            {
                _notBatches.Add(item.Prefix.TrimEnd('/'));
            }
        }
        dates.Sort();
        return dates;
    }
}
