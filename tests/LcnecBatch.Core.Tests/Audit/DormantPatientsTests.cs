using System.Text;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Audit;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Synthetic;
using LcnecBatch.Core.Tests.Synthetic;
using LcnecBatch.Core.Timeline;

namespace LcnecBatch.Core.Tests.Audit;

/// <summary>
/// Issue 19, bounded memory: the audit puts dormant patients' facts to rest in an encrypted spill file. Putting them to
/// rest must change nothing the audit says, and what stays in memory must be the patients who can still raise alerts.
/// </summary>
public sealed class DormantPatientsTests
{
    private static readonly DateOnly Start = new(2024, 1, 1);

    [Theory]
    [InlineData(800, 400, 7)]
    [InlineData(1500, 540, 23)]
    public void GeneratedArchive_WithDormantPatientsAtRest_WritesTheSameReportAndEventsAsAllInMemory(int patients, int days, int seed)
    {
        using var archive = new GeneratedArchive(new GeneratorOptions { Patients = patients, Days = days, Seed = seed, Start = Start });

        var inMemory = Audited.Of(archive.Root, spill: false);
        var atRest = Audited.Of(archive.Root, spill: true);

        Audited.AssertSame(inMemory, atRest);
        Assert.Equal(0, inMemory.Dormancy.AtRest);
        // Most patients of a lab never have LCNEC: by the end most are at rest, or the test proves nothing.
        Assert.True(atRest.Dormancy.AtRest * 2 > patients, $"{atRest.Dormancy.AtRest} of {patients} patients at rest");
        Assert.True(atRest.Dormancy.SpillBytes > 0);
    }

    [Fact]
    public void SampleArchive_WithDormantPatientsAtRest_WritesTheSameReportAndEventsAsAllInMemory()
    {
        var root = Path.Combine(TestData.RepositoryRoot.Path, "samples", "archive");

        Audited.AssertSame(Audited.Of(root, spill: false), Audited.Of(root, spill: true));
    }

    /// <summary>
    /// Patients whose facts go to rest and then get new ones: a report diagnosing LCNEC months after a lean one (the earlier
    /// ALK IHC must still count), a row delivered again after its patient went to rest (one fact, the earliest batch), a
    /// birth date that arrives late and sets aside a report dated before it.
    /// </summary>
    [Fact]
    public void PatientWokenByALaterFact_IsScreenedWithEveryEarlierFact()
    {
        var day = Start;
        using var builder = new ArchiveFolderBuilder()
            .Patient(day, "900001", sex: "F", smoking: "never")
            .Report(day, "900001", "S24-001", "Lung, right upper lobe, biopsy: atypical pneumocyte hyperplasia; no carcinoma seen.", stage: "")
            .AlkIhc(day.AddDays(3), "900001", "S24-001", "negative")
            .Patient(day, "900002", sex: "M")
            .Report(day, "900002", "S24-002", "Colon, biopsy: tubular adenoma.", stage: "")
            .Patient(day, "900003", sex: "M", birth: "1950-01-01")
            .Report(day.AddDays(1), "900003", "S24-003", "Skin, shave: seborrheic keratosis.", stage: "")
            // 150 days later: LCNEC for the first patient, the second's report again, the third's birth date changed.
            .Report(day.AddDays(150), "900001", "S24-101")
            .Report(day.AddDays(150), "900002", "S24-002", "Colon, biopsy: tubular adenoma.", stage: "")
            .Patient(day.AddDays(150), "900003", birth: "2024-02-01");
        for (var night = 0; night <= 240; night += 10)
        {
            // Other patients' facts every tenth night, as a lab's nights have.
            builder.Patient(day.AddDays(night), $"8{night:D5}", sex: "M");
        }
        var root = builder.Build();

        var inMemory = Audited.Of(root, spill: false);
        var atRest = Audited.Of(root, spill: true);

        Audited.AssertSame(inMemory, atRest);
        Assert.True(atRest.Dormancy.Wakes >= 3, $"{atRest.Dormancy.Wakes} patients woken");
        Assert.Contains(atRest.Events, e => e.Contains("\"mrn\":\"900001\"", StringComparison.Ordinal));
        Assert.Contains("pathology_reports.csv", atRest.SetAside, StringComparison.Ordinal); // 900003's report, now dated before birth
    }

    [Fact]
    public void AfterTheWalk_OnlyPatientsWhoCanStillRaiseAlertsOrHadAFactLatelyAreInMemory()
    {
        using var archive = new GeneratedArchive(new GeneratorOptions { Patients = 1000, Days = 365, Seed = 11, Start = Start });
        var folder = new FolderBatchArchive(archive.Root);
        var dates = folder.BatchDates();
        using var store = TimelineStore.WithDormantSpill();
        var session = new ScreeningSession(new ScreeningOptions(), store: store);
        foreach (var date in dates)
        {
            foreach (var file in folder.Files(date))
            {
                LocalRun.IngestFile(date, file, session.Add);
            }
            session.AdvanceTo(date, dates[0]);
        }

        var end = dates[^1];
        var inMemory = store.Patients.Where(mrn => !store.IsAtRest(mrn)).ToList();
        var unexplained = inMemory.Where(mrn =>
            !(store.Timeline(mrn, end) is { } timeline && new PatientFacts(timeline, session.Options).HasLcnec)
            && !store.HasResponses(mrn)
            && !session.Ledger.HasOpen(mrn)
            && store.LastKnownOn(mrn) <= end.AddDays(-ScreeningSession.QuietDays - 1)).ToList();
        Assert.Empty(unexplained);
        Assert.True(inMemory.Count * 3 < store.Patients.Count(), $"{inMemory.Count} of {store.Patients.Count()} patients in memory");
    }

    /// <summary>What one audit of an archive wrote, its alert events and how it kept dormant patients.</summary>
    private sealed record Audited(IReadOnlyDictionary<string, string> Files, IReadOnlyList<string> Events, string SetAside, AuditDormancy Dormancy)
    {
        public static Audited Of(string root, bool spill)
        {
            var events = new List<string>();
            var result = AuditRun.Run(new FolderBatchArchive(root), new AuditRequest(null, null, new ScreeningOptions())
            {
                SpillDormant = spill,
                OnAlertEvent = e => events.Add($"{e.Name} {e.On:yyyy-MM-dd} {e.MessageId} {Encoding.UTF8.GetString(AlertJson.ToUtf8(e))}"),
            });
            var folder = Path.Combine(Path.GetTempPath(), $"lcnec-dormant-{Guid.NewGuid():N}");
            try
            {
                result.WriteTo(folder);
                var files = Directory.EnumerateFiles(folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);
                var setAside = string.Join("\n", result.SetAside.Select(r => $"{r.File}:{r.Line} {r.Column}"));
                return new Audited(files, events, setAside, result.Dormancy!);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        public static void AssertSame(Audited expected, Audited actual)
        {
            Assert.Equal(expected.Events, actual.Events);
            Assert.Equal(expected.SetAside, actual.SetAside);
            Assert.Equal(expected.Files.Keys.Order(StringComparer.Ordinal), actual.Files.Keys.Order(StringComparer.Ordinal));
            foreach (var (file, text) in expected.Files)
            {
                Assert.True(text == actual.Files[file], $"{file} differs");
            }
        }
    }
}
