using System.Globalization;
using System.Text;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Audit;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;

namespace LcnecBatch.Core.Tests.Audit;

/// <summary>
/// Issue 17, the audit's side: response figures on a small hand-built archive whose answers are known. Five advanced
/// LCNEC patients (women: high severity, so reminded) diagnosed on day 0 and never tested: each ALK_TEST_MISSING alert is raised on day 15.
/// A acknowledges on day 17 (2 days), D is not a candidate (hospice) on day 19 (4), E was tested elsewhere (FISH
/// positive, day 12) as recorded on day 20 (5), B declines on day 25 (10); C never answers.
/// </summary>
public sealed class AuditResponseTests : IDisposable
{
    private static readonly DateOnly Day0 = new(2025, 2, 3);
    private const int LastDay = 140;

    private readonly ArchiveFolderBuilder _archive = new();

    public void Dispose() => _archive.Dispose();

    private static DateOnly Day(int n) => Day0.AddDays(n);

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Missing(string mrn) => Alert.IdentityOf("ALK_TEST_MISSING", mrn, $"S-{mrn}");

    private void Untested(string mrn) => _archive.Patient(Day(0), mrn, "F", "1950-05-01", "current").Report(Day(0), mrn, $"S-{mrn}");

    private void Answer(string mrn, int day, string fields) =>
        _archive.ResponseLine(Day(day), $"{{\"responseId\":\"r-{mrn}\",\"mrn\":\"{mrn}\",\"alertId\":\"{Missing(mrn)}\",\"respondedOn\":\"{Iso(Day(day))}\",{fields}}}");

    private string Build()
    {
        foreach (var mrn in new[] { "200001", "200002", "200003", "200004", "200005" })
        {
            Untested(mrn);
        }
        Answer("200001", 17, "\"kind\":\"acknowledged\"");
        Answer("200002", 25, "\"kind\":\"declined\"");
        Answer("200004", 19, "\"kind\":\"notCandidate\",\"reason\":\"hospice\"");
        Answer("200005", 20, $"\"kind\":\"testedElsewhere\",\"outsideTest\":{{\"lab\":\"Reference Lab\",\"date\":\"{Iso(Day(12))}\",\"method\":\"fish\",\"result\":\"positive\"}}");
        for (var day = 1; day <= LastDay; day++)
        {
            _archive.Night(Day(day)); // a nightly batch every day, as the reminders' cadence assumes
        }
        return _archive.Build();
    }

    private static AuditResult Audit(string root) =>
        AuditRun.Run(new FolderBatchArchive(root), new AuditRequest(null, null, new ScreeningOptions()));

    [Fact]
    public void Audit_KnownAnswers_CountsResponsesByKindAndReason()
    {
        var responses = Audit(Build()).Figures.Responses;

        Assert.Equal(4, responses.Responses);
        Assert.Equal(
            [KeyValuePair.Create("acknowledged", 1), KeyValuePair.Create("declined", 1), KeyValuePair.Create("notCandidate:hospice", 1), KeyValuePair.Create("testedElsewhere", 1)],
            responses.ByKind);
        Assert.Equal([KeyValuePair.Create("fish positive", 1)], responses.OutsideTests);
    }

    [Fact]
    public void Audit_KnownAnswers_TimeFromAlertToFirstResponseIsMedianAndP90OfTheAnsweredOnes()
    {
        var responses = Audit(Build()).Figures.Responses;

        // Days 2, 4, 5, 10: median 4.5; p90 at rank 2.7 = 5 + 0.7 * 5 = 8.5.
        Assert.Equal(new DayDistribution(4, 4.5, 8.5), responses.DaysToFirstResponse);
        var missing = Assert.Single(responses.Rules, r => r.RuleId == "ALK_TEST_MISSING");
        Assert.Equal((5, 4, 1), (missing.Alerts, missing.Answered, missing.NeverAnswered));
        Assert.Equal(new DayDistribution(4, 4.5, 8.5), missing.DaysToFirstResponse);
    }

    [Fact]
    public void Audit_KnownAnswers_AlertsNeverAnsweredIncludeTheOutsideFusionNoOneAnswered()
    {
        var responses = Audit(Build()).Figures.Responses;

        var actionable = Assert.Single(responses.Rules, r => r.RuleId == "ALK_FUSION_ACTIONABLE");
        Assert.Equal((1, 0, 1), (actionable.Alerts, actionable.Answered, actionable.NeverAnswered));
        Assert.Equal((6, 4, 2), (responses.AlertsRaised, responses.AlertsAnswered, responses.AlertsNeverAnswered));
    }

    [Fact]
    public void Audit_ClosingsAndEscalations_AreNotCountedAsReminders()
    {
        var root = Build();
        var screened = LocalRun.Screen(root, null, new ScreeningOptions(), includeResolved: true).AlertEvents
            .Where(e => e.Alert.RuleId == "ALK_TEST_MISSING").ToList();

        var figures = Audit(root).Figures;

        var activity = Assert.Single(figures.Rules, r => r.RuleId == "ALK_TEST_MISSING");
        var responses = Assert.Single(figures.Responses.Rules, r => r.RuleId == "ALK_TEST_MISSING");
        // A: one at the acknowledged cadence (day 17 + 90); C: days 45, 75, 105, then one escalation (day 135).
        Assert.Equal(4, activity.Reminders);
        Assert.Equal(screened.Count(e => e.Kind == AlertEventKind.Reminder), activity.Reminders);
        Assert.Equal((2, 1), (responses.Closed, responses.Escalated));
        Assert.Equal(screened.Count(e => e.Kind == AlertEventKind.Closed), responses.Closed);
        Assert.Equal(screened.Count(e => e.Kind == AlertEventKind.Escalated), responses.Escalated);
    }

    [Fact]
    public void Audit_KnownAnswers_WritesResponseFiguresToJsonAndCsvTheSameTwice()
    {
        var root = Build();
        using var first = new TestData.TempFolder();
        using var second = new TestData.TempFolder();

        Audit(root).WriteTo(first.Path);
        Audit(root).WriteTo(second.Path);

        foreach (var name in new[] { AuditJson.FileName, AuditCsv.ResponsesFileName, "audit.html" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first.Path, name)), File.ReadAllBytes(Path.Combine(second.Path, name)));
        }
        var json = File.ReadAllText(Path.Combine(first.Path, AuditJson.FileName));
        Assert.Contains("\"alertsNeverAnswered\": 2", json, StringComparison.Ordinal);
        Assert.Contains("\"notCandidate:hospice\": 1", json, StringComparison.Ordinal);
        var csv = File.ReadAllLines(Path.Combine(first.Path, AuditCsv.ResponsesFileName), Encoding.UTF8);
        Assert.Equal(5, csv.Length);
        Assert.Contains(csv, l => l.StartsWith($"r-200004,{Missing("200004")},ALK_TEST_MISSING,notCandidate:hospice,{Iso(Day(19))},{Iso(Day(19))},4,", StringComparison.Ordinal));
        Assert.DoesNotContain("mrn", csv[0].TrimStart('\uFEFF').Split(','));
    }
}
