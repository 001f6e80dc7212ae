using System.IO.Compression;
using System.Text;
using LcnecBatch.Core.Formats.Vcf;
using LcnecBatch.Core.Genomics;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Formats.Vcf;

/// <summary>
/// The same file as every byte source a reader can meet: whole, split into two reads at every offset, one byte
/// per read, gzip with a member boundary at every offset, BGZF with a block boundary at every offset, and
/// compressed bytes split at every offset. A reader is right only if all of them read alike.
/// </summary>
internal static class NgsInputs
{
    /// <summary>A few sources, for table-driven tests that run every case through each.</summary>
    public static IEnumerable<(string Name, Func<byte[], Stream> Open)> Kinds { get; } =
    [
        ("plain", b => new MemoryStream(b)),
        ("plain, 1-byte reads", b => new ChunkedStream(b, 1)),
        ("gzip", b => new MemoryStream(Gzip(b))),
        ("gzip, 3 members, 7-byte reads", b => new ChunkedStream(GzipMembers(b, b.Length / 3, 2 * b.Length / 3), 7)),
        ("bgzf", b => new MemoryStream(Bgzf(b))),
        ("bgzf, 3 blocks, 1-byte reads", b => new ChunkedStream(Bgzf(b, b.Length / 3, 2 * b.Length / 3), 1)),
    ];

    public static TheoryData<string> KindNames()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in Kinds)
        {
            data.Add(name);
        }
        return data;
    }

    public static Stream Open(string kind, byte[] bytes) => Kinds.Single(k => k.Name == kind).Open(bytes);

    public static Stream Open(string kind, string text) => Open(kind, Encoding.UTF8.GetBytes(text));

    /// <summary>Every split of <paramref name="content"/>: reads, gzip members, BGZF blocks, compressed reads.</summary>
    public static IEnumerable<(string Name, Func<Stream> Open)> EverySplit(byte[] content)
    {
        yield return ("plain, 1-byte reads", () => new ChunkedStream(content, 1));
        for (var i = 0; i <= content.Length; i++)
        {
            var at = i;
            yield return ($"plain split at {at}", () => ChunkedStream.SplitAt(content, at));
            yield return ($"gzip members split at {at}", () => new MemoryStream(GzipMembers(content, at)));
            yield return ($"bgzf blocks split at {at}", () => new MemoryStream(Bgzf(content, at)));
        }
        var gzip = Gzip(content);
        var bgzf = Bgzf(content, content.Length / 2);
        for (var i = 0; i <= Math.Max(gzip.Length, bgzf.Length); i++)
        {
            var at = i;
            if (at <= gzip.Length)
            {
                yield return ($"gzip bytes split at {at}", () => ChunkedStream.SplitAt(gzip, at));
            }
            if (at <= bgzf.Length)
            {
                yield return ($"bgzf bytes split at {at}", () => ChunkedStream.SplitAt(bgzf, at));
            }
        }
    }

    public static byte[] Gzip(byte[] content) => GzipMembers(content);

    /// <summary>Plain gzip, one member per piece between the given offsets.</summary>
    public static byte[] GzipMembers(byte[] content, params int[] boundaries)
    {
        using var output = new MemoryStream();
        var start = 0;
        foreach (var end in boundaries.Append(content.Length))
        {
            using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(content, start, end - start);
            }
            start = end;
        }
        return output.ToArray();
    }

    /// <summary>BGZF with a block boundary at each given offset (and every 65,280 bytes), ending with the EOF block.</summary>
    public static byte[] Bgzf(byte[] content, params int[] boundaries)
    {
        using var output = new MemoryStream();
        using (var bgzf = new BgzfWriteStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            var start = 0;
            foreach (var end in boundaries.Append(content.Length))
            {
                bgzf.Write(content, start, end - start);
                bgzf.Flush();
                start = end;
            }
        }
        return output.ToArray();
    }

    /// <summary>Scans <paramref name="content"/> whole, then from every split, and asserts each finds the same.</summary>
    public static AlkNgsScan ScanAtEverySplit(byte[] content, string fileName, NgsScanOptions? options = null)
    {
        var scan = AlkNgsScanner.Scan(new MemoryStream(content), fileName, options);
        var expected = Describe(scan);
        foreach (var (name, open) in EverySplit(content))
        {
            using var stream = open();
            var actual = Describe(AlkNgsScanner.Scan(stream, fileName, options));
            Assert.True(expected == actual, $"{name}:\n{actual}\nexpected:\n{expected}");
        }
        return scan;
    }

    /// <summary>What a scan found, in one comparable string (compression left out: it is what varies).</summary>
    public static string Describe(AlkNgsScan scan) =>
        string.Join('\n', new[]
        {
            $"{scan.Format} build={scan.Build} records={scan.RecordsRead} dropped={scan.CallsFilteredOut} samples={string.Join(",", scan.SampleNames)}",
            $"failure={scan.Failure?.Line}:{scan.FailureColumn}:{scan.Failure?.Reason}",
        }
        .Concat(scan.Fusions.Select(f => $"{f} {string.Join(" ", f.Breakpoints)}"))
        .Concat(scan.Mutations.Select(m => $"{m} {string.Join("/", m.ResistantTo)} {string.Join("/", m.SensitiveTo)}")));
}
