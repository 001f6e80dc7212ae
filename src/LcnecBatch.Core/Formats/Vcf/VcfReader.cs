using System.Text;

namespace LcnecBatch.Core.Formats.Vcf;

/// <summary>Options of <see cref="VcfReader"/>; the defaults suit a screening scan.</summary>
public sealed record VcfReaderOptions
{
    /// <summary>BGZF blocks inflated in parallel: 0 for one batch per processor, 1 to inflate on the reading thread.</summary>
    public int DecompressionThreads { get; init; }

    /// <summary>A longer line is a format error rather than a reason to buffer without bound.</summary>
    public int MaxLineLength { get; init; } = 64 * 1024 * 1024;
}

/// <summary>
/// A streaming, forward-only VCF 4.0–4.5 reader over plain, gzip or BGZF input (detected from content). The header
/// is read by <see cref="Open(Stream, VcfReaderOptions?)"/>; each <see cref="Read"/> moves <see cref="Current"/> to the next record. Every error
/// is a <see cref="FileFormatException"/> naming line, column and reason.
/// </summary>
public sealed class VcfReader : IDisposable
{
    private readonly LineSource _lines;
    private readonly int _expectedColumns;

    private VcfReader(LineSource lines, VcfHeader header, NgsCompression compression)
    {
        _lines = lines;
        Header = header;
        Compression = compression;
        Current = new VcfRecord(header);
        _expectedColumns = header.Samples.Count > 0 ? 9 + header.Samples.Count : 8;
    }

    public VcfHeader Header { get; }

    public NgsCompression Compression { get; }

    public VcfRecord Current { get; }

    public long RecordCount { get; private set; }

    /// <summary>Opens a VCF and reads its header. The reader owns <paramref name="content"/> and disposes it.</summary>
    public static VcfReader Open(Stream content, VcfReaderOptions? options = null)
    {
        options ??= new VcfReaderOptions();
        var decompressed = CompressedInput.Open(content, options.DecompressionThreads, out var compression);
        return Open(decompressed, compression, options);
    }

    /// <summary>Opens already-decompressed content whose compression was detected by the caller.</summary>
    internal static VcfReader Open(Stream decompressed, NgsCompression compression, VcfReaderOptions options)
    {
        var lines = new LineSource(decompressed, options.MaxLineLength);
        try
        {
            var header = ReadHeader(lines);
            return new VcfReader(lines, header, compression);
        }
        catch
        {
            lines.Dispose();
            throw;
        }
    }

    /// <summary>Moves to the next record; false at the end of the file.</summary>
    public bool Read()
    {
        while (_lines.TryReadLine(out var start, out var length))
        {
            if (length == 0)
            {
                continue;
            }
            if (_lines.Buffer[start] == (byte)'#')
            {
                throw NgsFormatError.At(_lines.LineNumber, 1, "CHROM", "header line after the first record");
            }
            Current.Load(_lines.Buffer, start, length, _lines.LineNumber, _expectedColumns);
            RecordCount++;
            return true;
        }
        return false;
    }

    public void Dispose() => _lines.Dispose();

    private static VcfHeader ReadHeader(LineSource lines)
    {
        var header = new VcfHeader();
        var first = true;
        while (lines.TryReadLine(out var start, out var length))
        {
            var bytes = lines.Buffer.AsSpan(start, length);
            if (first && bytes.StartsWith("\uFEFF"u8))
            {
                bytes = bytes[3..];
            }
            var line = Encoding.UTF8.GetString(bytes);
            if (first)
            {
                header.ReadFileFormat(line, lines.LineNumber);
                first = false;
            }
            else if (line.StartsWith("##", StringComparison.Ordinal))
            {
                header.ReadMeta(line, lines.LineNumber);
            }
            else if (line.StartsWith("#CHROM", StringComparison.Ordinal))
            {
                header.ReadColumns(line, lines.LineNumber);
                return header;
            }
            else
            {
                throw NgsFormatError.At(lines.LineNumber, null, null, "header ends without the #CHROM line");
            }
        }
        throw NgsFormatError.At(lines.LineNumber + 1, null, null, first ? "file is empty" : "header ends without the #CHROM line");
    }
}
