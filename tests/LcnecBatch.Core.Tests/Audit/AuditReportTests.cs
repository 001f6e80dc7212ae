using System.Text;
using LcnecBatch.Core.Audit;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;

namespace LcnecBatch.Core.Tests.Audit;

public class AuditReportTests
{
    private static readonly DateOnly Day0 = new(2026, 5, 4);
    private const string Script = "<script>alert(1)</script>";

    /// <summary>One advanced LCNEC never tested (its report text carries markup), one ALK-positive with a formula-like alteration.</summary>
    private static AuditResult Audit(ArchiveFolderBuilder b)
    {
        b.Patient(Day0, "200001", "M", "1950-01-01", "current")
            .Report(Day0, "200001", "S26-10001", $"Lung, core biopsy: large cell neuroendocrine carcinoma. {Script}\nComment: \"=HYPERLINK()\".", "IVA")
            .Patient(Day0, "200002", "F", "1975-01-01", "never")
            .Report(Day0, "200002", "S26-10002", stage: "IVB")
            .Molecular(Day0.AddDays(9), "200002", "M26-10002", "detected", "=cmd|' /C calc'!A0 EML4-ALK fusion (E13:A20)")
            .Night(Day0.AddDays(30));
        return AuditRun.Run(new FolderBatchArchive(b.Build()), new AuditRequest(null, null, new ScreeningOptions()));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("=SUM(A1:A9)", "'=SUM(A1:A9)")]
    [InlineData("+1", "'+1")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("\tindented", "\"'\tindented\"")]
    [InlineData("a; b", "\"a; b\"")]
    [InlineData("a\tb", "\"a\tb\"")]
    [InlineData("a|b", "\"a|b\"")]
    [InlineData("=1;2", "\"'=1;2\"")]
    [InlineData("a, b", "\"a, b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=1,\"2\"", "\"'=1,\"\"2\"\"\"")]
    [InlineData("a=b", "a=b")]
    public void Cell_Value_IsNeutralisedAndQuotedForEveryCommonSeparator(string? value, string expected)
    {
        Assert.Equal(expected, AuditCsv.Cell(value));
    }

    [Fact]
    public void CasesCsv_FormulaInReportedText_IsNeutralised_AndNumbersStayNumbers()
    {
        using var archive = new ArchiveFolderBuilder();
        var result = Audit(archive);

        using var buffer = new MemoryStream();
        AuditCsv.WriteCases(buffer, result.Cases);
        var text = Encoding.UTF8.GetString(buffer.ToArray());

        Assert.StartsWith("\uFEFFmrn,diagnosis_date,", text, StringComparison.Ordinal);
        Assert.Contains(",\"'=cmd|' /C calc'!A0 EML4-ALK fusion (E13:A20)\",", text, StringComparison.Ordinal); // quoted: '|' separates in some locales
        Assert.DoesNotContain(",=", text, StringComparison.Ordinal);
        Assert.Contains(",EML4,v1,", text, StringComparison.Ordinal);
        Assert.Contains(",ALK_TEST_MISSING S26-10001 2026-05-19,", text, StringComparison.Ordinal);
        Assert.Equal(3, text.Split("\r\n").Length - 1);
    }

    [Fact]
    public void FindingsCsv_ReportText_IsQuotedWithItsLineBreak()
    {
        using var archive = new ArchiveFolderBuilder();
        var result = Audit(archive);

        using var buffer = new MemoryStream();
        AuditCsv.WriteFindings(buffer, result.Findings);
        var text = Encoding.UTF8.GetString(buffer.ToArray());

        Assert.Contains($"\"Lung, core biopsy: large cell neuroendocrine carcinoma. {Script}\nComment: \"\"=HYPERLINK()\"\".\"", text, StringComparison.Ordinal);
        Assert.Contains(",affirmed,", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AuditHtml_ReportTextWithScript_IsEncoded_AndPageLoadsNothingFromOutside()
    {
        using var archive = new ArchiveFolderBuilder();
        var result = Audit(archive);

        using var buffer = new MemoryStream();
        AuditHtml.Write(buffer, result);
        var html = Encoding.UTF8.GetString(buffer.ToArray());

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("=cmd|&#x27; /C calc&#x27;!A0", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" src=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", html, StringComparison.Ordinal);
        Assert.Equal(3, html.Split("<svg id=\"chart-").Length - 1);
        Assert.Contains("<table id=\"characteristics-table\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void AuditHtml_Charts_HaveDistinctClipPathIds()
    {
        using var archive = new ArchiveFolderBuilder();
        var result = Audit(archive);

        using var buffer = new MemoryStream();
        AuditHtml.Write(buffer, result);
        var html = Encoding.UTF8.GetString(buffer.ToArray());

        var ids = System.Text.RegularExpressions.Regex.Matches(html, "id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(ids, id => id.StartsWith("chart-alerts-", StringComparison.Ordinal));
    }

    [Fact]
    public void AuditJson_HasTheKeysTheIssueNames()
    {
        using var archive = new ArchiveFolderBuilder();
        var result = Audit(archive);

        using var json = System.Text.Json.JsonDocument.Parse(AuditJson.ToUtf8(result.Figures));
        var root = json.RootElement;

        foreach (var key in new[] { "from", "to", "lcnecPatients", "advancedLcnecPatients", "testedForAlk", "alkIhcPositive", "alkConfirmed", "alertsByRule", "timeToFirstAlkTestDays", "timeToConfirmationDays", "alkPositiveCharacteristics" })
        {
            Assert.True(root.TryGetProperty(key, out _), key);
        }
        Assert.Equal(["n", "median", "p90"], root.GetProperty("timeToFirstAlkTestDays").EnumerateObject().Select(p => p.Name));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, root.GetProperty("timeToConfirmationDays").GetProperty("median").ValueKind);
        Assert.Equal(["n", "female", "neverSmoker", "stageIV", "age", "partners", "variants"], root.GetProperty("alkPositiveCharacteristics").EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, root.GetProperty("alertsByRule").GetProperty("ALK_TEST_MISSING").GetInt32());
        Assert.Equal(2, root.GetProperty("lcnecPatients").GetInt32());
    }
}
