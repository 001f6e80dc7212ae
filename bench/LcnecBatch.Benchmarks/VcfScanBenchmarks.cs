using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using LcnecBatch.Core.Formats.Vcf;
using LcnecBatch.Core.Genomics;

namespace LcnecBatch.Benchmarks;

/// <summary>
/// The ALK scan over an in-memory VCF of 100k realistic records, by compression and BGZF thread count. The whole-file
/// comparison with bcftools and zcat, and peak memory, are in <c>bench/vcf-scan.sh</c>.
/// </summary>
[MemoryDiagnoser]
public class VcfScanBenchmarks
{
    private byte[] _plain = [];
    private byte[] _gzip = [];
    private byte[] _bgzf = [];

    [Params(100_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using var plain = new MemoryStream();
        SyntheticVcf.Write(plain, Records);
        _plain = plain.ToArray();
        using var gzip = new MemoryStream();
        using (var writer = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true))
        {
            writer.Write(_plain);
        }
        _gzip = gzip.ToArray();
        using var bgzf = new MemoryStream();
        using (var writer = new BgzfWriteStream(bgzf, leaveOpen: true))
        {
            writer.Write(_plain);
        }
        _bgzf = bgzf.ToArray();
    }

    [Benchmark(Baseline = true)]
    public int Plain() => Scan(_plain, 0);

    [Benchmark]
    public int Gzip() => Scan(_gzip, 0);

    [Benchmark]
    public int BgzfOneThread() => Scan(_bgzf, 1);

    [Benchmark]
    public int BgzfParallel() => Scan(_bgzf, 0);

    private static int Scan(byte[] bytes, int threads)
    {
        var scan = AlkNgsScanner.Scan(new MemoryStream(bytes), "S26-BENCH.vcf.gz", new NgsScanOptions { DecompressionThreads = threads });
        return scan.Fusions.Count + scan.Mutations.Count;
    }
}
