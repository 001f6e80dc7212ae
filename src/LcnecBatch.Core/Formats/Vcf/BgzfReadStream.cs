using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace LcnecBatch.Core.Formats.Vcf;

/// <summary>
/// BGZF (blocked gzip, what bgzip and htslib write): a series of gzip members of at most 64 KiB each, whose
/// compressed size is in the header. Blocks are independent, so batches of them are inflated on the thread pool
/// while the reader consumes earlier ones in order. Checks each block's CRC-32 and length, and the end-of-file
/// marker block bgzip always writes: its absence means the file was cut at a block boundary.
/// </summary>
internal sealed class BgzfReadStream : ForwardReadStream
{
    private const int BlocksPerBatch = 16;
    private const int MaxBlockSize = 1 << 16;
    private const int HeaderSize = 18;
    private const int TrailerSize = 8;

    private readonly Stream _input;
    private readonly int _maxPending;
    private readonly Queue<Task<Batch>> _pending = new();
    private Batch? _current;
    private int _currentOffset;
    private long _compressedOffset;
    private bool _inputDone;
    private bool _lastBlockWasEof;
    private long _blockCount;

    /// <param name="threads">Blocks inflated in parallel: 0 for one batch per processor, 1 to inflate on the reading thread.</param>
    public BgzfReadStream(Stream input, int threads)
    {
        _input = input;
        _maxPending = threads switch
        {
            1 => 0,
            <= 0 => Environment.ProcessorCount + 1,
            _ => threads + 1,
        };
    }

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            if (_current is { } batch)
            {
                var available = batch.OutputLength - _currentOffset;
                if (available > 0)
                {
                    var n = Math.Min(available, buffer.Length);
                    batch.Output.AsSpan(_currentOffset, n).CopyTo(buffer);
                    _currentOffset += n;
                    return n;
                }
                _current = null;
                batch.Release();
                if (batch.Error is { } error)
                {
                    _inputDone = true;
                    throw error;
                }
            }
            if (!NextBatch())
            {
                return 0;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            while (_pending.TryDequeue(out var task))
            {
                task.GetAwaiter().GetResult().Release();
            }
            _current?.Release();
            _current = null;
            _input.Dispose();
        }
        base.Dispose(disposing);
    }

    private bool NextBatch()
    {
        while (!_inputDone && _pending.Count < _maxPending)
        {
            var raw = ReadBatch();
            if (_inputDone && _pending.Count == 0)
            {
                // The last batch with nothing ahead of it (all of a small file): no other thread to wait for.
                _current = Inflate(raw);
                _currentOffset = 0;
                return true;
            }
            _pending.Enqueue(Task.Run(() => Inflate(raw)));
        }
        if (_pending.TryDequeue(out var next))
        {
            _current = next.GetAwaiter().GetResult();
            _currentOffset = 0;
            return true;
        }
        if (_inputDone)
        {
            return false;
        }
        // Single-threaded: read and inflate on this thread.
        _current = Inflate(ReadBatch());
        _currentOffset = 0;
        return true;
    }

    /// <summary>Reads the next blocks' compressed bytes; an input error ends the batch and is raised after its good blocks.</summary>
    private Batch ReadBatch()
    {
        var batch = new Batch();
        Span<byte> header = stackalloc byte[HeaderSize];
        try
        {
            while (batch.Blocks.Count < BlocksPerBatch)
            {
                var got = _input.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
                if (got == 0)
                {
                    _inputDone = true;
                    if (!_lastBlockWasEof)
                    {
                        throw new CorruptInputException(_blockCount == 0
                            ? "BGZF data is empty"
                            : $"BGZF data ends without its end-of-file marker block after {_blockCount} blocks: the file is truncated");
                    }
                    break;
                }
                if (got < HeaderSize)
                {
                    throw Truncated();
                }
                var blockSize = ParseHeader(header);
                var block = batch.Add(blockSize, _compressedOffset);
                header.CopyTo(block);
                if (_input.ReadAtLeast(block[HeaderSize..], blockSize - HeaderSize, throwOnEndOfStream: false) < blockSize - HeaderSize)
                {
                    batch.RemoveLast();
                    throw Truncated();
                }
                var inflated = BinaryPrimitives.ReadInt32LittleEndian(block[^4..]);
                _lastBlockWasEof = inflated == 0;
                _compressedOffset += blockSize;
                _blockCount++;
            }
        }
        catch (CorruptInputException e)
        {
            _inputDone = true;
            batch.Error = e;
        }
        return batch;
    }

    // A BGZF header is a gzip header with FEXTRA and a "BC" subfield holding the block size minus one.
    private int ParseHeader(ReadOnlySpan<byte> header)
    {
        if (header[0] != 0x1F || header[1] != 0x8B || header[2] != 8)
        {
            throw new CorruptInputException($"BGZF block {_blockCount + 1} at compressed byte {_compressedOffset} has no gzip header: the file is corrupt");
        }
        var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
        if ((header[3] & 4) == 0 || extraLength != 6 || header[12] != (byte)'B' || header[13] != (byte)'C' || BinaryPrimitives.ReadUInt16LittleEndian(header[14..]) != 2)
        {
            throw new CorruptInputException($"gzip member at compressed byte {_compressedOffset} is not a BGZF block (no BC field): the file mixes BGZF and plain gzip");
        }
        var size = BinaryPrimitives.ReadUInt16LittleEndian(header[16..]) + 1;
        if (size < HeaderSize + TrailerSize + 2)
        {
            throw new CorruptInputException($"BGZF block {_blockCount + 1} at compressed byte {_compressedOffset} declares an impossible size: the file is corrupt");
        }
        return size;
    }

    private CorruptInputException Truncated() =>
        new($"BGZF data ends inside block {_blockCount + 1} (compressed byte {_compressedOffset}): the file is truncated");

    private static Batch Inflate(Batch batch)
    {
        batch.Output = ArrayPool<byte>.Shared.Rent(Math.Max(1, batch.Blocks.Count) * MaxBlockSize);
        var output = 0;
        foreach (var (start, length, offset) in batch.Blocks)
        {
            var block = batch.Input.AsSpan(start, length);
            var expected = BinaryPrimitives.ReadInt32LittleEndian(block[^4..]);
            if (expected is < 0 or > MaxBlockSize)
            {
                batch.Error = new CorruptInputException($"BGZF block at compressed byte {offset} declares more than 64 KiB of data: the file is corrupt");
                break;
            }
            try
            {
                // GZipStream checks the block's CRC-32 when it reaches the trailer; a block whose deflate data stops
                // short is caught by the length check below.
                using var gzip = new GZipStream(new MemoryStream(batch.Input, start, length, writable: false), CompressionMode.Decompress);
                var got = gzip.ReadAtLeast(batch.Output.AsSpan(output, MaxBlockSize), MaxBlockSize, throwOnEndOfStream: false);
                if (got != expected)
                {
                    batch.Error = new CorruptInputException($"BGZF block at compressed byte {offset} inflates to a different length than its trailer says: the file is corrupt");
                    break;
                }
                output += got;
            }
            catch (InvalidDataException e)
            {
                batch.Error = new CorruptInputException($"BGZF block at compressed byte {offset} is corrupt (bad deflate data or CRC-32): the file is corrupt", e);
                break;
            }
        }
        batch.OutputLength = output;
        return batch;
    }

    /// <summary>Consecutive blocks: their compressed bytes in, their inflated bytes out, and the error that ended them.</summary>
    private sealed class Batch
    {
        public byte[] Input { get; private set; } = ArrayPool<byte>.Shared.Rent(BlocksPerBatch * MaxBlockSize / 2);

        public List<(int Start, int Length, long Offset)> Blocks { get; } = [];

        public int InputLength { get; private set; }

        public byte[] Output { get; set; } = [];

        public int OutputLength { get; set; }

        public CorruptInputException? Error { get; set; }

        public Span<byte> Add(int size, long offset)
        {
            if (InputLength + size > Input.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(Input.Length * 2, InputLength + size));
                Input.AsSpan(0, InputLength).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(Input);
                Input = bigger;
            }
            Blocks.Add((InputLength, size, offset));
            InputLength += size;
            return Input.AsSpan(InputLength - size, size);
        }

        /// <summary>Forgets a block whose bytes did not all arrive: it is evidence of truncation, not data.</summary>
        public void RemoveLast()
        {
            InputLength = Blocks[^1].Start;
            Blocks.RemoveAt(Blocks.Count - 1);
        }

        public void Release()
        {
            ArrayPool<byte>.Shared.Return(Input);
            if (Output.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(Output);
            }
            Input = [];
            Output = [];
        }
    }
}
