using LcnecBatch.Cli;
using LcnecBatch.Core.Audit;
using LcnecBatch.Core.Tests.TestData;
using Microsoft.Extensions.Time.Testing;

namespace LcnecBatch.Core.Tests.Audit;

public class AuditCommandTests
{
    private static readonly DateOnly Day0 = new(2026, 11, 2);

    private static ArchiveFolderBuilder Archive()
    {
        var b = new ArchiveFolderBuilder();
        b.Patient(Day0, "100234", "F", "1973-05-02", "never").Report(Day0, "100234", "S26-00001");
        for (var day = 1; day <= 24; day++)
        {
            b.Night(Day0.AddDays(day));
        }
        b.Build();
        return b;
    }

    [Fact]
    public void Audit_CleanArchive_ExitsZero_WritesTheFiveFilesAndPlainProgress()
    {
        using var archive = Archive();
        var output = Path.Combine(archive.Path, "report");

        var (code, stdout, stderr) = Lcnec.Run("audit", archive.Path, "--out", output);

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Equal(["audit.html", "audit.json", "cases.csv", "findings.csv", "pathology_review.csv", "responses.csv"], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("audit: 25/25 batches (100%), at 2026-11-26,", stdout, StringComparison.Ordinal);
        Assert.Contains("LCNEC patients diagnosed: 1 (1 advanced)", stdout, StringComparison.Ordinal);
        Assert.Contains("  ALK_TEST_MISSING                1", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_RejectedRow_ExitsOne_AndListsItOnStandardError()
    {
        using var archive = Archive();
        File.WriteAllText(Path.Combine(archive.Path, "2026-11-05", "ihc_results.csv"), "accession,mrn,result_date,marker,result\nS26-00001,100234,2026-11-05,ALK,maybe\n");

        var (code, _, stderr) = Lcnec.Run("audit", archive.Path, "--out", Path.Combine(archive.Path, "report"));

        Assert.Equal(1, code);
        Assert.StartsWith("rejected: 2026-11-05/ihc_results.csv:2: column \"result\"", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--from", "2026-13-01", "--from \"2026-13-01\" is not a date (expected yyyy-MM-dd)")]
    [InlineData("--to", "yesterday", "--to \"yesterday\" is not a date (expected yyyy-MM-dd)")]
    public void Audit_BadDate_IsAUsageError(string option, string value, string message)
    {
        using var archive = Archive();

        var (code, _, stderr) = Lcnec.Run("audit", archive.Path, option, value);

        Assert.Equal(2, code);
        Assert.Equal($"lcnec: usage: {message}", stderr.Trim());
    }

    [Fact]
    public void Audit_FromAfterTo_OrNoFolder_IsAUsageError()
    {
        using var archive = Archive();

        Assert.Equal(2, Lcnec.Run("audit", archive.Path, "--from", "2026-11-20", "--to", "2026-11-10").Code);
        Assert.Equal(2, Lcnec.Run("audit", Path.Combine(archive.Path, "nowhere")).Code);
    }

    [Fact]
    public void ProgressLines_WhenRedirected_PrintEveryFivePercentOrTenSeconds()
    {
        var time = new FakeTimeProvider();
        var output = new StringWriter();
        var lines = new AuditProgressLines(output, time);

        for (var done = 1; done <= 1000; done++)
        {
            time.Advance(TimeSpan.FromMilliseconds(done <= 10 ? 6_000 : 10));
            lines.Report(new AuditProgress(done, 1000, Day0.AddDays(done)));
        }

        var printed = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(printed.Length, 20, 30);
        Assert.StartsWith("audit: 1/1000 batches (0%)", printed[0], StringComparison.Ordinal);
        Assert.StartsWith("audit: 3/1000 batches", printed[1], StringComparison.Ordinal);
        Assert.Matches(@"^audit: 1000/1000 batches \(100%\), at \d{4}-\d\d-\d\d, \d+\.\d batches/s, ETA 00:00:00$", printed[^1]);
    }
}
