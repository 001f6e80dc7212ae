using System.Globalization;
using System.Text;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Audit;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Synthetic;
using LcnecBatch.Core.Tests.Synthetic;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Pipeline;

/// <summary>
/// Issue 19: the event-driven walk (a patient screened only on its fact days and the boundaries its rules and alerts
/// report) against the day-by-day walk as oracle, on generated archives, with care-team responses, and on the sample
/// archive: the same bytes of alerts.jsonl, audit.json, cases.csv and findings.csv, and the same alert events.
/// </summary>
public sealed class EventDrivenWalkTests
{
    [Theory]
    [InlineData(300, 120, 7)]
    [InlineData(700, 240, 19)]
    [InlineData(1200, 365, 42)]
    public void GeneratedArchive_EventDrivenAndDayByDay_GiveTheSameBytesAndEvents(int patients, int days, int seed)
    {
        using var archive = new GeneratedArchive(new GeneratorOptions { Patients = patients, Days = days, Seed = seed, Start = new DateOnly(2024, 1, 1) });

        var (daily, events) = (Walked.Of(archive.Root, ScreeningWalk.DayByDay), Walked.Of(archive.Root, ScreeningWalk.EventDriven));

        Walked.AssertSame(daily, events);
        Assert.NotEmpty(daily.Events);
        Assert.True(events.PatientDays * 4 < daily.PatientDays, $"event-driven screened {events.PatientDays} patient-days, day by day {daily.PatientDays}");
    }

    [Fact]
    public void GeneratedArchive_WithAcknowledgementsSnoozesAndClosings_EventDrivenGivesTheSameLedger()
    {
        using var archive = new GeneratedArchive(new GeneratorOptions { Patients = 600, Days = 300, Seed = 5, Start = new DateOnly(2024, 1, 1) });
        var responses = Responses.WriteFor(archive.Root);

        var (daily, events) = (Walked.Of(archive.Root, ScreeningWalk.DayByDay), Walked.Of(archive.Root, ScreeningWalk.EventDriven));

        Walked.AssertSame(daily, events);
        // The responses took effect: reminders moved by acknowledgements and snoozes, alerts closed by the care team.
        Assert.True(responses >= 20, $"only {responses} responses written");
        Assert.Contains(daily.Events, e => e.StartsWith("closed", StringComparison.Ordinal));
        Assert.Contains(daily.Events, e => e.StartsWith("escalated", StringComparison.Ordinal));
    }

    [Fact]
    public void SampleArchive_EventDrivenAndDayByDay_GiveTheSameBytesAndEvents()
    {
        Walked.AssertSame(Walked.Of(RepositoryRoot.SampleArchive, ScreeningWalk.DayByDay), Walked.Of(RepositoryRoot.SampleArchive, ScreeningWalk.EventDriven));
    }

    [Fact]
    public void Walk_ResumedDayByDayAsTheFunctionsAppDoes_GivesTheEventsOfOneRun()
    {
        using var archive = new GeneratedArchive(new GeneratorOptions { Patients = 300, Days = 90, Seed = 3, Start = new DateOnly(2024, 1, 1) });
        var folder = new FolderBatchArchive(archive.Root);
        var dates = folder.BatchDates();
        var once = LocalRun.Screen(folder, null, new ScreeningOptions(), walk: ScreeningWalk.DayByDay).AlertEvents.Select(Walked.Describe);

        // One session advanced night by night (events added as each batch arrives), as the nightly job does.
        // Care-team responses arrive as the night's response files, recorded since the night before, as the app reads them.
        var session = new ScreeningSession(new ScreeningOptions());
        var nightly = new List<string>();
        DateOnly? before = null;
        foreach (var date in dates)
        {
            foreach (var file in folder.Files(date))
            {
                LocalRun.IngestFile(date, file, session.Add);
            }
            foreach (var (recordedOn, file) in folder.Responses(date).Where(r => before is null || r.RecordedOn > before))
            {
                using var content = file.Open();
                LocalRun.IngestResponseFile(recordedOn!.Value, file.SourcePath, content, session.Add);
            }
            before = date;
            nightly.AddRange(session.AdvanceTo(date, dates[0]).Select(Walked.Describe));
        }

        Assert.Equal(once, nightly);
    }

    [Fact]
    public void Walk_KeepsWalkStateOnlyForPatientsWithLcnec_AndNoPastDays()
    {
        using var archive = new GeneratedArchive(new GeneratorOptions { Patients = 1000, Days = 200, Seed = 11, Start = new DateOnly(2024, 1, 1) });
        var folder = new FolderBatchArchive(archive.Root);
        var dates = folder.BatchDates();
        var session = new ScreeningSession(new ScreeningOptions());
        foreach (var date in dates)
        {
            foreach (var file in folder.Files(date))
            {
                LocalRun.IngestFile(date, file, session.Add);
            }
            session.AdvanceTo(date, dates[0]);
        }

        var (watched, pendingDays) = session.WalkState;
        var (lcnec, _) = session.CountLcnec();
        Assert.Equal((lcnec, 0), (watched, pendingDays));
        Assert.True(lcnec > 0 && lcnec * 5 < session.Store.Patients.Count(), $"{lcnec} of {session.Store.Patients.Count()} patients have LCNEC");
    }

    /// <summary>What one walk of an archive wrote and told.</summary>
    private sealed record Walked(string AlertsJsonl, IReadOnlyDictionary<string, string> AuditFiles, IReadOnlyList<string> Events, IReadOnlyList<string> AuditEvents, long PatientDays)
    {
        public static Walked Of(string root, ScreeningWalk walk)
        {
            var options = new ScreeningOptions();
            var run = LocalRun.Screen(root, null, options, includeResolved: true, walk: walk);
            using var alerts = new MemoryStream();
            AlertJson.WriteLines(alerts, run.Alerts);
            var auditEvents = new List<string>();
            var audit = AuditRun.Run(new FolderBatchArchive(root), new AuditRequest(null, null, options) { Walk = walk, OnAlertEvent = e => auditEvents.Add(Describe(e)) });
            var folder = Path.Combine(Path.GetTempPath(), $"lcnec-walk-{Guid.NewGuid():N}");
            try
            {
                audit.WriteTo(folder);
                var files = new[] { AuditJson.FileName, AuditCsv.CasesFileName, AuditCsv.FindingsFileName }
                    .ToDictionary(f => f, f => File.ReadAllText(Path.Combine(folder, f)), StringComparer.Ordinal);
                return new Walked(Encoding.UTF8.GetString(alerts.ToArray()), files, [.. run.AlertEvents.Select(Describe)], auditEvents, run.PatientDaysScreened);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        /// <summary>An event as the bus would carry it: what happened, its message id, and the alert's bytes.</summary>
        public static string Describe(AlertEvent e) =>
            $"{e.Name} {e.On:yyyy-MM-dd} {e.MessageId} {Encoding.UTF8.GetString(AlertJson.ToUtf8(e))}";

        public static void AssertSame(Walked expected, Walked actual)
        {
            Assert.Equal(expected.Events.Count, actual.Events.Count);
            Assert.Equal(expected.Events, actual.Events);
            Assert.Equal(expected.AuditEvents, actual.AuditEvents);
            Assert.Equal(expected.AlertsJsonl, actual.AlertsJsonl);
            foreach (var (file, text) in expected.AuditFiles)
            {
                Assert.Equal(text, actual.AuditFiles[file]);
            }
        }
    }

    /// <summary>Care-team responses to the alerts a day-by-day run raised, written as response files into the archive.</summary>
    private static class Responses
    {
        public static int WriteFor(string root)
        {
            var run = LocalRun.Screen(root, null, new ScreeningOptions(), includeResolved: true, walk: ScreeningWalk.DayByDay);
            var raised = run.AlertEvents.Where(e => e.Kind == AlertEventKind.Raised).ToList();
            var random = new Random(1905);
            var written = 0;
            foreach (var e in raised)
            {
                var alert = e.Alert;
                var on = e.On.AddDays(random.Next(1, 45));
                if (on > run.AsOf)
                {
                    continue;
                }
                var kind = random.Next(6) switch
                {
                    0 => "\"kind\":\"acknowledged\"",
                    1 => $"\"kind\":\"snoozed\",\"until\":\"{Iso(on.AddDays(random.Next(1, 60)))}\"",
                    2 => "\"kind\":\"declined\"",
                    3 => "\"kind\":\"notCandidate\",\"reason\":\"hospice\"",
                    4 => "\"kind\":\"disagree\",\"disagreement\":\"notLcnec\"",
                    _ => null,
                };
                if (kind is null)
                {
                    continue;
                }
                var line = $"{{\"responseId\":\"r-{written}\",\"mrn\":\"{alert.Patient.Mrn}\",\"alertId\":\"{alert.AlertId}\",\"respondedOn\":\"{Iso(on)}\",{kind}}}\n";
                var path = Path.Combine(root, "responses", Iso(on), "inbox.jsonl");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.AppendAllText(path, line);
                written++;
                // A second response to the same alert later on: an acknowledgement after a snooze, a snooze after an acknowledgement.
                if (random.Next(3) == 0 && on.AddDays(20) <= run.AsOf)
                {
                    var later = on.AddDays(20);
                    var again = random.Next(2) == 0 ? "\"kind\":\"acknowledged\"" : $"\"kind\":\"snoozed\",\"until\":\"{Iso(later.AddDays(30))}\"";
                    var second = Path.Combine(root, "responses", Iso(later), "inbox.jsonl");
                    Directory.CreateDirectory(Path.GetDirectoryName(second)!);
                    File.AppendAllText(second, $"{{\"responseId\":\"r-{written}\",\"mrn\":\"{alert.Patient.Mrn}\",\"alertId\":\"{alert.AlertId}\",\"respondedOn\":\"{Iso(later)}\",{again}}}\n");
                    written++;
                }
            }
            return written;
        }

        private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
