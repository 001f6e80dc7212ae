using System.Text.Json;
using LcnecBatch.Core.Audit;
using LcnecBatch.Core.Synthetic;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Synthetic;

/// <summary>A five-year archive generated once, and the audit of it written by <c>lcnec audit</c>.</summary>
public sealed class FiveYearArchiveFixture : IDisposable
{
    public static readonly GeneratorOptions Options = new() { Patients = 3_000, Days = 1_826, Start = new DateOnly(2021, 1, 1), Seed = 19, ResponseRate = 0 };

    public FiveYearArchiveFixture()
    {
        Archive = new GeneratedArchive(Options);
        var output = Path.Combine(Archive.Root, "audit-out");
        var (code, _, stderr) = Lcnec.Run("audit", Archive.Root, "--out", output);
        // 1: done, with the generator's bad rows on purpose rejected.
        Assert.True(code == 1, stderr);
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "audit.json")));
        Coverage = [.. json.RootElement.GetProperty("coverageByQuarter").EnumerateArray().Select(q => new QuarterCoverage(
            q.GetProperty("quarter").GetString()!, q.GetProperty("lcnec").GetInt32(), q.GetProperty("advanced").GetInt32(),
            q.GetProperty("tested").GetInt32(), q.GetProperty("advancedTested").GetInt32()))];
    }

    public GeneratedArchive Archive { get; }

    /// <summary>audit.json's coverageByQuarter.</summary>
    public IReadOnlyList<QuarterCoverage> Coverage { get; }

    public void Dispose() => Archive.Dispose();
}

/// <summary>Issue 19: a long archive spreads LCNEC over the period and its ALK testing improves with the years.</summary>
public sealed class LongArchiveIncidenceTests(FiveYearArchiveFixture fixture) : IClassFixture<FiveYearArchiveFixture>
{
    private static readonly DateOnly Start = FiveYearArchiveFixture.Options.Start;
    private static readonly DateOnly End = FiveYearArchiveFixture.Options.End;

    private static string Quarter(DateOnly date) => AuditFigures.QuarterOf(date);

    private static void AssertSteady(IReadOnlyList<int> perQuarter)
    {
        Assert.Equal(20, perQuarter.Count);
        var mean = perQuarter.Average();
        Assert.All(perQuarter, n => Assert.InRange(n, 0.4 * mean, 2 * mean));
    }

    /// <summary>LCNEC scenarios diagnosed (as planned), with their truth case.</summary>
    private List<(DateOnly Diagnosed, TruthCase Case)> Diagnosed()
    {
        var truth = fixture.Archive.Truth.Cases.ToDictionary(c => c.Mrn, StringComparer.Ordinal);
        return [.. fixture.Archive.Summary.Scenarios.Where(s => s.Diagnosed is not null).Select(s => (s.Diagnosed!.Value, truth[s.Mrn]))];
    }

    [Fact]
    public void Generate_FiveYears_DiagnosesLcnecInEveryQuarterNearTheSteadyRate()
    {
        var lcnec = Diagnosed().Where(d => d.Case.Lcnec is LcnecLabel.Affirmed or LcnecLabel.Historical).ToList();
        var byQuarter = lcnec.GroupBy(d => Quarter(d.Diagnosed)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        var quarters = Enumerable.Range(0, 20).Select(i => Quarter(Start.AddMonths(3 * i))).ToList();

        AssertSteady([.. quarters.Select(q => byQuarter.GetValueOrDefault(q))]);
        Assert.Equal(lcnec.Count, byQuarter.Values.Sum());
    }

    [Fact]
    public void Audit_FiveYears_CoverageByQuarterHasSteadyDiagnoses()
    {
        Assert.Equal(Quarter(Start), fixture.Coverage[0].Quarter);
        Assert.Equal(Quarter(End), fixture.Coverage[^1].Quarter);
        AssertSteady([.. fixture.Coverage.Select(q => q.Lcnec)]);
        Assert.Equal(fixture.Archive.Truth.Cases.Count(c => c.Lcnec is LcnecLabel.Affirmed or LcnecLabel.Historical), fixture.Coverage.Sum(q => q.Lcnec));
    }

    [Fact]
    public void Generate_FiveYears_FewerAdvancedLcnecMissAlkTestingInTheLastYearThanTheFirst()
    {
        // Truth's ALK_TEST_MISSING marks an advanced LCNEC not tested within the window. The last 30 days are left
        // out: their window may not have run out.
        var advanced = Diagnosed().Where(d => d.Case.Lcnec == LcnecLabel.Affirmed && d.Case.Advanced == true).ToList();
        double MissedShare(DateOnly from, DateOnly to)
        {
            var these = advanced.Where(d => d.Diagnosed >= from && d.Diagnosed <= to).ToList();
            Assert.True(these.Count >= 20, $"{these.Count} advanced LCNEC between {from} and {to}");
            return these.Count(d => d.Case.Alerts.Any(a => a.RuleId == "ALK_TEST_MISSING")) / (double)these.Count;
        }

        var first = MissedShare(Start, Start.AddDays(364));
        var last = MissedShare(End.AddDays(-394), End.AddDays(-30));

        Assert.True(last < first - 0.15, $"missed ALK testing: first year {first:P0}, last year {last:P0}");
    }

    [Fact]
    public void Audit_FiveYears_AdvancedLcnecTestedForAlkMoreInTheLastYearThanTheFirst()
    {
        static double TestedShare(IEnumerable<QuarterCoverage> year)
        {
            var quarters = year.ToList();
            return quarters.Sum(q => q.AdvancedTested) / (double)quarters.Sum(q => q.Advanced);
        }

        var first = TestedShare(fixture.Coverage.Take(4));
        var last = TestedShare(fixture.Coverage.TakeLast(4));

        Assert.True(last > first + 0.15, $"advanced LCNEC tested: first year {first:P0}, last year {last:P0}");
    }

    [Fact]
    public void Generate_LongArchiveSameSeed_SameBytes()
    {
        var options = new GeneratorOptions { Patients = 150, Days = 400, Seed = 8, Start = new DateOnly(2024, 3, 1) };
        using var first = new GeneratedArchive(options);
        using var second = new GeneratedArchive(options);

        Assert.Equal(first.Files(), second.Files());
        Assert.All(first.Files(), f => Assert.Equal(File.ReadAllBytes(first.FullPath(f)), File.ReadAllBytes(second.FullPath(f))));
    }

    [Fact]
    public void Generate_ShortArchive_KeepsEachScenarioOnItsPlannedDay()
    {
        using var archive = new GeneratedArchive(new GeneratorOptions { Patients = 300, Days = 30, Seed = 4 });

        var start = archive.Truth.Start;
        var diagnosed = archive.Summary.Scenarios.Where(s => s.Diagnosed is not null).ToDictionary(s => s.Scenario, s => s.Diagnosed!.Value, StringComparer.Ordinal);

        Assert.Equal(start.AddDays(2), diagnosed["alk-test-missing-open"]);
        Assert.Equal(archive.Truth.End.AddDays(-5), diagnosed["diagnosis-near-end"]);
    }

    [Theory]
    [InlineData("--alk-tested", "0.4:1.2")]
    [InlineData("--alk-tested", "0.4")]
    [InlineData("--reflex-ihc", "a:b")]
    public void Generate_TestingShareOutOfRange_IsAUsageError(string option, string value)
    {
        var target = Path.Combine(Path.GetTempPath(), $"lcnec-generate-{Guid.NewGuid():N}");

        var (code, _, stderr) = Lcnec.Run("generate", target, "--patients", "5", "--days", "200", option, value);

        Assert.Equal(2, code);
        Assert.Contains(option, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public void Generate_EveryoneTestedFromTheStart_RaisesNoAlkTestMissing()
    {
        var options = new GeneratorOptions
        {
            Patients = 400,
            Days = 200,
            Seed = 6,
            ResponseRate = 0,
            Practice = new TestingPractice { TestedFirst = 1, TestedLast = 1, ReflexFirst = 1, ReflexLast = 1 },
        };
        using var archive = new GeneratedArchive(options);

        // The LCNEC scenarios that stay affirmed (an amended report may withdraw one, after its alert opened).
        var scenarios = archive.Summary.Scenarios.Where(s => s.Diagnosed is not null).Select(s => s.Mrn).ToHashSet(StringComparer.Ordinal);
        var affirmed = archive.Truth.Cases.Where(c => scenarios.Contains(c.Mrn) && c.Lcnec == LcnecLabel.Affirmed).ToList();
        var missing = affirmed.SelectMany(c => c.Alerts).Count(a => a.RuleId == "ALK_TEST_MISSING");
        var advanced = affirmed.Count(c => c.Advanced == true);

        Assert.True(advanced > 10);
        Assert.Equal(0, missing);
    }
}
