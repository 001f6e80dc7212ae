using System.Text;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Audit;
using LcnecBatch.Core.Events;
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

    /// <summary>HL7 v2 and FHIR carry fields CSV leaves empty (values, comments, procedures, statuses): they rest and come back too.</summary>
    [Theory]
    [InlineData(Carrier.Hl7)]
    [InlineData(Carrier.Fhir)]
    public void ArchiveInAnotherCarrier_WithDormantPatientsAtRest_WritesTheSameReportAndEventsAsAllInMemory(Carrier carrier)
    {
        using var archive = new GeneratedArchive(new GeneratorOptions { Patients = 600, Days = 300, Seed = 31, Start = Start });
        CarrierConverter.Convert(archive.Root, carrier);

        var inMemory = Audited.Of(archive.Root, spill: false);
        var atRest = Audited.Of(archive.Root, spill: true);

        Audited.AssertSame(inMemory, atRest);
        Assert.True(atRest.Dormancy.AtRest * 2 > 600, $"{atRest.Dormancy.AtRest} of 600 patients at rest");
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

    [Fact]
    public void SpillFileThatCannotBeMade_KeepsEveryPatientInMemory_AndSaysWhy()
    {
        var root = Path.Combine(TestData.RepositoryRoot.Path, "samples", "archive");
        var missing = Path.Combine(Path.GetTempPath(), $"lcnec-no-such-folder-{Guid.NewGuid():N}");

        var inMemory = Audited.Of(root, spill: false);
        var fallback = Audited.Of(root, spill: true, spillDirectory: missing);

        Audited.AssertSame(inMemory, fallback);
        Assert.Equal(0, fallback.Dormancy.AtRest);
        Assert.Equal(nameof(DirectoryNotFoundException), fallback.Dormancy.Fault);
    }

    [Fact]
    public void SpillFileFailingMidRun_KeepsTheFactsGoingToRest_AndTheirTimelinesWhole()
    {
        var spill = new SpillFile();
        using var store = new TimelineStore(spill);
        var day = Start;
        foreach (var mrn in new[] { "700001", "700002" })
        {
            store.Add(new DemographicsRecorded { KnownOn = day, Source = new(Iso(day) + "/patients.csv", 2), Mrn = mrn, Sex = Sex.Female });
            store.Add(new IhcResulted
            {
                KnownOn = day,
                Source = new(Iso(day) + "/ihc_results.csv", 2),
                Mrn = mrn,
                Accession = "S24-" + mrn,
                ResultDate = day,
                Marker = "ALK",
                AntibodyClone = "D5F3",
                Result = IhcResult.Negative,
            });
        }
        var before = store.Timeline("700002", day)!;

        Assert.True(store.Spill("700001"));
        Assert.True(SpinWait.SpinUntil(() => store.SpillCounts.Bytes > 0, TimeSpan.FromSeconds(10)));
        spill.Dispose(); // the file goes away under the store, as a full or lost disk would make it fail
        Assert.True(store.Spill("700002"));
        Assert.True(SpinWait.SpinUntil(() => store.SpillCounts.Fault is not null, TimeSpan.FromSeconds(10)));

        Assert.Equal(nameof(ObjectDisposedException), store.SpillCounts.Fault);
        var after = store.Timeline("700002", day)!;
        Assert.Equal(before.Demographics, after.Demographics);
        Assert.Equal(before.Ihc, after.Ihc);
        Assert.False(store.Spill("700002"), "no more spilling once the file has failed");
        // A later fact of the patient wakes it from the facts still held: nothing was lost.
        Assert.True(store.Add(new DemographicsRecorded { KnownOn = day.AddDays(1), Source = new(Iso(day.AddDays(1)) + "/patients.csv", 2), Mrn = "700002", Smoking = SmokingStatus.Never }));
        var woken = store.Timeline("700002", day.AddDays(1))!;
        Assert.Equal((Sex.Female, SmokingStatus.Never), (woken.Demographics.Sex, woken.Demographics.Smoking));
        Assert.Equal(before.Ihc, woken.Ihc);
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What one audit of an archive wrote, its alert events and how it kept dormant patients.</summary>
    private sealed record Audited(IReadOnlyDictionary<string, string> Files, IReadOnlyList<string> Events, string SetAside, AuditDormancy Dormancy)
    {
        public static Audited Of(string root, bool spill, string? spillDirectory = null)
        {
            var events = new List<string>();
            var result = AuditRun.Run(new FolderBatchArchive(root), new AuditRequest(null, null, new ScreeningOptions())
            {
                SpillDormant = spill,
                SpillDirectory = spillDirectory,
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
