using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Alerts;

public class AlertRecordJsonTests
{
    private static readonly DateOnly Dx = PatientBuilder.Day0;

    /// <summary>A replay that raises, reminds and resolves: every field an alert can carry, from the real rules.</summary>
    private static ScreeningSession Replayed(out IReadOnlyList<AlertEvent> events)
    {
        var session = new ScreeningSession(new ScreeningOptions());
        var patient = new PatientBuilder("100234")
            .Demographics(Sex.Female, SmokingStatus.Never)
            .Report(Dx, "Lung, RUL:\n- Large cell neuroendocrine carcinoma.", accession: "S26-1")
            .AlkIhc(Dx.AddDays(3), IhcResult.Positive, "D5F3", "S26-1")
            .Molecular(Dx.AddDays(70), MolecularResult.Detected, alteration: "EML4-ALK fusion (E13:A20)", accession: "M26-1");
        foreach (var e in patient.Events)
        {
            session.Add(e);
        }
        events = session.AdvanceTo(Dx.AddDays(90), Dx);
        return session;
    }

    [Fact]
    public void ParseRecord_WhatToUtf8Wrote_WritesTheSameAlertBytes()
    {
        var records = Replayed(out _).Ledger.Records;
        Assert.Contains(records, r => r.IsOpen);
        Assert.Contains(records, r => !r.IsOpen);

        foreach (var record in records)
        {
            var parsed = AlertRecordJson.ParseRecord(AlertRecordJson.ToUtf8(record));

            Assert.Equal(AlertJson.ToUtf8(record.Last), AlertJson.ToUtf8(parsed.Last));
            Assert.Equal((record.RaisedOn, record.ResolvedOn, record.RemindersSent, record.Reopened), (parsed.RaisedOn, parsed.ResolvedOn, parsed.RemindersSent, parsed.Reopened));
            Assert.Equal(record.Last.Finding.Evidence, parsed.Last.Finding.Evidence);
            Assert.Equal(record.Last.Finding with { Evidence = [] }, parsed.Last.Finding with { Evidence = [] });
            Assert.Equal(AlertRecordJson.ToUtf8(record), AlertRecordJson.ToUtf8(parsed));
        }
    }

    [Fact]
    public void ParseEvent_WhatToUtf8Wrote_HasTheSameMessageIdAndBody()
    {
        Replayed(out var events);
        Assert.Contains(events, e => e.Kind == AlertEventKind.Reminder);
        Assert.Contains(events, e => e.Kind == AlertEventKind.Resolved);

        foreach (var alertEvent in events)
        {
            var parsed = AlertRecordJson.ParseEvent(AlertRecordJson.ToUtf8(alertEvent));

            Assert.Equal((alertEvent.Kind, alertEvent.On, alertEvent.Number, alertEvent.MessageId), (parsed.Kind, parsed.On, parsed.Number, parsed.MessageId));
            Assert.Equal(AlertJson.ToUtf8(alertEvent.Alert), AlertJson.ToUtf8(parsed.Alert));
        }
    }
}
