using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Formats.Vcf;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Formats.Vcf;

public class CompressionTests
{
    private static readonly byte[] Text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 40_000).Select(i => $"chr1\t{i * 7}\t.\tA\tG\t.\tPASS\tDP={i % 97}\n")));

    public static TheoryData<CompressionLevel> Levels() => [CompressionLevel.NoCompression, CompressionLevel.Fastest, CompressionLevel.Optimal, CompressionLevel.SmallestSize];

    [Theory]
    [MemberData(nameof(Levels))]
    public void Open_PlainGzipAtEveryLevel_InflatesToTheOriginal(CompressionLevel level)
    {
        var random = new byte[300_000];
        new Random(4).NextBytes(random);
        byte[] content = [.. Text.Take(200_000), .. random, .. "tail"u8];
        using var gz = new MemoryStream();
        using (var gzip = new GZipStream(gz, level, leaveOpen: true))
        {
            gzip.Write(content);
        }

        Assert.Equal(content, Inflate(gz.ToArray(), out var compression));
        Assert.Equal(NgsCompression.Gzip, compression);
    }

    [Fact]
    public void Open_TinyGzipMembers_UseFixedHuffmanCodesAndInflate()
    {
        var content = "##fileformat=VCFv4.2\n"u8.ToArray();

        Assert.Equal(content, Inflate(NgsInputs.GzipMembers(content, 1, 2, 3, 10), out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Open_Bgzf_InflatesInOrderWhateverTheThreadCount(int threads)
    {
        var bgzf = NgsInputs.Bgzf(Text, 1, 65_280, 65_281, 300_000);

        using var stream = CompressedInput.Open(new ChunkedStream(bgzf, 4096), threads, out var compression);
        using var output = new MemoryStream();
        stream.CopyTo(output);

        Assert.Equal(NgsCompression.Bgzf, compression);
        Assert.Equal(Text, output.ToArray());
    }

    [Fact]
    public void Open_BgzfFromBgzip_IsDetectedByContentNotName()
    {
        var bgzf = NgsInputs.Bgzf(Text);

        Assert.Equal(0x1F, bgzf[0]);
        Assert.Equal((byte)'B', bgzf[12]);
        Assert.Equal(Text, Inflate(bgzf, out var compression));
        Assert.Equal(NgsCompression.Bgzf, compression);
        Assert.Equal(Text.AsSpan(0, 100).ToArray(), Inflate(Text.AsSpan(0, 100).ToArray(), out var none));
        Assert.Equal(NgsCompression.None, none);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(100)]
    [InlineData(-1)]
    [InlineData(-4)]
    [InlineData(-8)]
    public void Open_TruncatedGzip_IsAnErrorNotAShortFile(int cut)
    {
        var gz = NgsInputs.Gzip(Text);
        var truncated = gz.AsSpan(0, cut > 0 ? cut : gz.Length + cut).ToArray();

        var error = Assert.Throws<CorruptInputException>(() => Inflate(truncated, out _));

        Assert.Matches(@"^gzip data ends inside member 1 \(compressed byte \d+\): the file is truncated$", error.Message);
    }

    [Fact]
    public void Open_SecondGzipMemberTruncated_IsAnError()
    {
        var gz = NgsInputs.GzipMembers(Text, 1000);

        var error = Assert.Throws<CorruptInputException>(() => Inflate(gz.AsSpan(0, gz.Length - 3).ToArray(), out _));

        Assert.StartsWith("gzip data ends inside member 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_GzipWithWrongCrc_IsCorrupt()
    {
        var gz = NgsInputs.Gzip(Text);
        gz[^7] ^= 0x5A;

        var error = Assert.Throws<CorruptInputException>(() => Inflate(gz, out _));

        Assert.Equal("gzip member 1 fails its CRC-32 check: the file is corrupt", error.Message);
    }

    [Fact]
    public void Open_GzipWithWrongLength_IsCorrupt()
    {
        var gz = NgsInputs.Gzip(Text);
        gz[^2] ^= 0x01;

        var error = Assert.Throws<CorruptInputException>(() => Inflate(gz, out _));

        Assert.Equal("gzip member 1 length does not match its trailer: the file is corrupt", error.Message);
    }

    [Fact]
    public void Open_GarbageAfterGzip_IsAnError()
    {
        byte[] gz = [.. NgsInputs.Gzip(Text), .. "junk"u8];

        var error = Assert.Throws<CorruptInputException>(() => Inflate(gz, out _));

        Assert.Equal("data after gzip member 1 is not gzip", error.Message);
    }

    [Fact]
    public void Open_BgzfCutInsideABlock_IsTruncated()
    {
        var bgzf = NgsInputs.Bgzf(Text, 1000);
        var second = BlockOffsets(bgzf)[1];

        var error = Assert.Throws<CorruptInputException>(() => Inflate(bgzf.AsSpan(0, second + 40).ToArray(), out _));

        Assert.Equal($"BGZF data ends inside block 2 (compressed byte {second}): the file is truncated", error.Message);
    }

    [Fact]
    public void Open_BgzfCutAtABlockBoundary_IsTruncatedForLackOfTheEndMarker()
    {
        var bgzf = NgsInputs.Bgzf(Text, 1000);
        var offsets = BlockOffsets(bgzf);

        var error = Assert.Throws<CorruptInputException>(() => Inflate(bgzf.AsSpan(0, offsets[2]).ToArray(), out _));

        Assert.Equal("BGZF data ends without its end-of-file marker block after 2 blocks: the file is truncated", error.Message);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(-6)]
    public void Open_BgzfBlockWithADamagedByte_IsCorrupt(int at)
    {
        var bgzf = NgsInputs.Bgzf(Text, 1000);
        var offsets = BlockOffsets(bgzf);
        var damaged = at > 0 ? offsets[1] + at : offsets[2] + at;
        bgzf[damaged] ^= 0x5A;

        var error = Assert.Throws<CorruptInputException>(() => Inflate(bgzf, out _));

        Assert.StartsWith($"BGZF block at compressed byte {offsets[1]} ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("the file is corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_BgzfFollowedByPlainGzip_IsRefused()
    {
        var bgzf = NgsInputs.Bgzf(Text.AsSpan(0, 500).ToArray());
        byte[] mixed = [.. bgzf.AsSpan(0, bgzf.Length - 28), .. NgsInputs.Gzip(Text.AsSpan(0, 10).ToArray())];

        var error = Assert.Throws<CorruptInputException>(() => Inflate(mixed, out _));

        Assert.Equal($"gzip member at compressed byte {bgzf.Length - 28} is not a BGZF block (no BC field): the file mixes BGZF and plain gzip", error.Message);
    }

    [Fact]
    public void Read_TruncatedBgzfVcf_FailsAtTheLineBeingRead()
    {
        var vcf = new VcfText("VCFv4.2");
        for (var i = 1; i <= 20_000; i++)
        {
            vcf.Record("1", i, ".", "A", "G", $"DP={i}");
        }
        var bgzf = NgsInputs.Bgzf(vcf.ToBytes());
        var cut = BlockOffsets(bgzf)[3];

        using var reader = VcfReader.Open(new MemoryStream(bgzf.AsSpan(0, cut).ToArray()));
        long lastGood = 0;
        var error = Assert.Throws<FileFormatException>(() =>
        {
            while (reader.Read())
            {
                lastGood = reader.Current.LineNumber;
            }
        });

        Assert.True(lastGood > 1000, "records before the cut are read");
        Assert.Equal((int)lastGood + 1, error.Line);
        Assert.Equal($"line {lastGood + 1}: BGZF data ends without its end-of-file marker block after 3 blocks: the file is truncated", error.Message);
    }

    private static byte[] Inflate(byte[] bytes, out NgsCompression compression)
    {
        using var stream = CompressedInput.Open(new MemoryStream(bytes), 0, out compression);
        using var output = new MemoryStream();
        stream.CopyTo(output);
        return output.ToArray();
    }

    private static List<int> BlockOffsets(byte[] bgzf)
    {
        var offsets = new List<int>();
        for (var at = 0; at < bgzf.Length; at += BinaryPrimitives.ReadUInt16LittleEndian(bgzf.AsSpan(at + 16)) + 1)
        {
            offsets.Add(at);
        }
        return offsets;
    }
}
