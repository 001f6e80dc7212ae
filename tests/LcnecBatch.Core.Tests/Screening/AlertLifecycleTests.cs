using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Screening;

public class AlertLifecycleTests
{
    private static readonly DateOnly Dx = PatientBuilder.Day0;

    private static ScreeningSession Session(PatientBuilder patient, ScreeningOptions? options = null)
    {
        var session = new ScreeningSession(options ?? new ScreeningOptions());
        foreach (var e in patient.Events)
        {
            session.Add(e);
        }
        return session;
    }

    [Fact]
    public void Advance_MissingTestArrives_RaisesOnTheFirstDayPastTheWindowAndResolvesOnTheDeliveringBatch()
    {
        var patient = new PatientBuilder().Demographics(Sex.Female).Report(Dx).AlkIhc(Dx.AddDays(25), IhcResult.Negative, known: Dx.AddDays(27));

        var events = Session(patient).AdvanceTo(Dx.AddDays(40), Dx);

        Assert.Collection(
            events.Where(e => e.Alert.RuleId == "ALK_TEST_MISSING"),
            raised =>
            {
                Assert.Equal(AlertEventKind.Raised, raised.Kind);
                Assert.Equal(Dx.AddDays(15), raised.On);
                Assert.Equal(raised.Alert.AlertId, raised.MessageId);
            },
            resolved =>
            {
                Assert.Equal(AlertEventKind.Resolved, resolved.Kind);
                Assert.Equal(Dx.AddDays(27), resolved.On);
                Assert.Equal($"{resolved.Alert.AlertId}:resolved", resolved.MessageId);
                Assert.Equal(AlertStatus.Resolved, resolved.Alert.Status);
            });
    }

    [Theory]
    [InlineData(44, 0)]
    [InlineData(45, 1)]
    [InlineData(74, 1)]
    [InlineData(75, 2)]
    public void Advance_OpenHighSeverityAlert_IsRemindedEveryReminderDays(int days, int reminders)
    {
        var patient = new PatientBuilder().Demographics(Sex.Female).Report(Dx);

        var events = Session(patient).AdvanceTo(Dx.AddDays(days), Dx);

        var sent = events.Where(e => e.Kind == AlertEventKind.Reminder).ToList();
        Assert.Equal(reminders, sent.Count);
        Assert.Equal(Enumerable.Range(1, reminders).Select(n => $":r{n}"), sent.Select(e => e.MessageId[e.MessageId.IndexOf(':', StringComparison.Ordinal)..]));
        Assert.All(sent, e => Assert.Equal(0, (e.On.DayNumber - Dx.AddDays(15).DayNumber) % 30));
    }

    [Fact]
    public void Advance_MediumSeverityAlert_IsNeverReminded()
    {
        var patient = new PatientBuilder().Demographics(Sex.Male, SmokingStatus.Current).Report(Dx);

        var events = Session(patient).AdvanceTo(Dx.AddDays(100), Dx);

        Assert.DoesNotContain(events, e => e.Kind == AlertEventKind.Reminder);
        Assert.Single(events);
    }

    [Fact]
    public void Alerts_WithResolved_ListsResolvedAlertsWithTheirResolutionDate()
    {
        var patient = new PatientBuilder().Demographics().Report(Dx).AlkIhc(Dx.AddDays(20), IhcResult.Negative);
        var session = Session(patient);
        session.AdvanceTo(Dx.AddDays(30), Dx);

        Assert.Empty(session.Ledger.Alerts(Dx.AddDays(30), includeResolved: false));
        var resolved = Assert.Single(session.Ledger.Alerts(Dx.AddDays(30), includeResolved: true));
        Assert.Equal(AlertStatus.Resolved, resolved.Status);
        Assert.Equal(Dx.AddDays(20), resolved.ResolvedOn);
        Assert.Contains("\"status\":\"resolved\"", System.Text.Encoding.UTF8.GetString(AlertJson.ToUtf8(resolved)), StringComparison.Ordinal);
    }

    [Fact]
    public void AdvanceTo_AsOneRunOrDayByDay_GivesTheSameEvents()
    {
        var patient = new PatientBuilder().Demographics(Sex.Female, SmokingStatus.Never).Report(Dx)
            .AlkIhc(Dx.AddDays(20), IhcResult.Positive, "5A4", "S26-00002")
            .Molecular(Dx.AddDays(50), MolecularResult.NotDetected, accession: "S26-00002", known: Dx.AddDays(52));

        var once = Session(patient).AdvanceTo(Dx.AddDays(90), Dx);
        var daily = new ScreeningSession(new ScreeningOptions());
        var dailyEvents = new List<AlertEvent>();
        for (var day = Dx; day <= Dx.AddDays(90); day = day.AddDays(1))
        {
            foreach (var e in patient.Events.Where(e => e.KnownOn == day))
            {
                daily.Add(e);
            }
            dailyEvents.AddRange(daily.AdvanceTo(day, Dx));
        }

        Assert.Equal(once.Select(Describe), dailyEvents.Select(Describe));
        Assert.Contains(once, e => e.Kind == AlertEventKind.Resolved && e.Alert.RuleId == "ALK_IHC_UNCONFIRMED");
        Assert.Contains(once, e => e.Kind == AlertEventKind.Raised && e.Alert.RuleId == "ALK_IHC_DISCORDANT");
    }

    private static string Describe(AlertEvent e) =>
        $"{e.On:yyyy-MM-dd} {e.MessageId} {System.Text.Encoding.UTF8.GetString(AlertJson.ToUtf8(e.Alert))}";
}
