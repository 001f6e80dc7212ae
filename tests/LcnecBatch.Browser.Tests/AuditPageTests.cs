using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using LcnecBatch.Core.Audit;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Synthetic;

namespace LcnecBatch.Browser.Tests;

/// <summary>A generated archive plus one night whose report text carries markup, audited once into a temp folder.</summary>
public sealed class AuditedArchive : IDisposable
{
    public const string Injected = "<script>alert(1)</script><script>document.title='pwned'</script>";

    public AuditedArchive()
    {
        Root = Directory.CreateTempSubdirectory("lcnec-browser-").FullName;
        var archive = Path.Combine(Root, "archive");
        var truth = ArchiveGenerator.Generate(new GeneratorOptions(), archive);
        var night = new GeneratorOptions().End.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Directory.CreateDirectory(Path.Combine(archive, night));
        File.WriteAllText(Path.Combine(archive, night, "pathology_reports.csv"),
            $"accession,mrn,report_date,final_diagnosis,stage\nS26-99999,999999,{night},\"Lung, biopsy: large cell neuroendocrine carcinoma. {Injected}\",IVB\n");
        Assert.True(truth.LcnecPatients > 0);
        var result = AuditRun.Run(new FolderBatchArchive(archive), new AuditRequest(null, null, new ScreeningOptions()));
        result.WriteTo(Path.Combine(Root, "report"));
        Page = Path.Combine(Root, "report", AuditHtml.FileName);
        Dom = HeadlessChromium.DumpDom(Page);
    }

    public string Root { get; }

    public string Page { get; }

    /// <summary>The DOM as Chromium built it from the file.</summary>
    public string Dom { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

public sealed class AuditPageTests(AuditedArchive audited) : IClassFixture<AuditedArchive>
{
    [Fact]
    public void AuditPage_InChromium_HasTheTables()
    {
        foreach (var table in new[] { "summary-table", "coverage-table", "time-to-test-table", "alerts-table", "characteristics-table", "untested-table" })
        {
            var body = Regex.Match(audited.Dom, $"<table id=\"{table}\">(.*?)</table>", RegexOptions.Singleline);
            Assert.True(body.Success, $"no table {table}");
            Assert.Contains("<td", body.Groups[1].Value, StringComparison.Ordinal);
        }
        Assert.Contains("<td>female</td>", audited.Dom, StringComparison.Ordinal);
    }

    [Fact]
    public void AuditPage_InChromium_HasThreeChartsWithBarsDrawn()
    {
        var charts = Regex.Matches(audited.Dom, "<svg id=\"(chart-[a-z-]+)\"(.*?)</svg>", RegexOptions.Singleline);

        Assert.Equal(["chart-coverage", "chart-time-to-test", "chart-alerts"], charts.Select(c => c.Groups[1].Value));
        foreach (Match chart in charts)
        {
            var svg = chart.Groups[2].Value;
            Assert.Contains("<path", svg, StringComparison.Ordinal);
            var bars = Regex.Matches(svg, "<rect fill=\"#(?:1F77B4|E8710A)\"[^>]*?(?:width=\"([0-9.]+)\"[^>]*?height=\"([0-9.]+)\")", RegexOptions.IgnoreCase);
            Assert.True(bars.Any(b => double.Parse(b.Groups[1].Value, CultureInfo.InvariantCulture) > 1 && double.Parse(b.Groups[2].Value, CultureInfo.InvariantCulture) > 1),
                $"{chart.Groups[1].Value} draws no bar");
        }
    }

    [Fact]
    public void AuditPage_InChromium_ShowsReportMarkupAsText_AndRunsNoScript()
    {
        var title = Regex.Match(audited.Dom, "<title>(.*?)</title>", RegexOptions.Singleline).Groups[1].Value;

        Assert.StartsWith("LCNEC ALK testing audit, ", title, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", audited.Dom, StringComparison.OrdinalIgnoreCase);
        var cells = Regex.Matches(audited.Dom, "<td class=\"text\">(.*?)</td>", RegexOptions.Singleline).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value));
        Assert.Contains(cells, text => text.Contains(AuditedArchive.Injected, StringComparison.Ordinal));
    }

    [Fact]
    public void AuditPage_Screenshot_IsAFullPageNotABlank()
    {
        var png = Path.Combine(audited.Root, "page.png");

        HeadlessChromium.Screenshot(audited.Page, png, 1200, 3000);

        var bytes = File.ReadAllBytes(png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.Equal(1200, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(3000, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
        Assert.True(bytes.Length > 60_000, $"a {bytes.Length}-byte screenshot is too small to hold tables and charts");
    }
}
