namespace LcnecBatch.Core.Formats.Vcf;

/// <summary>The gzip CRC-32 (reflected polynomial 0xEDB88320), slice-by-8.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = Build();

    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        var c = ~crc;
        var t = Table;
        while (data.Length >= 8)
        {
            c ^= (uint)(data[0] | data[1] << 8 | data[2] << 16 | data[3] << 24);
            c = t[(7 * 256) + (c & 0xFF)] ^ t[(6 * 256) + ((c >> 8) & 0xFF)] ^ t[(5 * 256) + ((c >> 16) & 0xFF)] ^ t[(4 * 256) + (c >> 24)]
                ^ t[(3 * 256) + data[4]] ^ t[(2 * 256) + data[5]] ^ t[256 + data[6]] ^ t[data[7]];
            data = data[8..];
        }
        foreach (var b in data)
        {
            c = t[(c ^ b) & 0xFF] ^ (c >> 8);
        }
        return ~c;
    }

    private static uint[] Build()
    {
        var table = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }
            table[i] = c;
        }
        for (var i = 0; i < 256; i++)
        {
            for (var s = 1; s < 8; s++)
            {
                var prev = table[((s - 1) * 256) + i];
                table[(s * 256) + i] = (prev >> 8) ^ table[prev & 0xFF];
            }
        }
        return table;
    }
}
