using System.Buffers.Binary;
using System.IO.Compression;

namespace LcnecBatch.Core.Formats.Vcf;

/// <summary>
/// Writes BGZF, as bgzip does: blocks of at most 65,280 input bytes, each a gzip member whose header carries its
/// compressed size, closed by the empty end-of-file block. <see cref="Flush"/> ends the current block, so a caller
/// can put a block (member) boundary at any byte.
/// </summary>
public sealed class BgzfWriteStream(Stream output, CompressionLevel level = CompressionLevel.Fastest, bool leaveOpen = false) : Stream
{
    private const int MaxInput = 65280;
    private const int MaxBlock = 65536;

    private static readonly byte[] EndOfFile =
        [0x1F, 0x8B, 8, 4, 0, 0, 0, 0, 0, 0xFF, 6, 0, (byte)'B', (byte)'C', 2, 0, 0x1B, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private readonly byte[] _pending = new byte[MaxInput];
    private readonly MemoryStream _deflated = new(MaxBlock);
    private int _length;
    private bool _closed;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_closed;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        while (!buffer.IsEmpty)
        {
            var n = Math.Min(buffer.Length, MaxInput - _length);
            buffer[..n].CopyTo(_pending.AsSpan(_length));
            _length += n;
            buffer = buffer[n..];
            if (_length == MaxInput)
            {
                WriteBlock();
            }
        }
    }

    /// <summary>Ends the current block (when it holds anything) and flushes the output.</summary>
    public override void Flush()
    {
        if (_length > 0)
        {
            WriteBlock();
        }
        output.Flush();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closed)
        {
            Flush();
            output.Write(EndOfFile);
            output.Flush();
            _closed = true;
            _deflated.Dispose();
            if (!leaveOpen)
            {
                output.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    private void WriteBlock()
    {
        var data = _pending.AsSpan(0, _length);
        Deflate(data, level);
        if (_deflated.Length + 26 > MaxBlock)
        {
            // Incompressible data: stored blocks cost 5 bytes per 64 KiB, which always fits.
            Deflate(data, CompressionLevel.NoCompression);
        }
        var size = (int)_deflated.Length + 26;
        Span<byte> header = stackalloc byte[18];
        EndOfFile.AsSpan(0, 18).CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[16..], (ushort)(size - 1));
        output.Write(header);
        output.Write(_deflated.GetBuffer().AsSpan(0, (int)_deflated.Length));
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32.Update(0, data));
        BinaryPrimitives.WriteInt32LittleEndian(trailer[4..], _length);
        output.Write(trailer);
        _length = 0;
    }

    private void Deflate(ReadOnlySpan<byte> data, CompressionLevel compression)
    {
        _deflated.SetLength(0);
        using var deflate = new DeflateStream(_deflated, compression, leaveOpen: true);
        deflate.Write(data);
    }
}
