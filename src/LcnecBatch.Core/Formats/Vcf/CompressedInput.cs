namespace LcnecBatch.Core.Formats.Vcf;

/// <summary>How an NGS file's bytes are packed: detected from its first bytes, never from its name.</summary>
public enum NgsCompression
{
    None,
    Gzip,
    Bgzf,
}

/// <summary>Opens the decompressed content of a plain, gzip or BGZF stream, telling which it was.</summary>
public static class CompressedInput
{
    private const int SniffLength = 18;

    /// <param name="decompressionThreads">BGZF blocks inflated in parallel: 0 for one per processor, 1 for none.</param>
    public static Stream Open(Stream content, int decompressionThreads, out NgsCompression compression)
    {
        ArgumentNullException.ThrowIfNull(content);
        var prefix = new byte[SniffLength];
        var got = content.ReadAtLeast(prefix, SniffLength, throwOnEndOfStream: false);
        var replay = new PrefixedStream(prefix, got, content);
        if (got < 2 || prefix[0] != 0x1F || prefix[1] != 0x8B)
        {
            compression = NgsCompression.None;
            return replay;
        }
        // bgzip writes the BC subfield first in a 6-byte extra field; anything else is read as plain gzip.
        var isBgzf = got == SniffLength && (prefix[3] & 4) != 0 && prefix[10] == 6 && prefix[11] == 0 && prefix[12] == (byte)'B' && prefix[13] == (byte)'C';
        compression = isBgzf ? NgsCompression.Bgzf : NgsCompression.Gzip;
        return isBgzf ? new BgzfReadStream(replay, decompressionThreads) : new GzipMemberStream(replay);
    }
}
