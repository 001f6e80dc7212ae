using System.Text;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Pipeline;

/// <summary>A session saved and taken up again, day after day, says what one long session says.</summary>
public class ScreeningSessionResumeTests
{
    private static readonly DateOnly Dx = PatientBuilder.Day0;
    private static readonly DateOnly End = Dx.AddDays(100);

    private static IReadOnlyList<TimelineEvent> Events() =>
    [
        .. new PatientBuilder("100001").Demographics(Sex.Female, SmokingStatus.Never)
            .Report(Dx, accession: "S-1")
            .AlkIhc(Dx.AddDays(20), IhcResult.Positive, "5A4", "S-1")
            .Molecular(Dx.AddDays(60), MolecularResult.Detected, alteration: "EML4-ALK fusion (E13:A20)", accession: "M-1", known: Dx.AddDays(63)).Events,
        .. new PatientBuilder("100002").Demographics(Sex.Female, SmokingStatus.Never).Report(Dx.AddDays(5), accession: "S-2").Events,
        .. new PatientBuilder("100003").Demographics().Report(Dx.AddDays(8), "Small cell carcinoma.", accession: "S-3").Events,
        // A fusion missed by the signed-out report, reported late; a resistance mutation on re-biopsy.
        .. new PatientBuilder("100004").Demographics().Report(Dx.AddDays(2), accession: "S-4")
            .Molecular(Dx.AddDays(9), MolecularResult.NotDetected, accession: "M-4")
            .RawFile(Dx.AddDays(9), "M-4", [PatientBuilder.Eml4AlkV1])
            .Molecular(Dx.AddDays(40), MolecularResult.Detected, alteration: "EML4-ALK fusion (E13:A20)", accession: "M-4", known: Dx.AddDays(41))
            .Report(Dx.AddDays(80), "Liver, biopsy: metastatic carcinoma.", accession: "M-5")
            .RawFile(Dx.AddDays(80), "M-5", mutations: [PatientBuilder.G1202R]).Events,
    ];

    /// <summary>Patient facts by mrn; raw files (keyed by accession only) go to every patient's session, as in the Functions app.</summary>
    private static IEnumerable<(string Mrn, List<TimelineEvent> Events)> ByPatient(IReadOnlyList<TimelineEvent> events)
    {
        var raw = events.OfType<RawNgsFileArrived>().ToList();
        return events.OfType<IPatientFact>().GroupBy(f => f.Mrn).Select(g => (g.Key, (List<TimelineEvent>)[.. g.Cast<TimelineEvent>(), .. raw]));
    }

    private static List<string> Describe(IEnumerable<AlertEvent> events) =>
        [.. events.Select(e => $"{e.On:yyyy-MM-dd} {e.MessageId} {Encoding.UTF8.GetString(AlertJson.ToUtf8(e.Alert))}").Order(StringComparer.Ordinal)];

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(30)]
    public void Resume_EachPatientAloneEveryFewDays_RaisesRemindsAndResolvesAsOneSession(int everyDays)
    {
        var whole = new ScreeningSession(new ScreeningOptions());
        foreach (var e in Events())
        {
            whole.Add(e);
        }
        var expected = Describe(whole.AdvanceTo(End, Dx));

        var saved = new Dictionary<string, (DateOnly Through, IReadOnlyList<AlertRecord> Records)>();
        var resumed = new List<AlertEvent>();
        for (var to = Dx; to <= End; to = to.AddDays(everyDays))
        {
            foreach (var patient in ByPatient(Events()))
            {
                var session = new ScreeningSession(new ScreeningOptions());
                foreach (var e in patient.Events.Where(e => e.KnownOn <= to))
                {
                    session.Add(e);
                }
                var from = saved.TryGetValue(patient.Mrn, out var state) ? state.Through : Dx;
                session.Resume(state.Records ?? []);
                resumed.AddRange(session.AdvanceTo(to, from));
                saved[patient.Mrn] = (to, [.. session.Ledger.Records]);
            }
        }

        Assert.Equal(expected, Describe(resumed));
        Assert.Contains(expected, e => e.Contains(":r1 ", StringComparison.Ordinal));
        Assert.Contains(expected, e => e.Contains(":resolved ", StringComparison.Ordinal));
        Assert.Contains(expected, e => e.Contains("\"ruleId\":\"ALK_FUSION_UNREPORTED\"", StringComparison.Ordinal) && e.Contains(":resolved ", StringComparison.Ordinal));
        Assert.Contains(expected, e => e.Contains("\"ruleId\":\"ALK_RESISTANCE_MUTATION\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Resume_LastDayWalkedAgain_ChangesNothing()
    {
        var session = new ScreeningSession(new ScreeningOptions());
        foreach (var e in Events())
        {
            session.Add(e);
        }
        session.AdvanceTo(End, Dx);

        var again = new ScreeningSession(new ScreeningOptions());
        foreach (var e in Events())
        {
            again.Add(e);
        }
        again.Resume(session.Ledger.Records);

        Assert.Empty(again.AdvanceTo(End, End));
    }
}
