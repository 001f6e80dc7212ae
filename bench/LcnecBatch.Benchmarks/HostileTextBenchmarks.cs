using BenchmarkDotNet.Attributes;
using LcnecBatch.Core.CaseFinding;
using LcnecBatch.Core.Tests.CaseFinding;

namespace LcnecBatch.Benchmarks;

/// <summary>
/// The LCNEC finder on hostile report texts (issue 13): one endless sentence of mentions and cues, long gaps,
/// organ words. One text per operation, so the mean is time per report cell. Sizes default to 30 KB, 100 KB
/// and 1 MB; LCNEC_BENCH_SIZES (comma-separated characters) narrows them, e.g. for code that is too slow at 1 MB.
/// </summary>
[MemoryDiagnoser]
public class HostileTextBenchmarks
{
    private string _text = "";
    private string? _site;

    [ParamsSource(nameof(Sizes))]
    public int Size { get; set; }

    [Params(HostileReportText.Shape.MentionsAndCues, HostileReportText.Shape.OnlyMentions, HostileReportText.Shape.LongGaps, HostileReportText.Shape.OrganWords)]
    public HostileReportText.Shape Shape { get; set; }

    public static IEnumerable<int> Sizes() =>
        Environment.GetEnvironmentVariable("LCNEC_BENCH_SIZES") is { Length: > 0 } sizes
            ? sizes.Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture))
            : [30_000, 100_000, 1_000_000];

    [GlobalSetup]
    public void Setup()
    {
        _text = HostileReportText.Build(Shape, Size);
        _site = HostileReportText.SpecimenSite(Shape);
    }

    [Benchmark(Description = "LcnecFinder.Assess, one hostile report cell")]
    public LcnecFinding? AssessHostileCell() => LcnecFinder.Assess(_text, null, null, _site);
}
