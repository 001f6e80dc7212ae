using System.Globalization;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Audit;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Tests.Audit;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Pipeline;

/// <summary>
/// Issue 17 through the command line's run: care-team responses in <c>responses/{date}/*.jsonl</c> next to the batches,
/// read as facts known on their folder's date. The exact alert events, by date.
/// </summary>
public sealed class ResponseScenarioTests : IDisposable
{
    private static readonly DateOnly Day0 = new(2026, 3, 2);
    private const string Mrn = "100001";
    private const string UnknownAlert = "ffffffffffffffffffffffffffffffff";

    /// <summary>The id of the untested patient's ALK_TEST_MISSING alert, as a care team's response names it.</summary>
    private static readonly string UntestedAlert = Alert.IdentityOf("ALK_TEST_MISSING", Mrn, "S-1");

    private readonly ArchiveFolderBuilder _archive = new();

    public void Dispose() => _archive.Dispose();

    private static DateOnly Day(int n) => Day0.AddDays(n);

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static List<string> Events(RunResult run) =>
        [.. run.AlertEvents.Select(e => $"{e.On.ToString("MM-dd", CultureInfo.InvariantCulture)} {e.Kind} {e.Alert.RuleId} {e.Alert.Patient.Mrn} {e.Alert.Subject}").Order(StringComparer.Ordinal)];

    /// <summary>Advanced LCNEC diagnosed on day 0, never tested: ALK_TEST_MISSING is raised on day 15 (03-17).</summary>
    private ArchiveFolderBuilder Untested() =>
        _archive.Patient(Day(0), Mrn, "M", "1950-05-01", "current").Report(Day(0), Mrn, "S-1");

    private ArchiveFolderBuilder Response(int recorded, string kindAndFields, string id = "r-1", string alertId = UnknownAlert) =>
        _archive.ResponseLine(Day(recorded),
            $"{{\"responseId\":\"{id}\",\"mrn\":\"{Mrn}\",\"alertId\":\"{alertId}\",\"respondedOn\":\"{Iso(Day(recorded))}\",{kindAndFields}}}");

    private static string Outside(string method, string result, int date, string extra = "") =>
        $"\"kind\":\"testedElsewhere\",\"outsideTest\":{{\"lab\":\"Outside Lab\",\"date\":\"{Iso(Day(date))}\",\"method\":\"{method}\",\"result\":\"{result}\"{extra}}}";

    private RunResult Run(int asOf) =>
        LocalRun.Screen(_archive.Night(Day(asOf)).Build(), Day(asOf), new ScreeningOptions(), includeResolved: true);

    [Fact]
    public void Screen_AdvancedLcnecUntested_RaisesAlkTestMissing()
    {
        Untested();

        Assert.Equal(["03-17 Raised ALK_TEST_MISSING 100001 S-1"], Events(Run(30)));
    }

    [Fact]
    public void Screen_TestedElsewhereNegativeFish_ResolvesTheAlertOnTheDayTheResponseWasRecorded()
    {
        Untested();
        Response(20, Outside("fish", "negative", 10));

        var run = Run(30);

        Assert.Equal(["03-17 Raised ALK_TEST_MISSING 100001 S-1", "03-22 Resolved ALK_TEST_MISSING 100001 S-1"], Events(run));
        var file = Assert.Single(run.Files, f => f.Kind == BatchFileKind.Responses);
        Assert.Equal(($"responses/{Iso(Day(20))}/inbox.jsonl", 1, 1), (file.Source, file.RowsRead, file.RowsAccepted));
    }

    [Fact]
    public void Screen_TestedElsewhereNegativeFishTwiceUnderOneId_IsOneFact()
    {
        Untested();
        Response(20, Outside("fish", "negative", 10));
        // Delivered again the next day by another channel, saying it was a positive: the first delivery of r-1 stands.
        _archive.ResponseLine(Day(21),
            $"{{\"responseId\":\"r-1\",\"mrn\":\"{Mrn}\",\"alertId\":\"{UnknownAlert}\",\"respondedOn\":\"{Iso(Day(20))}\",\"channel\":\"cds-hooks\",{Outside("fish", "positive", 10)}}}",
            "retry.jsonl");

        var run = Run(30);

        Assert.Equal(["03-17 Raised ALK_TEST_MISSING 100001 S-1", "03-22 Resolved ALK_TEST_MISSING 100001 S-1"], Events(run));
        Assert.Equal(2, run.Files.Where(f => f.Kind == BatchFileKind.Responses).Sum(f => f.RowsAccepted));
    }

    [Theory]
    [InlineData("equivocal")]
    [InlineData("failed")]
    public void Screen_TestedElsewhereEquivocalOrFailed_IsNoTest(string result)
    {
        Untested();
        Response(20, Outside("fish", result, 10));

        Assert.Equal(["03-17 Raised ALK_TEST_MISSING 100001 S-1"], Events(Run(30)));
    }

    [Fact]
    public void Screen_TestedElsewherePositiveNgs_IsAnActionableFusionCitingTheOutsideLab()
    {
        Untested();
        Response(20, Outside("ngs", "positive", 12, ",\"alteration\":\"EML4-ALK fusion\""));

        var run = Run(30);

        Assert.Equal(
            ["03-17 Raised ALK_TEST_MISSING 100001 S-1", "03-22 Raised ALK_FUSION_ACTIONABLE 100001 outside: Outside Lab", "03-22 Resolved ALK_TEST_MISSING 100001 S-1"],
            Events(run));
        var actionable = Assert.Single(run.Alerts, a => a.RuleId == "ALK_FUSION_ACTIONABLE" && a.Status == AlertStatus.Open).Finding;
        var molecular = Assert.Single(actionable.Evidence, e => e.Kind == "molecular");
        Assert.Equal(("outside: Outside Lab", Day(12), $"responses/{Iso(Day(20))}/inbox.jsonl:1"), (molecular.Accession, molecular.Date, molecular.Source.ToString()));
        Assert.Equal("EML4", actionable.Fusion?.Partner);
    }

    [Fact]
    public void Screen_TestedElsewherePositiveIhc_NeedsMolecularConfirmationLikeALabIhc()
    {
        Untested();
        Response(20, Outside("ihc", "positive", 10));

        var run = Run(40);

        Assert.Contains(Events(run), e => e.EndsWith("Raised ALK_IHC_UNCONFIRMED 100001 outside: Outside Lab", StringComparison.Ordinal));
        Assert.Contains("03-22 Resolved ALK_TEST_MISSING 100001 S-1", Events(run));
        Assert.DoesNotContain(Events(run), e => e.Contains("ACTIONABLE", StringComparison.Ordinal));
    }

    [Fact]
    public void Screen_DisagreeNotLcnec_ClosesThePatientToNewAlerts_AndAuditListsItForPathologyReview()
    {
        Untested();
        Response(20, "\"kind\":\"disagree\",\"disagreement\":\"notLcnec\"", alertId: UntestedAlert);
        _archive.Molecular(Day(30), Mrn, "M-1", "detected", "EML4-ALK fusion");

        var run = Run(60);

        // The open alert closes on the response day with its reason (not a resolution: nothing was tested); a fusion
        // signed out afterwards raises nothing: the patient is not LCNEC for screening.
        Assert.Equal(["03-17 Raised ALK_TEST_MISSING 100001 S-1", "03-22 Closed ALK_TEST_MISSING 100001 S-1"], Events(run));
        Assert.Equal(AlertClosedReason.NotLcnec, run.AlertEvents.Single(e => e.Kind == AlertEventKind.Closed).Alert.ClosedReason);
        Assert.Equal(0, run.LcnecPatients);

        var audit = AuditRun.Run(new FolderBatchArchive(_archive.Path), new AuditRequest(null, Day(60), new ScreeningOptions()));
        var review = Assert.Single(audit.PathologyReview);
        Assert.Equal((Mrn, "r-1", Day(20), (DateOnly?)null), (review.Response.Mrn, review.Response.ResponseId, review.Response.KnownOn, review.DiagnosedAgain?.Date));
        using var folder = new TempFolder();
        audit.WriteTo(folder.Path);
        var csv = File.ReadAllLines(Path.Combine(folder.Path, AuditCsv.PathologyReviewFileName));
        Assert.Equal(2, csv.Length);
        Assert.StartsWith($"{Mrn},{Iso(Day(20))},{Iso(Day(20))},r-1,{UntestedAlert},", csv[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Screen_NewerReportAffirmingLcnecAfterNotLcnec_MakesThePatientLcnecAgain()
    {
        Untested();
        Response(20, "\"kind\":\"disagree\",\"disagreement\":\"notLcnec\"", alertId: UntestedAlert);
        _archive.Report(Day(40), Mrn, "S-2", "Lung, resection: large cell neuroendocrine carcinoma, confirmed on review.");

        var run = Run(60);

        Assert.Equal(
            ["03-17 Raised ALK_TEST_MISSING 100001 S-1", "03-22 Closed ALK_TEST_MISSING 100001 S-1", "04-26 Raised ALK_TEST_MISSING 100001 S-2"],
            Events(run));
        Assert.Equal(1, run.LcnecPatients);
        var audit = AuditRun.Run(new FolderBatchArchive(_archive.Path), new AuditRequest(null, Day(60), new ScreeningOptions()));
        Assert.Equal(Day(40), Assert.Single(audit.PathologyReview).DiagnosedAgain?.Date);
    }

    [Fact]
    public void Screen_ResponseNamingAnUnknownAlert_IsKeptAsAFact_AndChangesNoFinding()
    {
        Untested();
        Response(20, "\"kind\":\"acknowledged\"", alertId: UnknownAlert);

        var run = Run(30);

        Assert.Equal(["03-17 Raised ALK_TEST_MISSING 100001 S-1"], Events(run));
        Assert.Equal((1, 1, 0), run.Files.Where(f => f.Kind == BatchFileKind.Responses).Select(f => (f.RowsRead, f.RowsAccepted, f.RowsRejected)).Single());
        Assert.False(run.HadRejections);
    }

    [Fact]
    public void Cli_BadResponseLine_IsARejectionInTheReport_WithoutItsMrn_AndExitsOne()
    {
        Untested();
        Response(20, Outside("fish", "negative", 10));
        _archive.ResponseLine(Day(20), $"{{\"responseId\":\"r-2\",\"mrn\":\"{Mrn}\",\"alertId\":\"{UnknownAlert}\",\"respondedOn\":\"{Iso(Day(20))}\",\"kind\":\"snoozed\"}}");
        var path = _archive.Night(Day(30)).Build();
        var report = Path.Combine(path, "..", Path.GetFileName(path) + "-report");

        var (code, output, error) = Lcnec.Run("screen", path, "--as-of", Iso(Day(30)), "--alerts", "-", "--report", report);

        Assert.Equal(1, code);
        var rejections = File.ReadAllText(Path.Combine(report, "rejections.csv"));
        Assert.Contains($"responses/{Iso(Day(20))}/inbox.jsonl", rejections, StringComparison.Ordinal);
        Assert.Contains("until", rejections, StringComparison.Ordinal);
        Assert.DoesNotContain(Mrn, rejections, StringComparison.Ordinal);
        Assert.DoesNotContain(Mrn, error, StringComparison.Ordinal);
        Assert.DoesNotContain("ALK_TEST_MISSING", output, StringComparison.Ordinal); // the good line still counted as the test
        Directory.Delete(report, recursive: true);
    }

    [Fact]
    public void Screen_ResponseFilesAfterTheAsOfDate_AreNotRead_AndBadOnesAreReported()
    {
        Untested();
        Response(20, Outside("fish", "negative", 10));
        _archive.ResponseLine(Day(21), "{\"responseId\":\"r-2\",\"mrn\":\"100001\"}");
        _archive.ResponseLine(Day(21), "not json", "notes.txt");
        _archive.ResponseLine(Day(40), "{}");

        var run = Run(30);

        var responses = run.Files.Where(f => f.Source.StartsWith("responses/", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"responses/{Iso(Day(20))}/inbox.jsonl", $"responses/{Iso(Day(21))}/inbox.jsonl", $"responses/{Iso(Day(21))}/notes.txt"], responses.Select(f => f.Source));
        Assert.Equal((1, 0), (responses[1].RowsRead, responses[1].RowsAccepted));
        Assert.Equal(("alertId", 1), (responses[1].Rejections.Single().Column, responses[1].Rejections.Single().Line));
        Assert.Equal(BatchFileKind.NotAnInput, responses[2].Kind);
        Assert.True(run.HadRejections);
        Assert.Equal(run.RowsRead, run.RowsAccepted + run.RowsRejected);
    }

    [Fact]
    public void Audit_SameArchiveTwice_GivesTheSameBytes()
    {
        Untested();
        Response(20, Outside("ngs", "positive", 12, ",\"alteration\":\"EML4-ALK fusion\""));
        Response(25, "\"kind\":\"disagree\",\"disagreement\":\"notLcnec\"", id: "r-2");
        var path = _archive.Night(Day(40)).Build();
        using var first = new TempFolder();
        using var second = new TempFolder();

        AuditRun.Run(new FolderBatchArchive(path), new AuditRequest(null, null, new ScreeningOptions())).WriteTo(first.Path);
        AuditRun.Run(new FolderBatchArchive(path), new AuditRequest(null, null, new ScreeningOptions())).WriteTo(second.Path);

        var names = Directory.GetFiles(first.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Contains(AuditCsv.PathologyReviewFileName, names);
        foreach (var name in names)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first.Path, name!)), File.ReadAllBytes(Path.Combine(second.Path, name!)));
        }
        var a = LocalRun.Screen(path, Day(40), new ScreeningOptions(), includeResolved: true);
        var b = LocalRun.Screen(path, Day(40), new ScreeningOptions(), includeResolved: true);
        Assert.Equal(a.AlertEvents.Select(e => (e.On, e.Kind, e.Alert.AlertId)), b.AlertEvents.Select(e => (e.On, e.Kind, e.Alert.AlertId)));
    }

    [Fact]
    public void Screen_NotACandidateFromAResponseFile_ClosesTheAlertWithItsReason_AndRemindersStop()
    {
        Untested(); // a current smoker: no reminders at all; a never-smoker's are capped by the ledger's own tests
        Response(20, "\"kind\":\"notCandidate\",\"reason\":\"hospice\"", alertId: UntestedAlert);

        var run = Run(200);

        Assert.Equal(["03-17 Raised ALK_TEST_MISSING 100001 S-1", "03-22 Closed ALK_TEST_MISSING 100001 S-1"], Events(run));
        var closed = run.AlertEvents.Single(e => e.Kind == AlertEventKind.Closed);
        Assert.Equal((AlertClosedReason.Hospice, $"{UntestedAlert}:closed"), (closed.Alert.ClosedReason, closed.MessageId));
    }
}
