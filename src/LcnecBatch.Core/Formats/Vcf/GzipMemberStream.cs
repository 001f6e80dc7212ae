namespace LcnecBatch.Core.Formats.Vcf;

/// <summary>
/// Plain gzip (one member or several, not BGZF), inflated here rather than by <see cref="System.IO.Compression.GZipStream"/>,
/// which hands back a truncated file's first part without a word. Every member's header, CRC-32 and length are
/// checked, and input that ends inside a member is an error.
/// </summary>
internal sealed class GzipMemberStream(Stream input) : ForwardReadStream
{
    private const int WindowMask = (1 << 15) - 1;

    private static readonly int[] LengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
    private static readonly int[] LengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
    private static readonly int[] DistanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
    private static readonly int[] DistanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
    private static readonly int[] CodeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    private readonly byte[] _in = new byte[1 << 14];
    private readonly byte[] _window = new byte[1 << 15];
    private readonly HuffmanTable _literals = new(15);
    private readonly HuffmanTable _distances = new(15);
    private readonly HuffmanTable _codeLengths = new(7);
    private int _inPos;
    private int _inLen;
    private long _inBase;
    private ulong _bits;
    private int _bitCount;
    private int _windowPos;
    private State _state = State.MemberHeader;
    private bool _finalBlock;
    private int _storedLeft;
    private int _copyLeft;
    private int _copyDistance;
    private uint _crc;
    private long _memberOutput;
    private int _member;

    private enum State
    {
        MemberHeader,
        BlockHeader,
        Stored,
        Codes,
        Trailer,
        Done,
    }

    private long Offset => _inBase + _inPos - (_bitCount / 8);

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        var crcFrom = 0;
        while (written < buffer.Length && _state != State.Done)
        {
            switch (_state)
            {
                case State.MemberHeader:
                    ReadMemberHeader();
                    break;
                case State.BlockHeader:
                    ReadBlockHeader();
                    break;
                case State.Stored:
                    written += CopyStored(buffer[written..]);
                    break;
                case State.Codes:
                    written += Inflate(buffer[written..]);
                    break;
                case State.Trailer:
                    _crc = Crc32.Update(_crc, buffer[crcFrom..written]);
                    crcFrom = written;
                    ReadTrailer();
                    break;
            }
        }
        _crc = Crc32.Update(_crc, buffer[crcFrom..written]);
        return written;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            input.Dispose();
        }
        base.Dispose(disposing);
    }

    private void ReadMemberHeader()
    {
        _member++;
        if (Byte() != 0x1F || Byte() != 0x8B)
        {
            throw new CorruptInputException(_member == 1 ? "not gzip data" : $"data after gzip member {_member - 1} is not gzip");
        }
        if (Byte() != 8)
        {
            throw new CorruptInputException($"gzip member {_member} uses a compression method other than deflate");
        }
        var flags = Byte();
        Skip(6);
        if ((flags & 4) != 0)
        {
            Skip(Byte() | (Byte() << 8));
        }
        if ((flags & 8) != 0)
        {
            while (Byte() != 0)
            {
            }
        }
        if ((flags & 16) != 0)
        {
            while (Byte() != 0)
            {
            }
        }
        if ((flags & 2) != 0)
        {
            Skip(2);
        }
        _crc = 0;
        _memberOutput = 0;
        _finalBlock = false;
        _state = State.BlockHeader;
    }

    private void ReadBlockHeader()
    {
        if (_finalBlock)
        {
            _state = State.Trailer;
            return;
        }
        _finalBlock = Bits(1) == 1;
        switch (Bits(2))
        {
            case 0:
                DropToByte();
                var length = Bits(16);
                if ((length ^ 0xFFFF) != Bits(16))
                {
                    throw Corrupt("stored block length fails its check");
                }
                _storedLeft = length;
                _state = State.Stored;
                break;
            case 1:
                Span<byte> fixedLengths = stackalloc byte[288 + 32];
                fixedLengths[..144].Fill(8);
                fixedLengths[144..256].Fill(9);
                fixedLengths[256..280].Fill(7);
                fixedLengths[280..288].Fill(8);
                fixedLengths[288..].Fill(5);
                BuildTables(fixedLengths[..288], fixedLengths[288..]);
                _state = State.Codes;
                break;
            case 2:
                ReadDynamicTables();
                _state = State.Codes;
                break;
            default:
                throw Corrupt("invalid block type");
        }
    }

    private void ReadDynamicTables()
    {
        var literalCount = Bits(5) + 257;
        var distanceCount = Bits(5) + 1;
        var codeLengthCount = Bits(4) + 4;
        Span<byte> codeLengthLengths = stackalloc byte[19];
        for (var i = 0; i < codeLengthCount; i++)
        {
            codeLengthLengths[CodeLengthOrder[i]] = (byte)Bits(3);
        }
        if (!_codeLengths.Build(codeLengthLengths))
        {
            throw Corrupt("invalid code-length code");
        }
        Span<byte> lengths = stackalloc byte[literalCount + distanceCount];
        for (var i = 0; i < lengths.Length;)
        {
            var symbol = Decode(_codeLengths);
            if (symbol < 16)
            {
                lengths[i++] = (byte)symbol;
                continue;
            }
            var (repeat, value) = symbol switch
            {
                16 when i > 0 => (3 + Bits(2), lengths[i - 1]),
                17 => (3 + Bits(3), (byte)0),
                18 => (11 + Bits(7), (byte)0),
                _ => throw Corrupt("repeat of a code length with none before it"),
            };
            if (i + repeat > lengths.Length)
            {
                throw Corrupt("code lengths overflow the table");
            }
            lengths.Slice(i, repeat).Fill(value);
            i += repeat;
        }
        BuildTables(lengths[..literalCount], lengths[literalCount..]);
    }

    private void BuildTables(ReadOnlySpan<byte> literalLengths, ReadOnlySpan<byte> distanceLengths)
    {
        if (!_literals.Build(literalLengths) || !_distances.Build(distanceLengths))
        {
            throw Corrupt("invalid Huffman code");
        }
    }

    private int CopyStored(Span<byte> output)
    {
        var n = Math.Min(_storedLeft, output.Length);
        for (var i = 0; i < n; i++)
        {
            var b = (byte)Byte();
            output[i] = b;
            _window[_windowPos] = b;
            _windowPos = (_windowPos + 1) & WindowMask;
        }
        _storedLeft -= n;
        _memberOutput += n;
        if (_storedLeft == 0)
        {
            _state = State.BlockHeader;
        }
        return n;
    }

    private int Inflate(Span<byte> output)
    {
        var w = 0;
        var window = _window;
        while (w < output.Length)
        {
            if (_copyLeft > 0)
            {
                var n = Math.Min(_copyLeft, output.Length - w);
                var from = (_windowPos - _copyDistance) & WindowMask;
                if (n <= _copyDistance && from + n <= window.Length && _windowPos + n <= window.Length)
                {
                    // The common case: source and destination do not overlap or wrap.
                    window.AsSpan(from, n).CopyTo(window.AsSpan(_windowPos));
                    window.AsSpan(_windowPos, n).CopyTo(output[w..]);
                    _windowPos = (_windowPos + n) & WindowMask;
                    w += n;
                }
                else
                {
                    for (var i = 0; i < n; i++)
                    {
                        var b = window[(_windowPos - _copyDistance) & WindowMask];
                        window[_windowPos] = b;
                        _windowPos = (_windowPos + 1) & WindowMask;
                        output[w++] = b;
                    }
                }
                _copyLeft -= n;
                _memberOutput += n;
                continue;
            }
            var symbol = Decode(_literals);
            if (symbol < 256)
            {
                window[_windowPos] = (byte)symbol;
                _windowPos = (_windowPos + 1) & WindowMask;
                output[w++] = (byte)symbol;
                _memberOutput++;
                continue;
            }
            if (symbol == 256)
            {
                _state = State.BlockHeader;
                break;
            }
            symbol -= 257;
            if (symbol >= LengthBase.Length)
            {
                throw Corrupt("invalid length code");
            }
            var length = LengthBase[symbol] + Bits(LengthExtra[symbol]);
            var distanceSymbol = Decode(_distances);
            if (distanceSymbol >= DistanceBase.Length)
            {
                throw Corrupt("invalid distance code");
            }
            var distance = DistanceBase[distanceSymbol] + Bits(DistanceExtra[distanceSymbol]);
            if (distance > _memberOutput)
            {
                throw Corrupt("distance reaches before the start of the member");
            }
            _copyLeft = length;
            _copyDistance = distance;
        }
        return w;
    }

    private void ReadTrailer()
    {
        DropToByte();
        var crc = (uint)(Bits(16) | (Bits(16) << 16));
        var size = (uint)(Bits(16) | (Bits(16) << 16));
        if (crc != _crc)
        {
            throw new CorruptInputException($"gzip member {_member} fails its CRC-32 check: the file is corrupt");
        }
        if (size != (uint)_memberOutput)
        {
            throw new CorruptInputException($"gzip member {_member} length does not match its trailer: the file is corrupt");
        }
        _state = HasMoreInput() ? State.MemberHeader : State.Done;
    }

    private int Decode(HuffmanTable table)
    {
        if (_bitCount < 15)
        {
            Fill(15);
        }
        var entry = table.Entries[(int)_bits & table.Mask];
        var length = entry & 15;
        if (length == 0)
        {
            throw Corrupt("invalid Huffman code");
        }
        if (length > _bitCount)
        {
            throw Truncated();
        }
        _bits >>= length;
        _bitCount -= length;
        return entry >> 4;
    }

    private int Bits(int count)
    {
        if (count == 0)
        {
            return 0;
        }
        if (!Fill(count))
        {
            throw Truncated();
        }
        var value = (int)(_bits & ((1UL << count) - 1));
        _bits >>= count;
        _bitCount -= count;
        return value;
    }

    private bool Fill(int count)
    {
        while (_bitCount <= 56)
        {
            if (_inPos == _inLen && !Refill())
            {
                break;
            }
            _bits |= (ulong)_in[_inPos++] << _bitCount;
            _bitCount += 8;
        }
        return _bitCount >= count;
    }

    private void DropToByte()
    {
        var drop = _bitCount % 8;
        _bits >>= drop;
        _bitCount -= drop;
    }

    private int Byte() => Bits(8);

    private void Skip(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Byte();
        }
    }

    private bool HasMoreInput() => _bitCount >= 8 || _inPos < _inLen || Refill();

    private bool Refill()
    {
        _inBase += _inLen;
        _inPos = 0;
        _inLen = input.Read(_in, 0, _in.Length);
        return _inLen > 0;
    }

    private CorruptInputException Corrupt(string why) => new($"gzip member {_member} is corrupt at compressed byte {Offset}: {why}");

    private CorruptInputException Truncated() => new($"gzip data ends inside member {_member} (compressed byte {Offset}): the file is truncated");

    /// <summary>
    /// A canonical Huffman code as one lookup table indexed by the next <c>n</c> input bits, n being the longest code
    /// in use: entry = symbol &lt;&lt; 4 | code length, 0 where no code is.
    /// </summary>
    private sealed class HuffmanTable(int maxBits)
    {
        public ushort[] Entries { get; } = new ushort[1 << maxBits];

        public int Mask { get; private set; }

        public bool Build(ReadOnlySpan<byte> lengths)
        {
            Span<int> count = stackalloc int[16];
            Span<int> next = stackalloc int[16];
            var longest = 0;
            foreach (var l in lengths)
            {
                count[l]++;
                longest = Math.Max(longest, l);
            }
            count[0] = 0;
            var left = 1;
            for (var bits = 1; bits < 16; bits++)
            {
                left = (left << 1) - count[bits];
                if (left < 0 || (bits > maxBits && count[bits] > 0))
                {
                    return false;
                }
            }
            var code = 0;
            for (var bits = 1; bits < 16; bits++)
            {
                code = (code + count[bits - 1]) << 1;
                next[bits] = code;
            }
            var size = 1 << Math.Max(1, longest);
            Mask = size - 1;
            Array.Clear(Entries, 0, size);
            for (var symbol = 0; symbol < lengths.Length; symbol++)
            {
                int length = lengths[symbol];
                if (length == 0)
                {
                    continue;
                }
                var reversed = Reverse(next[length]++, length);
                var entry = (ushort)((symbol << 4) | length);
                for (var i = reversed; i < size; i += 1 << length)
                {
                    Entries[i] = entry;
                }
            }
            return true;
        }

        private static int Reverse(int code, int length)
        {
            var result = 0;
            for (var i = 0; i < length; i++)
            {
                result = (result << 1) | (code & 1);
                code >>= 1;
            }
            return result;
        }
    }
}
