using System.Globalization;

namespace LcnecBatch.Core.Pipeline;

/// <summary>One batch folder on disk: its date and its files as paths relative to the archive root.</summary>
public sealed record BatchFolder(DateOnly Date, string Directory, string Name)
{
    /// <summary>Every regular file of the batch, in ordinal order, as <c>{Name}/{relative}</c>. Links are not followed.</summary>
    public IReadOnlyList<string> Files()
    {
        var files = new List<string>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint | FileAttributes.Hidden, IgnoreInaccessible = true };
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*", options))
        {
            var relative = Path.GetRelativePath(Directory, file).Replace('\\', '/');
            files.Add($"{Name}/{relative}");
        }
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    public string FullPath(string sourcePath) =>
        Path.Combine(Directory, sourcePath[(sourcePath.IndexOf('/') + 1)..].Replace('/', Path.DirectorySeparatorChar));
}

/// <summary>
/// An archive on disk: either one batch folder named <c>yyyy-MM-dd</c>, or a root holding such folders.
/// Batches come back in date order.
/// </summary>
public static class ArchiveFolder
{
    public static bool TryParseBatchName(string name, out DateOnly date) =>
        DateOnly.TryParseExact(name, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static IReadOnlyList<BatchFolder> Discover(string path)
    {
        var directory = new DirectoryInfo(path);
        if (!directory.Exists)
        {
            throw new DirectoryNotFoundException($"no such folder: {path}");
        }
        if (TryParseBatchName(directory.Name, out var single))
        {
            return [new BatchFolder(single, directory.FullName, directory.Name)];
        }
        return directory.EnumerateDirectories()
            .Where(d => (d.Attributes & FileAttributes.ReparsePoint) == 0)
            .Select(d => TryParseBatchName(d.Name, out var date) ? new BatchFolder(date, d.FullName, d.Name) : null)
            .OfType<BatchFolder>()
            .OrderBy(b => b.Date)
            .ToList();
    }
}
