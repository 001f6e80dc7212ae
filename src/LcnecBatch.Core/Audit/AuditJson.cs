using System.Text.Encodings.Web;
using System.Text.Json;

namespace LcnecBatch.Core.Audit;

/// <summary>
/// <c>audit.json</c>: the figures of <see cref="AuditFigures"/>, key by key in a fixed order; a figure that
/// cannot be computed (a median of nothing) is <c>null</c>, so every key is always there.
/// </summary>
public static class AuditJson
{
    public const string FileName = "audit.json";

    private static readonly JsonWriterOptions Options = new() { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.Default };

    public static byte[] ToUtf8(AuditFigures figures)
    {
        using var buffer = new MemoryStream();
        Write(buffer, figures);
        return buffer.ToArray();
    }

    public static void Write(Stream output, AuditFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        using (var w = new Utf8JsonWriter(output, Options))
        {
            w.WriteStartObject();
            w.WriteString("from", Date(figures.From));
            w.WriteString("to", Date(figures.To));
            w.WriteNumber("lcnecPatients", figures.LcnecPatients);
            w.WriteNumber("advancedLcnecPatients", figures.AdvancedLcnecPatients);
            w.WriteNumber("uncertainLcnecPatients", figures.UncertainLcnecPatients);
            w.WriteNumber("testedForAlk", figures.TestedForAlk);
            w.WriteNumber("advancedTestedForAlk", figures.AdvancedTestedForAlk);
            w.WriteNumber("alkIhcPositive", figures.AlkIhcPositive);
            w.WriteNumber("alkIhcEquivocal", figures.AlkIhcEquivocal);
            w.WriteNumber("alkConfirmed", figures.AlkConfirmed);
            Counts(w, "alertsByRule", figures.AlertsByRule);
            Distribution(w, "timeToFirstAlkTestDays", figures.TimeToFirstAlkTestDays);
            Distribution(w, "timeToConfirmationDays", figures.TimeToConfirmationDays);
            Characteristics(w, figures.AlkPositiveCharacteristics);
            Counts(w, "timeToFirstAlkTestBins", figures.TimeToFirstAlkTestBins);
            w.WriteStartArray("coverageByQuarter");
            foreach (var q in figures.CoverageByQuarter)
            {
                w.WriteStartObject();
                w.WriteString("quarter", q.Quarter);
                w.WriteNumber("lcnec", q.Lcnec);
                w.WriteNumber("advanced", q.Advanced);
                w.WriteNumber("tested", q.Tested);
                w.WriteNumber("advancedTested", q.AdvancedTested);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("alertActivity");
            foreach (var rule in figures.Rules)
            {
                w.WriteStartObject(rule.RuleId);
                w.WriteNumber("raised", rule.Raised);
                w.WriteNumber("reopened", rule.Reopened);
                w.WriteNumber("reminders", rule.Reminders);
                w.WriteNumber("resolved", rule.Resolved);
                w.WriteNumber("openAtEnd", rule.OpenAtEnd);
                Distribution(w, "daysToResolution", rule.DaysToResolution);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            Responses(w, figures.Responses);
            var input = figures.Input;
            w.WriteStartObject("input");
            w.WriteNumber("batches", input.Batches);
            w.WriteNumber("historyBatches", input.HistoryBatches);
            w.WriteNumber("files", input.Files);
            w.WriteNumber("rowsRead", input.RowsRead);
            w.WriteNumber("rowsAccepted", input.RowsAccepted);
            w.WriteNumber("rowsRejected", input.RowsRejected);
            w.WriteNumber("filesQuarantined", input.FilesQuarantined);
            w.WriteNumber("filesNotAnInput", input.FilesNotAnInput);
            w.WriteNumber("foldersNotBatches", input.FoldersNotBatches);
            w.WriteNumber("missingFromManifest", input.MissingFromManifest);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        output.WriteByte((byte)'\n');
    }

    private static void Responses(Utf8JsonWriter w, ResponseActivity r)
    {
        w.WriteStartObject("responses");
        w.WriteNumber("recorded", r.Responses);
        Counts(w, "byKind", r.ByKind);
        w.WriteNumber("alertsRaised", r.AlertsRaised);
        w.WriteNumber("alertsAnswered", r.AlertsAnswered);
        w.WriteNumber("alertsNeverAnswered", r.AlertsNeverAnswered);
        Distribution(w, "daysToFirstResponse", r.DaysToFirstResponse);
        w.WriteStartObject("byRule");
        foreach (var rule in r.Rules)
        {
            w.WriteStartObject(rule.RuleId);
            w.WriteNumber("alerts", rule.Alerts);
            w.WriteNumber("answered", rule.Answered);
            w.WriteNumber("neverAnswered", rule.NeverAnswered);
            Distribution(w, "daysToFirstResponse", rule.DaysToFirstResponse);
            w.WriteNumber("closed", rule.Closed);
            w.WriteNumber("escalated", rule.Escalated);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        Counts(w, "outsideTests", r.OutsideTests);
        w.WriteEndObject();
    }

    private static void Characteristics(Utf8JsonWriter w, AlkPositiveCharacteristics c)
    {
        w.WriteStartObject("alkPositiveCharacteristics");
        w.WriteNumber("n", c.N);
        Proportion(w, "female", c.Female);
        Proportion(w, "neverSmoker", c.NeverSmoker);
        Proportion(w, "stageIV", c.StageIV);
        w.WriteStartObject("age");
        w.WriteNumber("of", c.Age.Of);
        Number(w, "median", c.Age.Median);
        Number(w, "mean", c.Age.Mean is { } mean ? Math.Round(mean, 2) : null);
        Number(w, "min", c.Age.Min);
        Number(w, "max", c.Age.Max);
        w.WriteEndObject();
        Counts(w, "partners", c.Partners);
        Counts(w, "variants", c.Variants);
        w.WriteEndObject();
    }

    private static void Proportion(Utf8JsonWriter w, string name, Proportion p)
    {
        w.WriteStartObject(name);
        w.WriteNumber("count", p.Count);
        w.WriteNumber("of", p.Of);
        w.WriteEndObject();
    }

    private static void Distribution(Utf8JsonWriter w, string name, DayDistribution d)
    {
        w.WriteStartObject(name);
        w.WriteNumber("n", d.N);
        Number(w, "median", d.Median);
        Number(w, "p90", d.P90);
        w.WriteEndObject();
    }

    private static void Counts(Utf8JsonWriter w, string name, IEnumerable<KeyValuePair<string, int>> counts)
    {
        w.WriteStartObject(name);
        foreach (var (key, count) in counts)
        {
            w.WriteNumber(key, count);
        }
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
