using System.Text;
using System.Text.Json.Nodes;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Alerts;

/// <summary>
/// Issue 17: what a care-team response does to an alert's life, through a <see cref="ScreeningSession"/> walked day by
/// day with the real rules. Events are written "day id", the day counted from diagnosis and the alert id shortened to
/// a letter, so each list is the exact sequence of Service Bus message ids.
/// </summary>
public class AlertResponseLifecycleTests
{
    private static readonly DateOnly Dx = PatientBuilder.Day0;
    private const string Mrn = "100234";

    /// <summary>High-prior (female) advanced LCNEC never tested: ALK_TEST_MISSING on S26-00001, raised on day 15, high severity.</summary>
    private static PatientBuilder Untested(string mrn = Mrn) => new PatientBuilder(mrn).Demographics(Sex.Female).Report(Dx);

    private static string Missing(string mrn = Mrn) => Alert.IdentityOf("ALK_TEST_MISSING", mrn, "S26-00001");

    /// <summary>What a female patient's D5F3 negative leads to 15 days later (medium, never reminded).</summary>
    private static string Recommended(string mrn = Mrn) => Alert.IdentityOf("ALK_MOLECULAR_RECOMMENDED", mrn, "S26-00001");

    private static string Unconfirmed(string accession, string mrn = Mrn) => Alert.IdentityOf("ALK_IHC_UNCONFIRMED", mrn, accession);

    private sealed class Responses
    {
        private readonly List<AlertResponded> _all = [];

        public IReadOnlyList<AlertResponded> All => _all;

        public Responses Add(int day, string alertId, ResponseKind kind, NotCandidateReason? reason = null, Disagreement? disagreement = null,
            int? until = null, string mrn = Mrn, int? known = null, string? id = null)
        {
            var on = Dx.AddDays(known ?? day);
            _all.Add(new AlertResponded
            {
                KnownOn = on,
                Source = new SourceRef($"responses/{on:yyyy-MM-dd}/inbox.jsonl", _all.Count + 1),
                ResponseId = id ?? $"r-{_all.Count + 1:0000}",
                Mrn = mrn,
                AlertId = alertId,
                RespondedOn = Dx.AddDays(day),
                Kind = kind,
                Reason = reason,
                Disagreement = disagreement,
                Until = until is { } u ? Dx.AddDays(u) : null,
                By = "oncologist",
                Channel = "inbox",
            });
            return this;
        }
    }

    private static ScreeningSession Session(IEnumerable<PatientBuilder> patients, Responses? responses = null, ScreeningOptions? options = null)
    {
        var session = new ScreeningSession(options ?? new ScreeningOptions());
        foreach (var e in patients.SelectMany(p => p.Events))
        {
            session.Add(e);
        }
        foreach (var r in responses?.All ?? [])
        {
            session.Add(r);
        }
        return session;
    }

    private static List<AlertEvent> Walk(PatientBuilder patient, Responses? responses, int days, ScreeningOptions? options = null) =>
        [.. Session([patient], responses, options).AdvanceTo(Dx.AddDays(days), Dx)];

    /// <summary>"day id" with each alert id replaced by its letter in <paramref name="names"/>.</summary>
    private static List<string> Describe(IEnumerable<AlertEvent> events, params (string Id, string Letter)[] names) =>
        [.. events.Select(e =>
        {
            var id = e.MessageId;
            foreach (var (alertId, letter) in names)
            {
                id = id.Replace(alertId, letter, StringComparison.Ordinal);
            }
            return $"{e.On.DayNumber - Dx.DayNumber} {id}";
        })];

    private static string Body(AlertEvent e) => Encoding.UTF8.GetString(AlertJson.ToUtf8(e));

    [Fact]
    public void Reminders_NoResponse_StopAfterMaxRemindersWithOneEscalationThenSilence()
    {
        var events = Walk(Untested(), null, 400);

        Assert.Equal(["15 A", "45 A:r1", "75 A:r2", "105 A:r3", "135 A:escalated"], Describe(events, (Missing(), "A")));
        var escalated = events[^1];
        Assert.Equal(AlertEventKind.Escalated, escalated.Kind);
        Assert.StartsWith($"{{\"alertId\":\"{Missing()}\",\"event\":\"escalated\",\"ruleId\":", Body(escalated), StringComparison.Ordinal);
        Assert.Contains("\"status\":\"open\"", Body(escalated), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, new[] { "15 A", "45 A:escalated" })]
    [InlineData(1, new[] { "15 A", "45 A:r1", "75 A:escalated" })]
    public void Reminders_MaxRemindersOption_SetsWhenTheEscalationComes(int maxReminders, string[] expected)
    {
        var events = Walk(Untested(), null, 300, new ScreeningOptions { MaxReminders = maxReminders });

        Assert.Equal(expected, Describe(events, (Missing(), "A")));
    }

    [Fact]
    public void Acknowledged_RemindsEveryAcknowledgedReminderDaysCountedFromTheAcknowledgement()
    {
        var responses = new Responses().Add(50, Missing(), ResponseKind.Acknowledged);

        var events = Walk(Untested(), responses, 300, new ScreeningOptions { AcknowledgedReminderDays = 40 });

        Assert.Equal(["15 A", "45 A:r1", "90 A:r2", "130 A:r3", "170 A:escalated"], Describe(events, (Missing(), "A")));
    }

    [Fact]
    public void Acknowledged_DefaultCadence_IsNinetyDays()
    {
        var responses = new Responses().Add(20, Missing(), ResponseKind.Acknowledged);

        var events = Walk(Untested(), responses, 200);

        Assert.Equal(["15 A", "110 A:r1", "200 A:r2"], Describe(events, (Missing(), "A")));
    }

    [Fact]
    public void Snoozed_NoRemindersUntilTheDateThenTheNormalCadenceCountedFromIt()
    {
        var responses = new Responses().Add(20, Missing(), ResponseKind.Snoozed, until: 100);

        var events = Walk(Untested(), responses, 165);

        Assert.Equal(["15 A", "130 A:r1", "160 A:r2"], Describe(events, (Missing(), "A")));
    }

    [Fact]
    public void Declined_ClosesTheAlertWithItsOwnEventAndReasonAndNothingFollows()
    {
        var responses = new Responses().Add(18, Missing(), ResponseKind.Declined, known: 20);

        var events = Walk(Untested(), responses, 400);

        Assert.Equal(["15 A", "20 A:closed"], Describe(events, (Missing(), "A")));
        var closed = events[^1];
        Assert.Equal(AlertEventKind.Closed, closed.Kind);
        Assert.StartsWith($"{{\"alertId\":\"{Missing()}\",\"event\":\"closed\",\"ruleId\":", Body(closed), StringComparison.Ordinal);
        Assert.Contains($"\"status\":\"closed\",\"asOf\":\"{Dx.AddDays(20):yyyy-MM-dd}\"", Body(closed), StringComparison.Ordinal);
        Assert.Contains($"\"closedOn\":\"{Dx.AddDays(20):yyyy-MM-dd}\",\"closedReason\":\"declined\"", Body(closed), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(NotCandidateReason.Hospice, "hospice")]
    [InlineData(NotCandidateReason.Deceased, "deceased")]
    [InlineData(NotCandidateReason.ComfortCare, "comfortCare")]
    [InlineData(NotCandidateReason.Other, "other")]
    [InlineData(null, "other")]
    public void NotCandidate_ClosesTheAlertWithTheReasonCode(NotCandidateReason? reason, string wire)
    {
        var responses = new Responses().Add(30, Missing(), ResponseKind.NotCandidate, reason);

        var events = Walk(Untested(), responses, 200);

        Assert.Equal(["15 A", "30 A:closed"], Describe(events, (Missing(), "A")));
        Assert.Contains($"\"closedReason\":\"{wire}\"", Body(events[^1]), StringComparison.Ordinal);
    }

    /// <summary>Two IHC-positive specimens never confirmed: two ALK_IHC_UNCONFIRMED alerts, raised on day 18 and 19.</summary>
    private static PatientBuilder TwoUnconfirmed(string mrn = Mrn) => new PatientBuilder(mrn).Demographics(Sex.Female).Report(Dx, accession: "S26-1")
        .AlkIhc(Dx.AddDays(3), IhcResult.Positive, accession: "S26-1")
        .AlkIhc(Dx.AddDays(4), IhcResult.Positive, accession: "S26-2");

    [Fact]
    public void DisagreeNotLcnec_ClosesEveryOpenAlertOfThePatientAndNoOtherPatients()
    {
        var responses = new Responses().Add(30, Unconfirmed("S26-1"), ResponseKind.Disagree, disagreement: Disagreement.NotLcnec);
        var session = Session([TwoUnconfirmed(), TwoUnconfirmed("100999")], responses);

        var events = session.AdvanceTo(Dx.AddDays(50), Dx);

        Assert.Equal(
            ["18 A", "18 X", "19 B", "19 Y", "30 A:closed", "30 B:closed", "48 X:r1", "49 Y:r1"],
            Describe(events.Order(AlertEvent.SendOrder), (Unconfirmed("S26-1"), "A"), (Unconfirmed("S26-2"), "B"), (Unconfirmed("S26-1", "100999"), "X"), (Unconfirmed("S26-2", "100999"), "Y")));
        Assert.All(events.Where(e => e.Kind == AlertEventKind.Closed), e => Assert.Contains("\"closedReason\":\"notLcnec\"", Body(e), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Disagreement.WrongPatient, "wrongPatient")]
    [InlineData(Disagreement.Other, "other")]
    public void DisagreeOtherThanNotLcnec_ClosesOnlyTheNamedAlert(Disagreement disagreement, string wire)
    {
        var responses = new Responses().Add(30, Unconfirmed("S26-1"), ResponseKind.Disagree, disagreement: disagreement);

        var events = Walk(TwoUnconfirmed(), responses, 50);

        Assert.Equal(["18 A", "19 B", "30 A:closed", "49 B:r1"], Describe(events, (Unconfirmed("S26-1"), "A"), (Unconfirmed("S26-2"), "B")));
        Assert.Contains($"\"closedReason\":\"{wire}\"", Body(events[2]), StringComparison.Ordinal);
    }

    [Fact]
    public void Closed_SameFactsScreenedForAYear_NeverReopens()
    {
        var responses = new Responses().Add(20, Missing(), ResponseKind.Declined);
        var session = Session([Untested()], responses);

        var events = session.AdvanceTo(Dx.AddDays(400), Dx);

        Assert.Equal(["15 A", "20 A:closed"], Describe(events, (Missing(), "A")));
        var record = Assert.Single(session.Ledger.Records);
        Assert.False(record.IsOpen);
        Assert.Equal(AlertClosedReason.Declined, record.ClosedReason);
        Assert.Empty(session.Ledger.Alerts(Dx.AddDays(400), includeResolved: false));
        Assert.Equal(AlertStatus.Closed, Assert.Single(session.Ledger.Alerts(Dx.AddDays(400), includeResolved: true)).Status);
    }

    [Fact]
    public void Closed_OldEvidenceArrivingLateThenTheFindingEnding_StaysClosedNeitherReopenedNorResolved()
    {
        // An ALK1-clone negative of the diagnosis specimen, dated before the close and arriving after it, changes the
        // finding's text but is no new specimen nor a result dated after the close; a D5F3 negative then ends the finding.
        var patient = Untested()
            .AlkIhc(Dx.AddDays(19), IhcResult.Negative, "ALK1", "S26-00001", known: Dx.AddDays(60))
            .AlkIhc(Dx.AddDays(100), IhcResult.Negative, "D5F3", "S26-00001");
        var responses = new Responses().Add(20, Missing(), ResponseKind.Declined);
        var session = Session([patient], responses);

        var events = session.AdvanceTo(Dx.AddDays(200), Dx);

        Assert.Equal(["15 A", "20 A:closed", "115 M"], Describe(events, (Missing(), "A"), (Recommended(), "M")));
        Assert.Equal(AlertStatus.Closed, session.Ledger.Records.Single(r => r.Last.RuleId == "ALK_TEST_MISSING").Last.Status);
    }

    [Fact]
    public void Closed_NewResultOnANewSpecimenAfterTheClose_ReopensInANewCycleWithItsOwnIds()
    {
        // The ALK1-clone negative of a new specimen is not an ALK test (the finding holds) but is new evidence.
        var patient = Untested().AlkIhc(Dx.AddDays(40), IhcResult.Negative, "ALK1", "S26-00002");
        var responses = new Responses()
            .Add(20, Missing(), ResponseKind.Declined)
            .Add(80, Missing(), ResponseKind.NotCandidate, NotCandidateReason.Hospice);

        var events = Walk(patient, responses, 300);

        Assert.Equal(["15 A", "20 A:closed", "40 A:reopened1", "70 A:reopened1:r1", "80 A:reopened1:closed"], Describe(events, (Missing(), "A")));
        Assert.StartsWith($"{{\"alertId\":\"{Missing()}\",\"event\":\"reopened\",\"cycle\":1,", Body(events[2]), StringComparison.Ordinal);
        Assert.DoesNotContain("closedReason", Body(events[2]), StringComparison.Ordinal);
        Assert.Contains("\"closedReason\":\"hospice\"", Body(events[^1]), StringComparison.Ordinal);
        Assert.Equal(events.Count, events.Select(e => e.MessageId).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Reopened_AfterEscalation_StartsANewCycleOfRemindersAndItsOwnEscalation()
    {
        // Escalated on day 135; declined on 140; a new specimen's result on 150 reopens: reminders and escalation again.
        var patient = Untested().AlkIhc(Dx.AddDays(150), IhcResult.Negative, "ALK1", "S26-00002");
        var responses = new Responses().Add(140, Missing(), ResponseKind.Declined);

        var events = Walk(patient, responses, 400);

        Assert.Equal(
            ["15 A", "45 A:r1", "75 A:r2", "105 A:r3", "135 A:escalated", "140 A:closed",
             "150 A:reopened1", "180 A:reopened1:r1", "210 A:reopened1:r2", "240 A:reopened1:r3", "270 A:reopened1:escalated"],
            Describe(events, (Missing(), "A")));
        Assert.Equal(events.Count, events.Select(e => e.MessageId).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Responses_ToAnUnknownAResolvedOrAnotherPatientsAlert_HaveNoEffectAndAreCounted()
    {
        // The alert resolves on day 30 (a D5F3 negative); the decline of day 40 comes too late.
        var patient = Untested().AlkIhc(Dx.AddDays(30), IhcResult.Negative, "D5F3");
        var responses = new Responses()
            .Add(20, "0123456789abcdef0123456789abcdef", ResponseKind.Declined)
            .Add(21, Missing(), ResponseKind.Declined, mrn: "100999")
            .Add(40, Missing(), ResponseKind.Declined);
        var session = Session([patient], responses);

        var events = session.AdvanceTo(Dx.AddDays(60), Dx);

        Assert.Equal(["15 A", "30 A:resolved", "45 M"], Describe(events, (Missing(), "A"), (Recommended(), "M")));
        Assert.Equal((0, 3), (session.Ledger.ResponsesApplied, session.Ledger.ResponsesIgnored));
    }

    [Fact]
    public void Responses_SameResponseIdAgain_IsAppliedOnce()
    {
        // An acknowledgement delivered twice (the second copy with another recording day): counted from the first.
        var responses = new Responses()
            .Add(20, Missing(), ResponseKind.Acknowledged, id: "r-1")
            .Add(20, Missing(), ResponseKind.Acknowledged, known: 60, id: "r-1");
        var session = Session([Untested()], responses, new ScreeningOptions { AcknowledgedReminderDays = 40 });

        var events = session.AdvanceTo(Dx.AddDays(130), Dx);

        Assert.Equal(["15 A", "60 A:r1", "100 A:r2"], Describe(events, (Missing(), "A")));
        Assert.Equal((1, 0), (session.Ledger.ResponsesApplied, session.Ledger.ResponsesIgnored));
    }

    [Fact]
    public void Responses_AsOneRunOrDayByDay_GiveTheSameEvents()
    {
        var patient = Untested().AlkIhc(Dx.AddDays(150), IhcResult.Negative, "ALK1", "S26-00002");
        var responses = new Responses()
            .Add(30, Missing(), ResponseKind.Snoozed, until: 60)
            .Add(95, Missing(), ResponseKind.Acknowledged)
            .Add(140, Missing(), ResponseKind.Declined);

        var once = Session([patient], responses).AdvanceTo(Dx.AddDays(250), Dx);
        var daily = new ScreeningSession(new ScreeningOptions());
        var dailyEvents = new List<AlertEvent>();
        for (var day = Dx; day <= Dx.AddDays(250); day = day.AddDays(1))
        {
            foreach (var e in patient.Events.Concat(responses.All).Where(e => e.KnownOn == day))
            {
                daily.Add(e);
            }
            dailyEvents.AddRange(daily.AdvanceTo(day, Dx));
        }

        Assert.Equal(once.Select(e => e.MessageId + Body(e)), dailyEvents.Select(e => e.MessageId + Body(e)));
        Assert.Equal(["15 A", "90 A:r1", "140 A:closed", "150 A:reopened1", "180 A:reopened1:r1", "210 A:reopened1:r2", "240 A:reopened1:r3"], Describe(once, (Missing(), "A")));
    }

    [Fact]
    public void Resume_RecordsSavedAsJsonMidSnooze_GiveTheSameEventsAsOneRun()
    {
        var responses = new Responses().Add(20, Missing(), ResponseKind.Snoozed, until: 100).Add(110, Missing(), ResponseKind.Acknowledged);
        var once = Session([Untested()], responses).AdvanceTo(Dx.AddDays(300), Dx);

        var first = Session([Untested()], responses);
        var before = first.AdvanceTo(Dx.AddDays(50), Dx);
        var second = Session([Untested()], responses);
        second.Resume(first.Ledger.Records.Select(r => AlertRecordJson.ParseRecord(AlertRecordJson.ToUtf8(r))));
        var after = second.AdvanceTo(Dx.AddDays(300), Dx.AddDays(50));

        Assert.Equal(Describe(once), Describe([.. before, .. after]));
        Assert.Equal(["15 A", "200 A:r1", "290 A:r2"], Describe(once, (Missing(), "A")));
    }

    [Fact]
    public void ParseRecord_StoredBeforeResponses_ParsesAndKeepsTheOldCadence()
    {
        var session = Session([Untested()]);
        session.AdvanceTo(Dx.AddDays(50), Dx);
        var json = JsonNode.Parse(AlertRecordJson.ToUtf8(Assert.Single(session.Ledger.Records)))!.AsObject();
        Assert.True(json.Remove("nextReminderOn"));
        Assert.True(json.Remove("responses"));
        Assert.False(json.ContainsKey("closedOn"));

        var old = AlertRecordJson.ParseRecord(Encoding.UTF8.GetBytes(json.ToJsonString()));

        Assert.True(old.IsOpen);
        Assert.Equal((Dx.AddDays(15), 1, (DateOnly?)null), (old.RaisedOn, old.RemindersSent, old.NextReminderOn));
        Assert.Empty(old.Responses);
        var resumed = Session([Untested()]);
        resumed.Resume([old]);
        Assert.Equal(["75 A:r2", "105 A:r3", "135 A:escalated"], Describe(resumed.AdvanceTo(Dx.AddDays(200), Dx.AddDays(50)), (Missing(), "A")));
    }

    [Fact]
    public void ParseRecord_ClosedRecord_RoundTripsEveryResponseField()
    {
        var responses = new Responses().Add(20, Missing(), ResponseKind.Snoozed, until: 30).Add(25, Missing(), ResponseKind.Acknowledged)
            .Add(200, Missing(), ResponseKind.NotCandidate, NotCandidateReason.ComfortCare);
        var session = Session([Untested()], responses, new ScreeningOptions { AcknowledgedReminderDays = 20, MaxReminders = 1 });
        session.AdvanceTo(Dx.AddDays(210), Dx);
        var record = Assert.Single(session.Ledger.Records);
        Assert.NotNull(record.EscalatedOn);

        var parsed = AlertRecordJson.ParseRecord(AlertRecordJson.ToUtf8(record));

        Assert.Equal(
            (record.ClosedOn, record.ClosedReason, record.AcknowledgedOn, record.SnoozedUntil, record.NextReminderOn, record.EscalatedOn),
            (parsed.ClosedOn, parsed.ClosedReason, parsed.AcknowledgedOn, parsed.SnoozedUntil, parsed.NextReminderOn, parsed.EscalatedOn));
        Assert.Equal(["r-0001", "r-0002", "r-0003"], parsed.Responses);
        Assert.Equal(AlertJson.ToUtf8(record.Last), AlertJson.ToUtf8(parsed.Last));
        Assert.Equal(AlertRecordJson.ToUtf8(record), AlertRecordJson.ToUtf8(parsed));
    }

    [Theory]
    [InlineData(0, 3, "AcknowledgedReminderDays")]
    [InlineData(3654, 3, "AcknowledgedReminderDays")]
    [InlineData(90, -1, "MaxReminders")]
    [InlineData(90, 3654, "MaxReminders")]
    public void Validated_ResponseOptionsOutOfRange_Throws(int acknowledgedDays, int maxReminders, string named)
    {
        var options = new ScreeningOptions { AcknowledgedReminderDays = acknowledgedDays, MaxReminders = maxReminders };

        var error = Assert.Throws<ArgumentException>(() => options.Validated());

        Assert.Contains($"Screening:{named}", error.Message, StringComparison.Ordinal);
    }
}
