using System.Text.Json;
using System.Text.Unicode;
using LcnecBatch.Core.Formats;

namespace LcnecBatch.Core.Pipeline;

/// <summary><c>manifest.json</c>: written last, it lists the files that make the batch complete.</summary>
public sealed record BatchManifest(DateOnly? BatchDate, string? Source, IReadOnlyList<string> Files)
{
    /// <summary>A manifest lists a night's files; one larger than this is not a manifest.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Entries considered, as rows of the manifest: each <c>files[i]</c>, and <c>batchDate</c> when present.</summary>
    public int EntriesRead { get; init; }

    /// <summary>Entries taken: the files listed, and the batch date when it parsed.</summary>
    public int EntriesAccepted => Files.Count + (BatchDate is null ? 0 : 1);

    /// <summary>
    /// Parses a manifest with <see cref="Utf8JsonReader"/>, so that a refused entry names its line. Entries whose
    /// path would leave the batch are refused, never opened; JSON that cannot be read (not UTF-8, too deep, too
    /// large, broken) throws <see cref="FileFormatException"/>.
    /// </summary>
    public static BatchManifest Parse(Stream content, string sourcePath, List<Rejection> rejections)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(rejections);
        var bytes = ReadBounded(content);
        var start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var json = bytes.AsSpan(start);
        var lines = new LineCounter(bytes, start);
        if (!Utf8.IsValid(json))
        {
            throw new FileFormatException(lines.LineOf(FirstInvalidUtf8(json)), "manifest is not valid UTF-8");
        }
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        DateOnly? batchDate = null;
        string? source = null;
        List<string>? files = null;
        var entries = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            // An empty or blank manifest throws JsonException here ("no JSON tokens").
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FileFormatException(lines.LineOf(reader.TokenStartIndex), "manifest must be a JSON object");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = Text(ref reader, lines);
                var nameLine = lines.LineOf(reader.TokenStartIndex);
                reader.Read();
                if (name is "batchDate" or "source" or "files" && !seen.Add(name))
                {
                    throw new FileFormatException(nameLine, $"manifest names \"{name}\" twice");
                }
                switch (name)
                {
                    case "batchDate":
                        entries++;
                        if (reader.TokenType == JsonTokenType.String && Formats.Csv.IsoDate.TryParse(Text(ref reader, lines), out var date))
                        {
                            batchDate = date;
                        }
                        else
                        {
                            rejections.Add(new Rejection(sourcePath, lines.LineOf(reader.TokenStartIndex), "batchDate", "value is not a date (expected yyyy-MM-dd)"));
                        }
                        break;
                    case "source":
                        source = reader.TokenType == JsonTokenType.String ? Text(ref reader, lines) : null;
                        break;
                    case "files" when reader.TokenType == JsonTokenType.StartArray:
                        files = [];
                        var fileIndex = 0;
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            var line = lines.LineOf(reader.TokenStartIndex);
                            var path = reader.TokenType == JsonTokenType.String ? Text(ref reader, lines) : null;
                            if (BatchPath.TryNormalize(path, out var normalized, out var reason))
                            {
                                files.Add(normalized);
                            }
                            else
                            {
                                rejections.Add(new Rejection(sourcePath, line, $"files[{fileIndex}]", $"{(path is null ? "entry is not a string" : reason)}; not opened"));
                                // An object or array entry is read through whole.
                                reader.Skip();
                            }
                            fileIndex++;
                            entries++;
                        }
                        break;
                    case "files":
                        throw new FileFormatException(lines.LineOf(reader.TokenStartIndex), "manifest has no \"files\" array");
                }
                // Whatever else a value holds (objects, arrays) is read through: it must still be valid JSON.
                reader.Skip();
            }
            // Nothing but comments and white space may follow the object.
            while (reader.Read())
            {
            }
        }
        catch (JsonException e)
        {
            throw new FileFormatException((int?)(e.LineNumber + 1), $"manifest is not valid JSON (byte {e.BytePositionInLine} of the line)", e);
        }
        if (files is null)
        {
            throw new FileFormatException(1, "manifest has no \"files\" array");
        }
        return new BatchManifest(batchDate, source, files) { EntriesRead = entries };
    }

    /// <summary>A string token's text; an escaped lone surrogate (<c>"\ud800"</c>) makes the manifest unreadable.</summary>
    private static string Text(ref Utf8JsonReader reader, LineCounter lines)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new FileFormatException(lines.LineOf(reader.TokenStartIndex), "manifest holds a string that is not valid Unicode", e);
        }
    }

    private static byte[] ReadBounded(Stream content)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = content.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + n > MaxBytes)
            {
                throw new FileFormatException(null, $"manifest is larger than {MaxBytes} bytes");
            }
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var at = 0;
        while (at < bytes.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes[at..], out _, out var used) != System.Buffers.OperationStatus.Done)
            {
                return at;
            }
            at += used;
        }
        return at;
    }

    /// <summary>Line numbers for byte offsets asked in increasing order: each byte is counted once.</summary>
    private sealed class LineCounter(byte[] bytes, int start)
    {
        private readonly int _start = start;
        private int _countedTo = start;
        private int _line = 1;

        /// <param name="offset">From the start of the JSON text (after any BOM).</param>
        public int LineOf(long offset)
        {
            var to = (int)Math.Clamp(_start + offset, _start, bytes.Length);
            if (to < _countedTo)
            {
                _countedTo = _start;
                _line = 1;
            }
            _line += bytes.AsSpan(_countedTo, to - _countedTo).Count((byte)'\n');
            _countedTo = to;
            return _line;
        }
    }
}
