using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Audit;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Synthetic;
using LcnecBatch.Core.Tests.Synthetic;

namespace LcnecBatch.Core.Tests.Audit;

public sealed class AuditRunTests(DefaultArchiveFixture fixture) : IClassFixture<DefaultArchiveFixture>
{
    private readonly GeneratedArchive _archive = fixture.Archive;

    private AuditResult Audit(DateOnly? from = null, DateOnly? to = null, int lookahead = 4) =>
        AuditRun.Run(new FolderBatchArchive(_archive.Root), new AuditRequest(from, to, new ScreeningOptions()) { Lookahead = lookahead });

    private static Dictionary<string, int> RaisedInTruth(TruthFile truth, DateOnly from, DateOnly to) =>
        truth.ExpectedAlerts().Select(p => p.Alert)
            .Where(a => a.OpenFrom >= from && a.OpenFrom <= to)
            .GroupBy(a => a.RuleId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private static Dictionary<string, int> NonZero(IEnumerable<KeyValuePair<string, int>> counts) =>
        counts.Where(p => p.Value > 0).ToDictionary(StringComparer.Ordinal);

    [Fact]
    public void Audit_GeneratedArchive_AgreesWithTruth()
    {
        var truth = _archive.Truth;

        var figures = Audit().Figures;

        Assert.Equal(truth.Start, figures.From);
        Assert.Equal(truth.End, figures.To);
        Assert.Equal(truth.Cases.Count(c => c.Lcnec is LcnecLabel.Affirmed or LcnecLabel.Historical), figures.LcnecPatients);
        Assert.Equal(truth.Cases.Count(c => c.Advanced == true), figures.AdvancedLcnecPatients);
        Assert.Equal(RaisedInTruth(truth, truth.Start, truth.End), NonZero(figures.AlertsByRule));
        // As the generated care-team answers left them: an outside test resolves, a closing answer closes.
        Assert.Equal(truth.ExpectedAlerts().Count(p => p.Alert.IsOpenOn(truth.End)), figures.Rules.Sum(r => r.OpenAtEnd));
        Assert.Equal(truth.RejectedRows.Count, figures.Input.RowsRejected);
    }

    [Fact]
    public void Audit_WindowInsideTheArchive_CountsOnlyAlertsRaisedInTheWindow()
    {
        var truth = _archive.Truth;
        var from = truth.Start.AddDays(12);
        var to = truth.End.AddDays(-6);

        var figures = Audit(from, to).Figures;

        Assert.Equal(RaisedInTruth(truth, from, to), NonZero(figures.AlertsByRule));
        Assert.Equal(12, figures.Input.HistoryBatches);
        Assert.Equal(_archive.BatchFolders().Count - 12 - 6, figures.Input.Batches);
        Assert.All(Audit(from, to).Cases, c => Assert.InRange(c.DiagnosisDate, from, to));
    }

    [Fact]
    public void Audit_GeneratedArchive_CountsTheSameAlertEventsAsOneScreeningReplay()
    {
        var screened = LocalRun.Screen(_archive.Root, null, new ScreeningOptions()).AlertEvents;

        var rules = Audit().Figures.Rules;

        foreach (var rule in rules)
        {
            var events = screened.Where(e => e.Alert.RuleId == rule.RuleId).ToList();
            Assert.Equal(events.Count(e => e.Kind == AlertEventKind.Raised), rule.Raised);
            Assert.Equal(events.Count(e => e.Kind == AlertEventKind.Reopened), rule.Reopened);
            Assert.Equal(events.Count(e => e.Kind == AlertEventKind.Reminder), rule.Reminders);
            Assert.Equal(events.Count(e => e.Kind == AlertEventKind.Resolved), rule.Resolved);
        }
        Assert.Contains(rules, r => r.Resolved > 0);
    }

    [Fact]
    public void Audit_AnyLookahead_GivesTheSameBytes()
    {
        var serial = Write(Audit(lookahead: 1));

        var parallel = Write(Audit(lookahead: 16));

        Assert.Equal(serial, parallel);
    }

    [Fact]
    public void Audit_GeneratedArchive_CasesMatchTheCohort()
    {
        var result = Audit();

        Assert.Equal(result.Figures.LcnecPatients, result.Cases.Count);
        Assert.Equal(result.Cases.Select(c => c.Mrn).Order(StringComparer.Ordinal), result.Cases.Select(c => c.Mrn));
        Assert.All(result.Cases.Where(c => c.DaysToFirstAlkTest is null && c.Advanced && c.DiagnosisDate.AddDays(14) < result.Figures.To),
            c => Assert.Contains(c.Alerts, a => a.RuleId == "ALK_TEST_MISSING"));
        Assert.Equal(result.Figures.LcnecPatients, result.Figures.TimeToFirstAlkTestBins.Sum(b => b.Value));
        Assert.Equal(result.Figures.LcnecPatients, result.Figures.CoverageByQuarter.Sum(q => q.Lcnec));
        Assert.Contains(result.Findings, f => f.Finding.Assertion == Core.CaseFinding.Assertion.Uncertain);
    }

    [Fact]
    public void Audit_FromAfterTo_Throws()
    {
        var truth = _archive.Truth;

        var e = Assert.Throws<ArgumentException>(() => Audit(truth.End, truth.Start));

        Assert.Contains("is after --to", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_Progress_ReportsEveryBatchInOrder()
    {
        var seen = new List<AuditProgress>();

        AuditRun.Run(new FolderBatchArchive(_archive.Root), new AuditRequest(null, null, new ScreeningOptions()), seen.Add);

        var batches = _archive.BatchFolders().Count;
        Assert.Equal(Enumerable.Range(1, batches), seen.Select(p => p.Done));
        Assert.All(seen, p => Assert.Equal(batches, p.Total));
        Assert.Equal(seen.Select(p => p.Date).Order(), seen.Select(p => p.Date));
    }

    private static Dictionary<string, byte[]> Write(AuditResult result)
    {
        var folder = Path.Combine(Path.GetTempPath(), "lcnec-tests", Guid.NewGuid().ToString("N"));
        try
        {
            result.WriteTo(folder);
            return Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes, StringComparer.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
