namespace LcnecBatch.Core.Formats;

/// <summary>
/// Paths that come from input (manifest entries, the <c>file</c> column) are untrusted: they must name a
/// file inside their own batch. Anything absolute, with a drive, a backslash or a <c>..</c> segment is refused
/// before anything is opened.
/// </summary>
public static class BatchPath
{
    public static bool TryNormalize(string? relative, out string normalized, out string reason)
    {
        normalized = "";
        if (string.IsNullOrWhiteSpace(relative))
        {
            reason = "path is empty";
            return false;
        }
        var path = relative.Trim();
        if (path.StartsWith('/') || path.Contains('\\') || path.Contains(':') || path.Contains('\0'))
        {
            reason = "path is absolute or not a plain relative path";
            return false;
        }
        var segments = path.Split('/');
        foreach (var segment in segments)
        {
            if (segment.Length == 0 || segment == ".")
            {
                reason = "path has an empty or '.' segment";
                return false;
            }
            if (segment == "..")
            {
                reason = "path leaves the batch folder";
                return false;
            }
        }
        normalized = string.Join('/', segments);
        reason = "";
        return true;
    }
}
