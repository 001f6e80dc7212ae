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
}

/// <summary>An archive folder on disk (see <see cref="ArchiveFolder"/>).</summary>
public sealed class FolderBatchArchive : IBatchArchive
{
    private readonly IReadOnlyList<BatchFolder> _batches;
    private readonly IReadOnlyList<string> _notBatches;

    public FolderBatchArchive(string path)
    {
        _batches = ArchiveFolder.Discover(path, out var notBatches);
        _notBatches = notBatches;
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
}
