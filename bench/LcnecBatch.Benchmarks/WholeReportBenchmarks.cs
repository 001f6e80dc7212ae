using BenchmarkDotNet.Attributes;
using LcnecBatch.Core.CaseFinding;

namespace LcnecBatch.Benchmarks;

/// <summary>
/// The finder on whole reports of 2 to 6 KB (issue 14): the labelled whole-report corpus of the tests, each report
/// followed by further reports of the corpus as addenda until it is at least 2 KB (capped at 6 KB), so every
/// operation reads headers, sections, parts and mentions as a lab's full report would have them. One report per
/// operation: the mean is time per report on one core, the memory column allocation per report.
/// </summary>
[MemoryDiagnoser]
public class WholeReportBenchmarks
{
    private string[] _reports = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var folder = Path.Combine(RepositoryRoot(), "tests", "LcnecBatch.Core.Tests", "CaseFinding", "WholeReports");
        var bodies = Directory.GetFiles(folder, "*.txt").Order(StringComparer.Ordinal)
            .Select(f => File.ReadAllText(f))
            .Select(t => t[(t.IndexOf("\n---\n", StringComparison.Ordinal) + 5)..])
            .ToArray();
        _reports = new string[bodies.Length];
        for (var i = 0; i < bodies.Length; i++)
        {
            var text = new System.Text.StringBuilder(bodies[i]);
            for (var j = 1; text.Length < 2048; j++)
            {
                text.Append("\n\nADDENDUM:\n").Append(bodies[(i + (j * 37)) % bodies.Length]);
            }
            _reports[i] = text.ToString(0, Math.Min(text.Length, 6144));
        }
        Console.WriteLine($"// {_reports.Length} whole reports, {_reports.Min(r => r.Length)}..{_reports.Max(r => r.Length)} chars, mean {_reports.Average(r => r.Length):F0}");
    }

    [Benchmark(Description = "LcnecFinder.Assess, one whole report (2-6 KB)")]
    public LcnecFinding? AssessOneWholeReport()
    {
        var report = _reports[_next];
        _next = (_next + 1) % _reports.Length;
        return LcnecFinder.Assess(report);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LcnecBatch.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("run the benchmark from inside the repository");
    }
}
