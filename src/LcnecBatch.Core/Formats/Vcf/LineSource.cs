using System.Buffers;

namespace LcnecBatch.Core.Formats.Vcf;

/// <summary>
/// Lines of a byte stream, forward-only, without copying: a line is a slice of <see cref="Buffer"/> valid until the
/// next call. LF or CRLF endings; a last line without one is still a line. Decompression errors surface here with
/// the number of the line being read.
/// </summary>
internal sealed class LineSource : IDisposable
{
    private const int InitialSize = 1 << 20;

    private readonly Stream _stream;
    private readonly int _maxLineLength;
    private int _start;
    private int _end;
    private int _scanned;
    private bool _endOfInput;

    public LineSource(Stream stream, int maxLineLength)
    {
        _stream = stream;
        _maxLineLength = maxLineLength;
        Buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialSize, Math.Max(maxLineLength, 1024)));
    }

    public byte[] Buffer { get; private set; }

    /// <summary>The 1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    public bool TryReadLine(out int start, out int length)
    {
        while (true)
        {
            var newline = Buffer.AsSpan(_scanned, _end - _scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var lineEnd = _scanned + newline;
                start = _start;
                length = lineEnd - _start;
                _start = _scanned = lineEnd + 1;
                return Complete(start, ref length);
            }
            _scanned = _end;
            if (_endOfInput)
            {
                if (_start == _end)
                {
                    start = length = 0;
                    return false;
                }
                start = _start;
                length = _end - _start;
                _start = _scanned = _end;
                return Complete(start, ref length);
            }
            Fill();
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(Buffer);
        Buffer = [];
        _stream.Dispose();
    }

    private bool Complete(int start, ref int length)
    {
        LineNumber++;
        if (length > 0 && Buffer[start + length - 1] == (byte)'\r')
        {
            length--;
        }
        if (length > _maxLineLength)
        {
            throw NgsFormatError.At(LineNumber, null, null, $"line is longer than {_maxLineLength} bytes");
        }
        return true;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.AsSpan(_start, _end - _start).CopyTo(Buffer);
            _end -= _start;
            _scanned -= _start;
            _start = 0;
        }
        if (_end == Buffer.Length)
        {
            if (Buffer.Length > _maxLineLength)
            {
                throw NgsFormatError.At(LineNumber + 1, null, null, $"line is longer than {_maxLineLength} bytes");
            }
            var bigger = ArrayPool<byte>.Shared.Rent(Buffer.Length * 2);
            Buffer.AsSpan(0, _end).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(Buffer);
            Buffer = bigger;
        }
        int read;
        try
        {
            read = _stream.Read(Buffer, _end, Buffer.Length - _end);
        }
        catch (CorruptInputException e)
        {
            throw NgsFormatError.At(LineNumber + 1, null, null, e.Message, e);
        }
        if (read == 0)
        {
            _endOfInput = true;
        }
        _end += read;
    }
}

/// <summary>
/// The lines of a <see cref="LineSource"/> as strings (UTF-8, invalid bytes replaced), for the tab-separated fusion
/// tables: the same line endings, length bound and positioned errors as the VCF reader.
/// </summary>
internal sealed class Utf8LineReader(Stream stream, int maxLineLength) : TextReader
{
    private readonly LineSource _lines = new(stream, maxLineLength);

    public override string? ReadLine() =>
        _lines.TryReadLine(out var start, out var length) ? System.Text.Encoding.UTF8.GetString(_lines.Buffer, start, length) : null;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _lines.Dispose();
        }
        base.Dispose(disposing);
    }
}
