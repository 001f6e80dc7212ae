using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.CaseFinding;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Synthetic;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Samples;

/// <summary>
/// <c>lcnec screen samples/archive</c> against the archive's own <c>truth.json</c>: every alert raised and
/// resolved on the day truth says, every bad row rejected where truth says, every patient's LCNEC class.
/// </summary>
public class SampleArchiveTests
{
    private static readonly TruthFile Truth = TruthFile.Load(Path.Combine(RepositoryRoot.SampleArchive, TruthFile.FileName));
    private static readonly RunResult Run = LocalRun.Screen(RepositoryRoot.SampleArchive, null, new ScreeningOptions());

    [Fact]
    public void Screen_SampleArchive_RaisesAndResolvesExactlyTheAlertsOfTruth()
    {
        // As the care team's answers left them (truth.json "responses"): the sample's outside test resolves an alert early.
        var expected = Truth.ExpectedAlerts()
            .Select(p => (c: p.Mrn, a: p.Alert))
            .Select(p => $"{p.a.RuleId} {p.c} {p.a.Subject} {p.a.Severity} due {p.a.DueSince:yyyy-MM-dd} open {p.a.OpenFrom:yyyy-MM-dd} resolved {p.a.ResolvedWhileOpen:yyyy-MM-dd}")
            .Order(StringComparer.Ordinal)
            .ToList();

        var raised = Run.AlertEvents.Where(e => e.Kind == AlertEventKind.Raised).ToList();
        var resolvedOn = Run.AlertEvents.Where(e => e.Kind == AlertEventKind.Resolved).ToDictionary(e => e.Alert.AlertId, e => (DateOnly?)e.On);
        var actual = raised
            .Select(e => $"{e.Alert.RuleId} {e.Alert.Patient.Mrn} {e.Alert.Subject} {AlertJson.Wire(e.Alert.Finding.Severity)} due {e.Alert.Finding.DueSince:yyyy-MM-dd} open {e.On:yyyy-MM-dd} resolved {resolvedOn.GetValueOrDefault(e.Alert.AlertId):yyyy-MM-dd}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(expected, actual);
        Assert.DoesNotContain(Run.AlertEvents, e => e.Kind == AlertEventKind.Reopened);
        Assert.Equal(Screener.DefaultRules.Select(r => r.Id).Order(StringComparer.Ordinal), expected.Select(e => e.Split(' ')[0]).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Screen_SampleArchive_FusionAndMutationAlertsCarryWhatTheRawFilesHold()
    {
        var raised = Run.AlertEvents.Where(e => e.Kind == AlertEventKind.Raised).Select(e => e.Alert).ToList();

        var unreported = raised.Where(a => a.RuleId == "ALK_FUSION_UNREPORTED").ToList();
        Assert.All(unreported, a =>
        {
            Assert.Equal(("EML4", "v1", "long", "GRCh38", 2), (a.Finding.Fusion!.Partner, a.Finding.Fusion.Variant, a.Finding.Fusion.VariantClass, a.Finding.Fusion.Build, a.Finding.Fusion.Breakpoints.Count));
            var ngs = Assert.Single(a.Finding.Evidence, e => e.Kind == "ngs");
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}/ngs/[A-Z0-9-]+\.(vcf|arriba\.tsv)$", ngs.Source.File);
            Assert.True(ngs.Source.Line > 0);
        });
        // One from a DNA VCF (no caller named, intronic breakpoints), one from an Arriba table (RNA junction).
        Assert.Contains(unreported, a => a.Finding.Fusion is { Caller: null } f && f.Breakpoints.SequenceEqual(["chr2:42296000", "chr2:29224000"]));
        Assert.Contains(unreported, a => a.Finding.Fusion is { Caller: "arriba" } f && f.Breakpoints.SequenceEqual(["chr2:42295516", "chr2:29223528"]));
        Assert.Contains(raised, a => a.RuleId == "ALK_FUSION_ACTIONABLE" && a.Finding.Fusion is { Caller: "star-fusion", Variant: "v3a", Breakpoints.Count: 2 });
        var resistance = Assert.Single(raised, a => a.RuleId == "ALK_RESISTANCE_MUTATION");
        Assert.Equal(["G1202R"], resistance.Finding.Mutations!.Select(m => m.Protein));
        Assert.Contains(resistance.Finding.Evidence, e => e.Kind == "ngs" && e.Text.Contains("chr2:29220765", StringComparison.Ordinal));
    }

    [Fact]
    public void Screen_SampleArchive_OpenAlertsAsOfTheLastBatchAreTheOpenOnesOfTruth()
    {
        var expected = Truth.ExpectedAlerts().Where(p => p.Alert.IsOpenOn(Truth.End)).Select(p => Alert.IdentityOf(p.Alert.RuleId, p.Mrn, p.Alert.Subject)).Order(StringComparer.Ordinal);

        Assert.Equal(Truth.End, Run.AsOf);
        Assert.Equal(expected, Run.Alerts.Select(a => a.AlertId).Order(StringComparer.Ordinal));
        Assert.All(Run.Alerts, a => Assert.Equal(AlertStatus.Open, a.Status));
    }

    [Fact]
    public void Screen_SampleArchive_EveryCareTeamResponseHasTheEffectTruthGivesIt()
    {
        var score = ResponseScore.Of(Truth, Run.AlertEvents);

        Assert.InRange(score.Expected, 5, 20);
        Assert.Empty(score.Misses);
        Assert.Contains(Truth.Responses, r => r.Effect == TruthResponse.CountsAsTest);
    }

    [Fact]
    public void Screen_SampleArchive_RejectsExactlyTheBadRowsOfTruth()
    {
        var expected = Truth.RejectedRows.Select(r => $"{r.Source}:{r.Line} {r.Column}").Order(StringComparer.Ordinal);

        var actual = Run.Files.SelectMany(f => f.Rejections).Select(r => $"{r.File}:{r.Line} {r.Column}").Order(StringComparer.Ordinal);

        Assert.Equal(expected, actual);
        Assert.Equal(Run.RowsRead, Run.RowsAccepted + Run.RowsRejected);
        Assert.Empty(Run.Quarantined);
        Assert.Empty(Run.MissingFromManifest);
    }

    [Fact]
    public void Screen_SampleArchive_FindsEachPatientsLcnecClassAsLabelled()
    {
        var session = new ScreeningSession(new ScreeningOptions());
        foreach (var date in new FolderBatchArchive(RepositoryRoot.SampleArchive).BatchDates())
        {
            foreach (var file in new FolderBatchArchive(RepositoryRoot.SampleArchive).Files(date))
            {
                LocalRun.IngestFile(date, file, session.Add);
            }
        }
        var wrong = new List<string>();
        foreach (var c in Truth.Cases)
        {
            var timeline = session.Store.Timeline(c.Mrn, Truth.End);
            var facts = timeline is null ? null : new PatientFacts(timeline, new ScreeningOptions());
            var found = facts?.Diagnosis?.Finding.Assertion.ToWire()
                ?? CurrentVersions(timeline!).Select(LcnecFinder.Assess).OfType<LcnecFinding>().Select(f => f.Assertion).OrderBy(a => a)
                    .Select(a => a.ToWire()).FirstOrDefault()
                ?? "none";
            var expected = c.Lcnec switch
            {
                LcnecLabel.Lookalike or LcnecLabel.None => "none",
                LcnecLabel.OtherSite => "other_site",
                var label => label.ToString().ToLowerInvariant(),
            };
            if (found != expected)
            {
                wrong.Add($"{c.Mrn}: expected {expected}, found {found}");
            }
            if (c.Advanced is { } advanced && facts?.IsAdvanced != advanced)
            {
                wrong.Add($"{c.Mrn}: expected advanced={advanced}");
            }
        }
        Assert.Empty(wrong);
        Assert.Equal(Truth.Cases.Count(c => c.Lcnec is LcnecLabel.Affirmed or LcnecLabel.Historical), Run.LcnecPatients);
    }

    /// <summary>What each accession says now: its versions from the last amended or corrected one on (an addendum adds).</summary>
    private static IEnumerable<LcnecBatch.Core.Events.PathologyReported> CurrentVersions(LcnecBatch.Core.Timeline.PatientTimeline? timeline) =>
        timeline is null ? [] : ReportVersions.ByAccession(timeline.Reports).SelectMany(versions =>
        {
            var list = versions.ToList();
            return list.Skip(Math.Max(0, list.FindLastIndex(ReportVersions.Amends)));
        });

    [Fact]
    public void Screen_SampleArchive_HoldsEveryKindOfReportVersionAndMention()
    {
        var reports = new FolderBatchArchive(RepositoryRoot.SampleArchive).BatchDates()
            .SelectMany(d => File.ReadAllText(Path.Combine(RepositoryRoot.SampleArchive, d.ToString("yyyy-MM-dd", null), "pathology_reports.csv")).Split('\n'))
            .ToList();

        Assert.Contains(Truth.Cases, c => c.Lcnec == LcnecLabel.Family);
        Assert.Contains(Truth.Cases, c => c.Lcnec == LcnecLabel.Negated && c.Alerts.Count > 0 && c.Alerts.All(a => a.ResolvedOn is not null));
        Assert.Contains(reports, l => l.EndsWith(",amended", StringComparison.Ordinal));
        Assert.Contains(reports, l => l.EndsWith(",corrected", StringComparison.Ordinal));
        Assert.Contains(reports, l => l.StartsWith("ADDENDUM", StringComparison.Ordinal));
        Assert.Contains(reports, l => l.StartsWith("Outside diagnosis: Large cell neuroendocrine carcinoma", StringComparison.Ordinal));
        Assert.Contains(reports, l => l.Contains("Histologic Type: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Screen_SampleArchiveTwice_WritesByteIdenticalAlerts()
    {
        using var first = new MemoryStream();
        using var second = new MemoryStream();

        AlertJson.WriteLines(first, Run.Alerts);
        AlertJson.WriteLines(second, LocalRun.Screen(RepositoryRoot.SampleArchive, null, new ScreeningOptions()).Alerts);

        Assert.Equal(first.ToArray(), second.ToArray());
    }
}
