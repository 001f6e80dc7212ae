namespace LcnecBatch.Core.Pipeline;

/// <summary>One file of a batch: its path relative to the archive root (<c>{yyyy-MM-dd}/{file}</c>) and how to open it.</summary>
public sealed record BatchFileRef(string SourcePath, Func<Stream> Open);

/// <summary>
/// Where batches come from: a folder on disk or a blob container. Batches are listed in date order; a
/// batch's files in ordinal order of their path.
/// </summary>
public interface IBatchArchive
{
    IReadOnlyList<DateOnly> BatchDates();

    IReadOnlyList<BatchFileRef> Files(DateOnly batchDate);

    /// <summary>Where quarantined copies of a bad file come from; null when the archive cannot give a local path.</summary>
    string? LocalPath(string sourcePath) => null;
}

/// <summary>An archive folder on disk (see <see cref="ArchiveFolder"/>).</summary>
public sealed class FolderBatchArchive(string path) : IBatchArchive
{
    private readonly IReadOnlyList<BatchFolder> _batches = ArchiveFolder.Discover(path);

    public IReadOnlyList<DateOnly> BatchDates() => [.. _batches.Select(b => b.Date)];

    public IReadOnlyList<BatchFileRef> Files(DateOnly batchDate)
    {
        var batch = _batches.Single(b => b.Date == batchDate);
        return [.. batch.Files().Select(f => new BatchFileRef(f, () => File.OpenRead(batch.FullPath(f))))];
    }

    public string? LocalPath(string sourcePath)
    {
        var name = sourcePath[..sourcePath.IndexOf('/')];
        return _batches.FirstOrDefault(b => b.Name == name)?.FullPath(sourcePath);
    }
}
