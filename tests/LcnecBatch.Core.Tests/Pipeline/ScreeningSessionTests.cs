using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Pipeline;

public class ScreeningSessionTests
{
    private static readonly DateOnly Dx = PatientBuilder.Day0;

    private static PatientBuilder Patient(string mrn) => new PatientBuilder(mrn)
        .Demographics(Sex.Female, SmokingStatus.Never)
        .Report(Dx, accession: $"S-{mrn}")
        .AlkIhc(Dx.AddDays(20), IhcResult.Positive, "5A4", $"S-{mrn}")
        .Molecular(Dx.AddDays(40), MolecularResult.Detected, alteration: "EML4-ALK fusion (E13:A20)", accession: $"M-{mrn}", known: Dx.AddDays(43));

    private static List<string> Replay(IEnumerable<TimelineEvent> events)
    {
        var session = new ScreeningSession(new ScreeningOptions());
        foreach (var e in events)
        {
            session.Add(e);
        }
        return [.. session.AdvanceTo(Dx.AddDays(80), Dx).Select(e => $"{e.On:yyyy-MM-dd} {e.MessageId} {System.Text.Encoding.UTF8.GetString(AlertJson.ToUtf8(e.Alert))}")];
    }

    private static List<TimelineEvent> Events() => [.. Patient("100001").Events, .. Patient("100002").Events];

    [Fact]
    public void Replay_SameBatchesTwice_GivesTheSameAlerts()
    {
        var once = Replay(Events());

        var twice = Replay([.. Events(), .. Events()]);

        Assert.Equal(once, twice);
        Assert.NotEmpty(once);
    }

    [Fact]
    public void Replay_BatchesOutOfDateOrder_GivesTheSameAlerts()
    {
        var inOrder = Replay(Events());

        var reversed = Replay(Events().OrderByDescending(e => e.KnownOn).ThenByDescending(e => e.Source.Line));

        Assert.Equal(inOrder, reversed);
    }

    [Fact]
    public void Replay_SameFactDeliveredAgainLater_CountsFromItsFirstDelivery()
    {
        var events = Events();
        var late = events.OfType<IhcResulted>().Select(e => e with { KnownOn = e.KnownOn.AddDays(30) });

        Assert.Equal(Replay(events), Replay([.. late, .. events]));
    }
}

public class TimelineEventTests
{
    [Fact]
    public void EventId_OfAWithCopy_FollowsTheCopysContent()
    {
        var row = new DemographicsRecorded { KnownOn = new DateOnly(2026, 1, 1), Source = new("2026-01-01/patients.csv", 2), Mrn = "1", Sex = Sex.Female };
        var id = row.EventId;

        var later = row with { KnownOn = new DateOnly(2026, 1, 2) };

        Assert.NotEqual(id, later.EventId);
        Assert.Equal(id, (later with { KnownOn = row.KnownOn }).EventId);
    }
}
