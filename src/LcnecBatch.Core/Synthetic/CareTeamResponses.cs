using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LcnecBatch.Core.Alerts;

namespace LcnecBatch.Core.Synthetic;

/// <summary>
/// The care team's answers to the alerts the generated timeline raises (issue 17): for each expected alert, in the
/// truth's order, one seeded draw decides whether it is ever answered, how many days after it was raised, and what
/// was answered. The alert id is <see cref="Alert.IdentityOf"/>, the pipeline's own. Drawn from a
/// <see cref="Random"/> of its own, so the lab files are the same bytes with or without responses.
/// </summary>
internal static class CareTeamResponses
{
    public const string FileName = "care-team.jsonl";

    private static readonly string[] OutsideLabs = ["Regional Reference Laboratory", "University Molecular Pathology", "Commercial NGS Laboratory"];

    /// <summary>
    /// The answers to ALK_TEST_MISSING in turn (3 acknowledged, 2 tested elsewhere - one negative, one positive -,
    /// 2 not a candidate, 2 snoozed, 1 declined in 10), so that even a small archive shows each; tested elsewhere is
    /// written only for a patient with no lab ALK row, acknowledged otherwise.
    /// </summary>
    private static readonly string[] TestMissingAnswers =
        ["acknowledged", "testedElsewhere", "notCandidate", "snoozed", "declined", "acknowledged", "testedElsewhere", "notCandidate", "snoozed", "acknowledged"];

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The responses and what each should do, ordered by the day recorded then response id.</summary>
    public static List<TruthResponse> Plan(GeneratorOptions options, SyntheticArchive archive, IReadOnlyList<TruthCase> cases)
    {
        var responses = new List<TruthResponse>();
        if (options.ResponseRate <= 0)
        {
            return responses;
        }
        var random = new Random(unchecked((options.Seed * 7919) + 17));
        var testMissingTurn = 0;
        var alkRows = archive.Ihc.Where(i => i.Marker == "ALK").Select(i => i.Mrn)
            .Concat(archive.Molecular.Select(m => m.Mrn)).ToHashSet(StringComparer.Ordinal);
        foreach (var patient in cases)
        {
            var closedAll = false;
            foreach (var alert in patient.Alerts.OrderBy(a => a.OpenFrom).ThenBy(a => a.RuleId, StringComparer.Ordinal).ThenBy(a => a.Subject, StringComparer.Ordinal))
            {
                // Every draw is made whether or not it is used, so one alert's answer never shifts the next one's.
                var answered = random.NextDouble() < options.ResponseRate;
                var delay = Delay(random);
                var pick = random.NextDouble();
                var detail = random.NextDouble();
                if (patient.Lcnec == LcnecLabel.Negated && alert.ResolvedOn is { } withdrawn && withdrawn.DayNumber - alert.OpenFrom.DayNumber >= 2)
                {
                    // The pathologists withdrew it within days: the care team that disagreed answered while it stood.
                    delay = 1 + (delay % (withdrawn.DayNumber - alert.OpenFrom.DayNumber - 1));
                }
                var day = alert.OpenFrom.AddDays(delay);
                if (closedAll || !answered || day > options.End || (alert.ResolvedOn is { } resolved && day >= resolved))
                {
                    continue;
                }
                var response = Draw(alert, patient, day, pick, detail, alkRows.Contains(patient.Mrn), responses.Count + 1, alert.RuleId == "ALK_TEST_MISSING" ? testMissingTurn++ : 0);
                responses.Add(response);
                closedAll = response.Effect == TruthResponse.ClosesAsNotLcnec;
            }
        }
        return [.. responses.OrderBy(r => r.RespondedOn).ThenBy(r => r.ResponseId, StringComparer.Ordinal)];
    }

    /// <summary>Days from the alert to the first answer: most within a week, a tail past a month.</summary>
    private static int Delay(Random random)
    {
        var p = random.NextDouble();
        return p < 0.40 ? random.Next(1, 4) : p < 0.75 ? random.Next(4, 11) : p < 0.95 ? random.Next(11, 31) : random.Next(31, 61);
    }

    private static TruthResponse Draw(TruthAlert alert, TruthCase patient, DateOnly day, double pick, double detail, bool hasAlkRows, int number, int turn)
    {
        var response = new TruthResponse
        {
            ResponseId = $"synthetic-{number:D6}",
            Mrn = patient.Mrn,
            AlertId = Alert.IdentityOf(alert.RuleId, patient.Mrn, alert.Subject),
            RuleId = alert.RuleId,
            Subject = alert.Subject,
            RespondedOn = day,
            Kind = "acknowledged",
            Effect = TruthResponse.SlowsReminders,
        };
        // The LCNEC was withdrawn later by an amended report: the treating team saw it first and disagreed.
        if (patient.Lcnec == LcnecLabel.Negated)
        {
            return pick < 0.85
                ? response with { Kind = "disagree", Disagreement = "notLcnec", Effect = TruthResponse.ClosesAsNotLcnec, ClosedReason = "notLcnec" }
                : response;
        }
        if (alert.RuleId != "ALK_TEST_MISSING")
        {
            return pick < 0.75 ? response : Snooze(response, day, detail);
        }
        switch (TestMissingAnswers[turn % TestMissingAnswers.Length])
        {
            case "testedElsewhere" when !hasAlkRows && alert.ResolvedOn is null:
                // Only where no lab ALK row of the patient exists, so the outside result is the only test.
                var positive = turn % TestMissingAnswers.Length > 5;
                var lab = OutsideLabs[(int)(detail * 1000) % OutsideLabs.Length];
                var method = positive ? (detail < 0.5 ? "fish" : "ngs") : (detail < 0.6 ? "ngs" : "fish");
                var tested = day.AddDays(-(1 + ((int)(detail * 10_000) % 20)));
                return response with
                {
                    Kind = "testedElsewhere",
                    OutsideTest = new TruthOutsideTest(lab, tested, method, positive ? "positive" : "negative", positive && method == "ngs" ? "EML4::ALK fusion" : null),
                    Effect = TruthResponse.CountsAsTest,
                    ResolvesOn = day,
                    ActionableSubject = positive ? Timeline.OutsideTests.AccessionPrefix + lab : null,
                };
            case "declined":
                return response with { Kind = "declined", Effect = TruthResponse.Closes, ClosedReason = "declined" };
            case "notCandidate":
                var reason = detail < 0.5 ? "hospice" : detail < 0.8 ? "comfortCare" : "deceased";
                return response with { Kind = "notCandidate", Reason = reason, Effect = TruthResponse.Closes, ClosedReason = reason };
            case "snoozed":
                return Snooze(response, day, detail);
            default:
                return response;
        }
    }

    private static TruthResponse Snooze(TruthResponse response, DateOnly day, double detail) =>
        response with { Kind = "snoozed", Until = day.AddDays(30 + (int)(detail * 61)), Effect = TruthResponse.NoRemindersUntil };

    /// <summary>Writes <c>responses/{yyyy-MM-dd}/care-team.jsonl</c>, one per day with answers, in the export format.</summary>
    public static void Write(IReadOnlyList<TruthResponse> responses, string outDir, ArchiveWriter writer)
    {
        foreach (var day in responses.GroupBy(r => r.RespondedOn).OrderBy(g => g.Key))
        {
            var folder = Path.Combine(outDir, "responses", day.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            using var buffer = new MemoryStream();
            foreach (var response in day)
            {
                WriteLine(buffer, response);
            }
            writer.Save(Path.Combine(folder, FileName), buffer.ToArray());
        }
    }

    private static void WriteLine(MemoryStream buffer, TruthResponse r)
    {
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.Default }))
        {
            w.WriteStartObject();
            w.WriteString("responseId", r.ResponseId);
            w.WriteString("mrn", r.Mrn);
            w.WriteString("alertId", r.AlertId);
            w.WriteString("respondedOn", Iso(r.RespondedOn));
            w.WriteString("kind", r.Kind);
            WriteIf(w, "reason", r.Reason);
            WriteIf(w, "disagreement", r.Disagreement);
            WriteIf(w, "until", r.Until is { } until ? Iso(until) : null);
            if (r.OutsideTest is { } test)
            {
                w.WriteStartObject("outsideTest");
                w.WriteString("lab", test.Lab);
                w.WriteString("date", Iso(test.Date));
                w.WriteString("method", test.Method);
                w.WriteString("result", test.Result);
                WriteIf(w, "alteration", test.Alteration);
                w.WriteEndObject();
            }
            w.WriteString("by", "treating-oncologist");
            w.WriteString("channel", "inbox");
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
    }

    private static void WriteIf(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
