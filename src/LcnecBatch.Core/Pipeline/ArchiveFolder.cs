using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace LcnecBatch.Core.Pipeline;

/// <summary>One batch folder on disk: its date and its files as paths relative to the archive root.</summary>
public sealed record BatchFolder(DateOnly Date, string Directory, string Name)
{
    /// <summary>
    /// Every file of the batch, in ordinal order, as <c>{Name}/{relative}</c>. Links are not followed. A FIFO, socket or
    /// device is listed but refused (opening a FIFO would wait for a writer for ever): it is never opened.
    /// </summary>
    public IReadOnlyList<BatchFileRef> Files()
    {
        var files = new List<BatchFileRef>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint | FileAttributes.Hidden, IgnoreInaccessible = true };
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*", options))
        {
            var relative = Path.GetRelativePath(Directory, file).Replace('\\', '/');
            var path = file;
            files.Add(new BatchFileRef($"{Name}/{relative}", () => File.OpenRead(path)) { Refused = UnixFileType.IsRegularFile(path) ? null : "not a regular file (a FIFO, socket or device); not opened" });
        }
        files.Sort((a, b) => string.CompareOrdinal(a.SourcePath, b.SourcePath));
        return files;
    }

    public string FullPath(string sourcePath) =>
        Path.Combine(Directory, sourcePath[(sourcePath.IndexOf('/') + 1)..].Replace('/', Path.DirectorySeparatorChar));
}

/// <summary>
/// An archive on disk: either one batch folder named <c>yyyy-MM-dd</c>, or a root holding such folders.
/// Batches come back in date order.
/// </summary>
public static partial class ArchiveFolder
{
    public static bool TryParseBatchName(string name, out DateOnly date) =>
        DateOnly.TryParseExact(name, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>A name that starts like a date (<c>2026-13-01</c>, <c>2026-1-5</c>, <c>20261001</c>, <c>2026-10-01-rerun</c>): meant as a batch.</summary>
    [GeneratedRegex(@"^\d{4}[-_.]?\d{1,2}")]
    private static partial Regex DateLike();

    /// <summary>Whether a folder or prefix name that is not a batch date looks as if it was meant to be one.</summary>
    public static bool LooksLikeBatch(string name) => !TryParseBatchName(name, out _) && DateLike().IsMatch(name);

    public static IReadOnlyList<BatchFolder> Discover(string path) => Discover(path, out _);

    /// <param name="notBatches">Folders of the root whose names look like batch dates but are not valid ones (never read).</param>
    public static IReadOnlyList<BatchFolder> Discover(string path, out IReadOnlyList<string> notBatches)
    {
        var directory = new DirectoryInfo(path);
        if (!directory.Exists)
        {
            throw new DirectoryNotFoundException($"no such folder: {path}");
        }
        if (TryParseBatchName(directory.Name, out var single))
        {
            notBatches = [];
            return [new BatchFolder(single, directory.FullName, directory.Name)];
        }
        var folders = directory.EnumerateDirectories().Where(d => (d.Attributes & FileAttributes.ReparsePoint) == 0).ToList();
        notBatches = [.. folders.Select(d => d.Name).Where(LooksLikeBatch).Order(StringComparer.Ordinal)];
        return folders
            .Select(d => TryParseBatchName(d.Name, out var date) ? new BatchFolder(date, d.FullName, d.Name) : null)
            .OfType<BatchFolder>()
            .OrderBy(b => b.Date)
            .ToList();
    }
}

/// <summary>The type of a file on Linux, asked with <c>statx</c> (whose layout is the same on every architecture).</summary>
internal static class UnixFileType
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28; // struct statx: u32 mask, u32 blksize, u64 attributes, u32 nlink, u32 uid, u32 gid, u16 mode
    private const int TypeMask = 0xF000;
    private const int RegularFile = 0x8000;

    [DllImport("libc", EntryPoint = "statx")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int dirFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    /// <summary>True for a regular file, and wherever the type cannot be asked (not Linux): only Linux has FIFOs in a batch to fear.</summary>
    public static bool IsRegularFile(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return true;
        }
        var buffer = new byte[256];
        try
        {
            if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) != 0)
            {
                return true; // gone or unreadable: opening it reports that as a read failure
            }
        }
        catch (EntryPointNotFoundException)
        {
            return true;
        }
        catch (DllNotFoundException)
        {
            return true;
        }
        var mode = BitConverter.ToUInt16(buffer, ModeOffset);
        return (mode & TypeMask) == RegularFile;
    }
}
