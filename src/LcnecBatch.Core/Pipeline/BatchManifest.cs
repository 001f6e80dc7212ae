using System.Text.Json;
using LcnecBatch.Core.Formats;

namespace LcnecBatch.Core.Pipeline;

/// <summary><c>manifest.json</c>: written last, it lists the files that make the batch complete.</summary>
public sealed record BatchManifest(DateOnly? BatchDate, string? Source, IReadOnlyList<string> Files)
{
    /// <summary>Parses a manifest; entries whose path would leave the batch are refused, never opened.</summary>
    public static BatchManifest Parse(Stream content, string sourcePath, List<Rejection> rejections)
    {
        ArgumentNullException.ThrowIfNull(rejections);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new FileFormatException((int?)(e.LineNumber + 1), $"manifest is not valid JSON (byte {e.BytePositionInLine} of the line)", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FileFormatException(1, "manifest must be a JSON object");
            }
            DateOnly? batchDate = null;
            if (root.TryGetProperty("batchDate", out var dateElement))
            {
                if (dateElement.ValueKind == JsonValueKind.String && Formats.Csv.IsoDate.TryParse(dateElement.GetString()!, out var date))
                {
                    batchDate = date;
                }
                else
                {
                    rejections.Add(new Rejection(sourcePath, 0, "batchDate", "value is not a date (expected yyyy-MM-dd)"));
                }
            }
            var source = root.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            var files = new List<string>();
            if (root.TryGetProperty("files", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var entry in list.EnumerateArray())
                {
                    index++;
                    if (entry.ValueKind == JsonValueKind.String && BatchPath.TryNormalize(entry.GetString(), out var normalized, out var reason))
                    {
                        files.Add(normalized);
                    }
                    else
                    {
                        var why = entry.ValueKind == JsonValueKind.String ? BatchPathReason(entry.GetString()) : "entry is not a string";
                        rejections.Add(new Rejection(sourcePath, 0, $"files[{index - 1}]", $"{why}; not opened"));
                    }
                }
            }
            else
            {
                throw new FileFormatException(1, "manifest has no \"files\" array");
            }
            return new BatchManifest(batchDate, source, files);
        }
    }

    private static string BatchPathReason(string? path)
    {
        BatchPath.TryNormalize(path, out _, out var reason);
        return reason;
    }
}
