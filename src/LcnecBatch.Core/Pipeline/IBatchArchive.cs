namespace LcnecBatch.Core.Pipeline;

/// <summary>One file of a batch: its path relative to the archive root (<c>{yyyy-MM-dd}/{file}</c>) and how to open it.</summary>
public sealed record BatchFileRef(string SourcePath, Func<Stream> Open)
{
    /// <summary>Why the file must not be opened (not a regular file); it is then reported as not an input.</summary>
    public string? Refused { get; init; }
}

/// <summary>
/// Where batches come from: a folder on disk or a blob container. Batches are listed in date order; a
/// batch's files in ordinal order of their path.
/// </summary>
public interface IBatchArchive
{
    IReadOnlyList<DateOnly> BatchDates();

    IReadOnlyList<BatchFileRef> Files(DateOnly batchDate);

    /// <summary>Folders (or prefixes) named like a batch but not a valid <c>yyyy-MM-dd</c> date: never read, always reported.</summary>
    IReadOnlyList<string> NotBatches() => [];

    /// <summary>Where quarantined copies of a bad file come from; null when the archive cannot give a local path.</summary>
    string? LocalPath(string sourcePath) => null;

    /// <summary>
    /// The care-team response files recorded up to <paramref name="asOf"/>: <c>responses/{yyyy-MM-dd}/*.jsonl</c> under the
    /// root, outside every batch, in date then ordinal path order. Anything else under <c>responses/</c> (a folder not named
    /// by a valid date, a file that is not <c>*.jsonl</c>) comes back refused, so it is reported rather than silently skipped.
    /// </summary>
    IReadOnlyList<ResponseFileRef> Responses(DateOnly asOf) => [];
}

/// <summary>One response file and the day it was recorded (its folder's date; null when the folder is not a date).</summary>
public sealed record ResponseFileRef(DateOnly? RecordedOn, BatchFileRef File)
{
    public const string Folder = "responses";

    /// <summary>Sorts and refuses what a listing found: <paramref name="paths"/> are relative to <c>responses/</c>.</summary>
    public static IReadOnlyList<ResponseFileRef> Select(IEnumerable<(string Relative, BatchFileRef File)> paths, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var refs = new List<ResponseFileRef>();
        foreach (var (relative, file) in paths)
        {
            var slash = relative.IndexOf('/', StringComparison.Ordinal);
            var folder = slash < 0 ? "" : relative[..slash];
            var name = slash < 0 ? relative : relative[(slash + 1)..];
            if (!ArchiveFolder.TryParseBatchName(folder, out var date))
            {
                refs.Add(new ResponseFileRef(null, file with { Refused = file.Refused ?? "not in a responses/{yyyy-MM-dd}/ folder; not read" }));
            }
            else if (date <= asOf)
            {
                var refused = name.Contains('/', StringComparison.Ordinal) || !name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
                    ? "not a response file (responses/{yyyy-MM-dd}/*.jsonl); not read"
                    : null;
                refs.Add(new ResponseFileRef(date, file with { Refused = file.Refused ?? refused }));
            }
        }
        return [.. refs.OrderBy(r => r.RecordedOn ?? DateOnly.MinValue).ThenBy(r => r.File.SourcePath, StringComparer.Ordinal)];
    }
}

/// <summary>An archive folder on disk (see <see cref="ArchiveFolder"/>).</summary>
public sealed class FolderBatchArchive : IBatchArchive
{
    private readonly IReadOnlyList<BatchFolder> _batches;
    private readonly IReadOnlyList<string> _notBatches;
    private readonly string? _responsesPath;

    public FolderBatchArchive(string path)
    {
        _batches = ArchiveFolder.Discover(path, out var notBatches);
        _notBatches = notBatches;
        // A root (not a single batch folder) may hold responses/, listed when asked, like the batches' files.
        _responsesPath = ArchiveFolder.TryParseBatchName(new DirectoryInfo(path).Name, out _) ? null : Path.Combine(path, ResponseFileRef.Folder);
    }

    public IReadOnlyList<DateOnly> BatchDates() => [.. _batches.Select(b => b.Date)];

    public IReadOnlyList<BatchFileRef> Files(DateOnly batchDate)
    {
        var batch = _batches.Single(b => b.Date == batchDate);
        return batch.Files();
    }

    public IReadOnlyList<string> NotBatches() => _notBatches;

    public string? LocalPath(string sourcePath)
    {
        var name = sourcePath[..sourcePath.IndexOf('/')];
        return _batches.FirstOrDefault(b => b.Name == name)?.FullPath(sourcePath);
    }

    /// <summary>Listed as a batch folder's files are (links not followed, a FIFO refused), under <c>responses/</c>.</summary>
    public IReadOnlyList<ResponseFileRef> Responses(DateOnly asOf)
    {
        var info = _responsesPath is null ? null : new DirectoryInfo(_responsesPath);
        if (info is not { Exists: true } || (info.Attributes & FileAttributes.ReparsePoint) != 0)
        {
            return [];
        }
        var files = new BatchFolder(DateOnly.MinValue, info.FullName, ResponseFileRef.Folder).Files();
        return ResponseFileRef.Select(files.Select(f => (f.SourcePath[(ResponseFileRef.Folder.Length + 1)..], f)), asOf);
    }
}
