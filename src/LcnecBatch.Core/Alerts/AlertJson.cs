using System.Text.Encodings.Web;
using System.Text.Json;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Screening;

namespace LcnecBatch.Core.Alerts;

/// <summary>
/// Writes an alert as the JSON of alerts.md, field by field in a fixed order, omitting what does not
/// apply. alerts.jsonl holds the alert; a Service Bus message holds the same bytes with what happened to it
/// (<c>event</c>, and <c>reminder</c>, <c>cycle</c> when they apply; a closed alert carries <c>closedOn</c> and <c>closedReason</c>) after the alert id.
/// </summary>
public static class AlertJson
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = false,
        // Report text is encoded for HTML-sensitive characters too: a body may be rendered in a browser.
        Encoder = JavaScriptEncoder.Default,
    };

    public static byte[] ToUtf8(Alert alert)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            Write(writer, alert);
        }
        return buffer.ToArray();
    }

    /// <summary>The body of an alert event's Service Bus message.</summary>
    public static byte[] ToUtf8(AlertEvent alertEvent)
    {
        ArgumentNullException.ThrowIfNull(alertEvent);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            Write(writer, alertEvent.Alert, alertEvent);
        }
        return buffer.ToArray();
    }

    /// <summary>Writes one alert per line, in <see cref="Alert.StableOrder"/>.</summary>
    public static void WriteLines(Stream output, IEnumerable<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var alert in alerts.Order(Alert.StableOrder))
        {
            output.Write(ToUtf8(alert));
            output.WriteByte((byte)'\n');
        }
    }

    public static void Write(Utf8JsonWriter writer, Alert alert) => Write(writer, alert, null);

    private static void Write(Utf8JsonWriter writer, Alert alert, AlertEvent? alertEvent)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(alert);
        var f = alert.Finding;
        writer.WriteStartObject();
        writer.WriteString("alertId", alert.AlertId);
        if (alertEvent is not null)
        {
            writer.WriteString("event", alertEvent.Name);
            if (alertEvent.Kind == AlertEventKind.Reminder)
            {
                writer.WriteNumber("reminder", alertEvent.Number);
            }
            if (alertEvent.Cycle > 0)
            {
                writer.WriteNumber("cycle", alertEvent.Cycle);
            }
        }
        writer.WriteString("ruleId", f.RuleId);
        writer.WriteString("ruleVersion", f.RuleVersion);
        writer.WriteString("severity", Wire(f.Severity));
        writer.WriteString("status", Wire(alert.Status));
        writer.WriteString("asOf", Date(alert.AsOf));
        if (f.DueSince is { } due)
        {
            writer.WriteString("dueSince", Date(due));
        }
        if (alert.ResolvedOn is { } resolved)
        {
            writer.WriteString("resolvedOn", Date(resolved));
        }
        if (alert.ClosedOn is { } closedOn)
        {
            writer.WriteString("closedOn", Date(closedOn));
        }
        if (alert.ClosedReason is { } reason)
        {
            writer.WriteString("closedReason", Wire(reason));
        }
        writer.WriteStartObject("patient");
        writer.WriteString("mrn", alert.Patient.Mrn);
        if (alert.Patient.Sex is { } sex)
        {
            writer.WriteString("sex", sex switch { Sex.Female => "F", Sex.Male => "M", _ => "U" });
        }
        if (alert.Patient.AgeAtDiagnosis is { } age)
        {
            writer.WriteNumber("ageAtDiagnosis", age);
        }
        if (alert.Patient.SmokingStatus is { } smoking)
        {
            writer.WriteString("smokingStatus", smoking.ToString().ToLowerInvariant());
        }
        writer.WriteEndObject();
        if (alert.CareTeam is { } team)
        {
            writer.WriteString("careTeam", team);
        }
        writer.WriteString("subject", f.Subject);
        writer.WriteString("title", f.Title);
        writer.WriteString("recommendation", f.Recommendation);
        if (f.Fusion is { } fusion)
        {
            WriteFusion(writer, fusion);
        }
        if (f.Mutations is { Count: > 0 } mutations)
        {
            writer.WriteStartArray("mutations");
            foreach (var m in mutations)
            {
                WriteMutation(writer, m);
            }
            writer.WriteEndArray();
        }
        writer.WriteStartArray("evidence");
        foreach (var e in f.Evidence)
        {
            WriteEvidence(writer, e);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteFusion(Utf8JsonWriter writer, FusionDetail fusion)
    {
        writer.WriteStartObject("fusion");
        WriteIfKnown(writer, "partner", fusion.Partner);
        if (fusion.PartnerExon is { } partnerExon)
        {
            writer.WriteNumber("partnerExon", partnerExon);
        }
        if (fusion.AlkExon is { } alkExon)
        {
            writer.WriteNumber("alkExon", alkExon);
        }
        WriteIfKnown(writer, "variant", fusion.Variant);
        WriteIfKnown(writer, "variantClass", fusion.VariantClass);
        WriteIfKnown(writer, "caller", fusion.Caller);
        if (fusion.Breakpoints.Count > 0)
        {
            writer.WriteStartArray("breakpoints");
            foreach (var b in fusion.Breakpoints)
            {
                writer.WriteStringValue(b);
            }
            writer.WriteEndArray();
        }
        WriteIfKnown(writer, "build", fusion.Build);
        writer.WriteEndObject();
    }

    private static void WriteMutation(Utf8JsonWriter writer, MutationDetail mutation)
    {
        writer.WriteStartObject();
        writer.WriteString("protein", mutation.Protein);
        foreach (var (name, list) in new[] { ("resistantTo", mutation.ResistantTo), ("sensitiveTo", mutation.SensitiveTo) })
        {
            writer.WriteStartArray(name);
            foreach (var drug in list)
            {
                writer.WriteStringValue(drug);
            }
            writer.WriteEndArray();
        }
        WriteIfKnown(writer, "position", mutation.Position);
        WriteIfKnown(writer, "build", mutation.Build);
        writer.WriteEndObject();
    }

    private static void WriteIfKnown(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteEvidence(Utf8JsonWriter writer, Evidence e)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", e.Kind);
        writer.WriteString("source", e.Source.File);
        if (e.Source.Line > 0)
        {
            writer.WriteNumber("line", e.Source.Line);
        }
        if (e.Accession is { } accession)
        {
            writer.WriteString("accession", accession);
        }
        if (e.Date is { } date)
        {
            writer.WriteString("date", Date(date));
        }
        writer.WriteString("text", e.Text);
        if (e.Assertion is { } assertion)
        {
            writer.WriteString("assertion", assertion);
        }
        if (e.Cue is { } cue)
        {
            writer.WriteString("cue", cue);
        }
        if (e.Section is { } section)
        {
            writer.WriteString("section", section);
        }
        if (e.Span is { } span)
        {
            writer.WriteStartObject("span");
            writer.WriteNumber("start", span.Start);
            writer.WriteNumber("length", span.Length);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    public static string Wire(Severity severity) => severity switch
    {
        Severity.High => "high",
        Severity.Medium => "medium",
        _ => "info",
    };

    public static string Wire(AlertStatus status) => status switch
    {
        AlertStatus.Open => "open",
        AlertStatus.Resolved => "resolved",
        _ => "closed",
    };

    public static string Wire(AlertClosedReason reason) => reason switch
    {
        AlertClosedReason.Declined => "declined",
        AlertClosedReason.Hospice => "hospice",
        AlertClosedReason.Deceased => "deceased",
        AlertClosedReason.ComfortCare => "comfortCare",
        AlertClosedReason.WrongPatient => "wrongPatient",
        AlertClosedReason.NotLcnec => "notLcnec",
        _ => "other",
    };

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd");
}
