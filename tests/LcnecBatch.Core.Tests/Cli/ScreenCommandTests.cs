using LcnecBatch.Cli;
using LcnecBatch.Core.Formats.Fusions;
using LcnecBatch.Core.Genomics;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Cli;

public class ScreenCommandTests
{
    private const string Patients = "mrn,sex,birth_date,smoking_status,care_team\n100234,F,1973-05-02,never,thoracic-onc-tj\n";
    private const string Reports = "accession,mrn,report_date,final_diagnosis,stage\nS26-00001,100234,2026-11-01,\"Lung, RUL, biopsy:\n- Large cell neuroendocrine carcinoma.\",IVB\n";

    private static TempFolder Archive()
    {
        var archive = new TempFolder();
        archive.Write("2026-11-01/patients.csv", Patients);
        archive.Write("2026-11-01/pathology_reports.csv", Reports);
        archive.Write("2026-11-01/manifest.json", """{ "batchDate": "2026-11-01", "files": ["patients.csv", "pathology_reports.csv"] }""");
        archive.Write("2026-11-20/ihc_results.csv", "accession,mrn,result_date,marker,clone,result\nS26-00001,100234,2026-11-20,CD56,,positive\n");
        return archive;
    }

    [Fact]
    public void Screen_CleanArchive_ExitsZero_WritesAlertsAndSummary()
    {
        using var archive = Archive();
        var alerts = Path.Combine(archive.Path, "out", "alerts.jsonl");

        var (code, output, error) = Lcnec.Run("screen", archive.Path, "--alerts", alerts);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        // 3 CSV rows, and the manifest's batchDate and its two files entries.
        Assert.Contains("rows: 6 read, 6 accepted, 0 rejected", output, StringComparison.Ordinal);
        Assert.Contains("LCNEC patients: 1 (1 advanced)", output, StringComparison.Ordinal);
        var line = Assert.Single(File.ReadAllLines(alerts));
        Assert.StartsWith("{\"alertId\":\"", line, StringComparison.Ordinal);
        Assert.Contains("\"ruleId\":\"ALK_TEST_MISSING\"", line, StringComparison.Ordinal);
        Assert.Contains("\"severity\":\"high\"", line, StringComparison.Ordinal);
        Assert.Contains("\"asOf\":\"2026-11-20\",\"dueSince\":\"2026-11-15\"", line, StringComparison.Ordinal);
        Assert.Contains("\"source\":\"2026-11-01/pathology_reports.csv\",\"line\":2", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Screen_AsOfBeforeTheWindowEnds_HasNoAlert_AndIgnoresLaterBatches()
    {
        using var archive = Archive();

        var (code, output, _) = Lcnec.Run("screen", archive.Path, "--as-of", "2026-11-15", "--alerts", "-");

        Assert.Equal(0, code);
        Assert.Equal("", output);
    }

    [Fact]
    public void Screen_TwiceOverTheSameArchive_WritesByteIdenticalAlerts()
    {
        using var archive = Archive();
        var first = Path.Combine(archive.Path, "a.jsonl");
        var second = Path.Combine(archive.Path, "b.jsonl");

        Lcnec.Run("screen", archive.Path, "--alerts", first);
        Lcnec.Run("screen", archive.Path, "--alerts", second);

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        Assert.NotEmpty(File.ReadAllBytes(first));
    }

    [Fact]
    public void Screen_BadRowsAndFiles_ExitOne_ListThemAndQuarantineWithSidecar()
    {
        using var archive = Archive();
        archive.Write("2026-11-20/molecular_results.csv", "accession,mrn,result_date,method,gene,result,file\nM1,100234,2026-11-20,NGS,ALK,maybe,\nM2,100234,2026-11-20,NGS,ALK,detected,../../etc/passwd\n");
        archive.Write("2026-11-20/patients.csv", "sex,birth_date\nF,1970-01-01\n");
        var report = Path.Combine(archive.Path, "report");

        var (code, _, error) = Lcnec.Run("screen", archive.Path, "--alerts", Path.Combine(archive.Path, "a.jsonl"), "--report", report);

        Assert.Equal(1, code);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("quarantined: 2026-11-20/patients.csv:1: header lacks required column(s) \"mrn\"", lines);
        Assert.Contains("rejected: 2026-11-20/molecular_results.csv:2: column \"result\": \"maybe\" is not one of detected, not_detected, indeterminate, failed", lines);
        Assert.Contains("rejected: 2026-11-20/molecular_results.csv:3: column \"file\": path leaves the batch folder; not opened", lines);
        Assert.Equal(File.ReadAllBytes(Path.Combine(archive.Path, "2026-11-20", "patients.csv")), File.ReadAllBytes(Path.Combine(report, "quarantine", "2026-11-20", "patients.csv")));
        var sidecar = File.ReadAllText(Path.Combine(report, "quarantine", "2026-11-20", "patients.csv.error.json"));
        Assert.Contains("\"reason\": \"header lacks required column(s) \\u0022mrn\\u0022\"", sidecar, StringComparison.Ordinal);
        Assert.Contains("2026-11-20/molecular_results.csv,2,result,", File.ReadAllText(Path.Combine(report, "rejections.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public void Screen_ManifestEntryLeavingTheBatch_IsRejectedNotOpened()
    {
        using var archive = Archive();
        archive.Write("2026-11-20/manifest.json", """{ "batchDate": "2026-11-20", "files": ["ihc_results.csv", "../2026-11-01/patients.csv", "/etc/passwd"] }""");

        var (code, _, error) = Lcnec.Run("screen", archive.Path, "--alerts", "-");

        Assert.Equal(1, code);
        Assert.Contains("rejected: 2026-11-20/manifest.json:1: column \"files[1]\": path leaves the batch folder; not opened", error, StringComparison.Ordinal);
        Assert.Contains("rejected: 2026-11-20/manifest.json:1: column \"files[2]\": path is absolute or not a plain relative path; not opened", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Screen_ManifestListsAFileThatNeverArrived_IsReported()
    {
        using var archive = Archive();
        archive.Write("2026-11-20/manifest.json", """{ "batchDate": "2026-11-20", "files": ["ihc_results.csv", "molecular_results.csv"] }""");

        var (code, _, error) = Lcnec.Run("screen", archive.Path, "--alerts", "-");

        Assert.Equal(1, code);
        Assert.Contains("missing: 2026-11-20/molecular_results.csv: listed in the manifest but not in the batch", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "screen" }, "lcnec: usage: a path is required (or --storage with --container)")]
    [InlineData(new[] { "screen", ".", "--bogus" }, "lcnec: usage: Unrecognized command or argument '--bogus'.")]
    [InlineData(new[] { "screen", "/no/such/folder/anywhere" }, "lcnec: usage: no such folder: /no/such/folder/anywhere")]
    [InlineData(new[] { "screen", ".", "--as-of", "2026-13-01" }, "lcnec: usage: --as-of \"2026-13-01\" is not a date (expected yyyy-MM-dd)")]
    [InlineData(new[] { "frobnicate" }, "lcnec: usage: Unrecognized command or argument 'frobnicate'.")]
    public void Run_UsageErrors_ExitTwoWithOneLine(string[] args, string expected)
    {
        var (code, _, error) = Lcnec.Run(args);

        Assert.Equal(2, code);
        Assert.Contains(expected, error.Split('\n', StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void Screen_ConfigWithANegativeWindow_IsAUsageError()
    {
        using var archive = Archive();
        var config = archive.Write("settings.json", """{ "Screening": { "TestingGraceDays": -3 } }""");

        var (code, _, error) = Lcnec.Run("screen", archive.Path, "--config", config, "--alerts", "-");

        Assert.Equal(2, code);
        Assert.Contains("Screening:TestingGraceDays must be between 0 and 3653 days, not -3", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Screen_ConfigWidensTheGraceWindow()
    {
        using var archive = Archive();
        var config = archive.Write("settings.json", """{ "Screening": { "TestingGraceDays": 30 } }""");

        var (code, output, _) = Lcnec.Run("screen", archive.Path, "--config", config, "--alerts", "-");

        Assert.Equal(0, code);
        Assert.Equal("", output);
    }

    [Fact]
    public void LoadOptions_NgsSection_IsBoundAndChecked()
    {
        using var archive = Archive();
        var good = archive.Write("good.json", """{ "Screening": { "Ngs": { "GenomeBuild": "GRCh37", "ArribaMinimumConfidence": "Low", "StarFusionMinimumFfpm": 0.5 } } }""");
        var bad = archive.Write("bad.json", """{ "Screening": { "Ngs": { "StarFusionMinimumFfpm": -1 } } }""");

        var ngs = ScreenCommand.LoadOptions(good).Ngs.ToScanOptions();

        Assert.Equal((GenomeBuild.GRCh37, ArribaConfidence.Low, 0.5), (ngs.GenomeBuild, ngs.ArribaMinimumConfidence, ngs.StarFusionMinimumFfpm));
        var (code, _, error) = Lcnec.Run("screen", archive.Path, "--config", bad, "--alerts", "-");
        Assert.Equal(2, code);
        Assert.Contains("Screening:Ngs:StarFusionMinimumFfpm must be zero or more, not -1", error, StringComparison.Ordinal);
    }

    /// <summary>Nothing listens here: a test that reaches Service Bus fails on the connection, not on what it asserts.</summary>
    private const string NoBus = "Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=k;SharedAccessKey=a2V5;UseDevelopmentEmulator=true;";

    [Theory]
    [InlineData(new[] { "--alerts", "-", "--publish", NoBus }, "lcnec: usage: --publish with --alerts - needs --publish-ledger FILE")]
    [InlineData(new[] { "--alerts", "-", "--publish-ledger", "sent.jsonl" }, "lcnec: usage: --publish-ledger goes with --publish")]
    public void Screen_PublishLedgerMisused_IsAUsageError(string[] options, string expected)
    {
        using var archive = Archive();

        var (code, output, error) = Lcnec.Run(["screen", archive.Path, .. options]);

        Assert.Equal((2, "", expected), (code, output, error.Trim()));
        Assert.False(File.Exists(Path.Combine(archive.Path, "sent.jsonl")));
    }

    [Theory]
    [InlineData("{\"messageId\":\"a1\",\"event\":\"raised\",\"on\":\"2026-11-16\"}\n{\"messageId\":\"a1:r1\"\n", 2, "not a ledger line (a JSON object with a \"messageId\")")]
    [InlineData("{\"messageId\":\"a1\"}\n\n", 2, "not a ledger line (a JSON object with a \"messageId\")")]
    [InlineData("{\"messageId\":12}\n", 1, "not a ledger line (a JSON object with a \"messageId\")")]
    [InlineData("{\"messageId\":\"a1\"}\n{\"messageId\":\"a1:r1\"}", 2, "the last line has no line end (cut short?)")]
    [InlineData("{\"messageId\":\"a1\"}\n\u00ff\n", 2, "not a ledger line (a JSON object with a \"messageId\")")]
    public void Screen_PublishLedgerWithAnUnreadableLine_FailsWithFileAndLine_BeforeWritingOrSendingAnything(string ledgerText, int line, string why)
    {
        using var archive = Archive();
        var ledger = Path.Combine(archive.Path, "out", "sent.jsonl");
        var bytes = System.Text.Encoding.Latin1.GetBytes(ledgerText); // one byte per character: \u00ff is a byte no UTF-8 text holds
        archive.Write("out/sent.jsonl", bytes);
        var alerts = Path.Combine(archive.Path, "out", "alerts.jsonl");

        var (code, _, error) = Lcnec.Run("screen", archive.Path, "--alerts", alerts, "--publish", NoBus, "--publish-ledger", ledger);

        Assert.Equal(3, code);
        Assert.Equal($"lcnec: failure: publish ledger {ledger}:{line}: {why}; fix or remove the line (nothing was sent)", error.Trim());
        Assert.False(File.Exists(alerts));
        Assert.Equal(bytes, File.ReadAllBytes(ledger));
    }
}
