using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Screening;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LcnecBatch.Azure.CdsHooks;

/// <summary>What an endpoint answers: a status and a JSON body (never patient data in an error).</summary>
public sealed record CdsReply(HttpStatusCode Status, byte[] Json);

/// <summary>
/// The CDS Hooks 2.0 service <c>lcnec-alk-screening</c> (docs/spec/cds-hooks.md): discovery, the <c>patient-view</c>
/// cards (one per open alert of the patient) and feedback recorded as care-team responses in the archive container.
/// Callers authenticate first (<see cref="CdsHooksAuthenticator"/>).
/// </summary>
public sealed class CdsHooksService(
    IOptions<CdsHooksOptions> options,
    IOptions<LabExportOptions> exports,
    IBatchState state,
    PatientPseudonym pseudonyms,
    CdsHooksTable table,
    BlobServiceClient blobs,
    ILogger<CdsHooksService> logger)
{
    public const string ServiceId = "lcnec-alk-screening";
    public const string Channel = "cds-hooks";

    /// <summary>CDS Hooks: "summary" must be under 140 characters.</summary>
    public const int MaxSummary = 139;

    private const int MaxEvidenceText = 500;
    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 32 };

    private readonly CdsHooksOptions _options = options.Value;

    public static byte[] Discovery() => Json(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("services");
        w.WriteStartObject();
        w.WriteString("hook", "patient-view");
        w.WriteString("id", ServiceId);
        w.WriteString("title", "ALK testing in pulmonary LCNEC");
        w.WriteString("description", "Open ALK-testing alerts of the patient from the nightly lab-export screening for large cell neuroendocrine carcinoma of the lung.");
        w.WriteStartObject("prefetch");
        w.WriteString("patient", "Patient/{{context.patientId}}");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>
    /// A <c>patient-view</c> call: 400 for a body that is not a patient-view request, 412 without the prefetched
    /// Patient (this service does not fetch from the FHIR server), else 200 with one card per open alert of the
    /// patient whose identifier of <see cref="CdsHooksOptions.MrnIdentifierSystem"/> is the MRN (none: no cards).
    /// </summary>
    public async Task<CdsReply> PatientViewAsync(Stream body, CancellationToken cancellationToken)
    {
        using var document = await ParseAsync(body, cancellationToken);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } root
            || Text(root, "hook") != "patient-view"
            || !root.TryGetProperty("context", out var context) || context.ValueKind != JsonValueKind.Object
            || Text(context, "patientId") is not { Length: > 0 } patientId)
        {
            return Error(HttpStatusCode.BadRequest, "not a patient-view request");
        }
        if (!root.TryGetProperty("prefetch", out var prefetch) || prefetch.ValueKind != JsonValueKind.Object
            || !prefetch.TryGetProperty("patient", out var patient) || patient.ValueKind != JsonValueKind.Object
            || Text(patient, "resourceType") != "Patient")
        {
            return Error(HttpStatusCode.PreconditionFailed, "prefetch.patient missing");
        }
        if (Text(patient, "id") != patientId)
        {
            return Error(HttpStatusCode.BadRequest, "prefetch.patient is not context.patientId");
        }
        var mrn = MrnOf(patient);
        if (mrn is null)
        {
            return Cards([]);
        }
        var pseudonym = pseudonyms.Of(mrn);
        var alerts = await state.AlertsAsync(pseudonym, cancellationToken);
        var open = alerts.Records.Where(r => r.IsOpen)
            .OrderBy(r => r.Last.Finding.Severity).ThenBy(r => r.RaisedOn).ThenBy(r => r.Last.AlertId, StringComparer.Ordinal)
            .ToList();
        await table.IndexCardsAsync(pseudonym, open.Select(r => r.Last.AlertId), cancellationToken);
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("CDS Hooks patient-view for {Pseudonym}: {Cards} card(s)", pseudonym, open.Count);
        }
        return Cards(open);
    }

    /// <summary>
    /// Feedback: every item is checked before any is recorded (400 naming the item's index and field otherwise);
    /// each item about a card this service served becomes a response line in
    /// <c>responses/{yyyy-MM-dd}/{responseId}.jsonl</c>; an item about an unknown card is counted, not recorded. 200.
    /// </summary>
    public async Task<CdsReply> FeedbackAsync(Stream body, CancellationToken cancellationToken)
    {
        using var document = await ParseAsync(body, cancellationToken);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } root
            || !root.TryGetProperty("feedback", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return Error(HttpStatusCode.BadRequest, "not a feedback request");
        }
        var parsed = new List<Feedback>();
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            if (Parse(item) is not { } feedback)
            {
                return Error(HttpStatusCode.BadRequest, $"feedback[{index}] is not a valid feedback item");
            }
            parsed.Add(feedback);
            index++;
        }
        var recorded = 0;
        var unknown = 0;
        var container = blobs.GetBlobContainerClient(exports.Value.Container);
        foreach (var feedback in parsed)
        {
            var record = await RecordOfAsync(feedback.Card, cancellationToken);
            if (record is null)
            {
                unknown++;
                continue;
            }
            var (name, line) = ResponseLine(feedback, record.Last.Patient.Mrn);
            await ResponseArchive.WriteAsync(container, name, line, cancellationToken);
            recorded++;
        }
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("CDS Hooks feedback: {Recorded} recorded, {Unknown} about unknown cards", recorded, unknown);
        }
        return new CdsReply(HttpStatusCode.OK, Json(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("recorded", recorded);
            w.WriteNumber("unknownCards", unknown);
            w.WriteEndObject();
        }));
    }

    /// <summary>The archive blob and line of one feedback item (export-format.md "responses").</summary>
    public static (string BlobName, byte[] Line) ResponseLine(Feedback feedback, string mrn)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        var at = feedback.OutcomeTimestamp.ToUniversalTime();
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        var responseId = "cds-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{feedback.Card}\n{at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}")))[..32];
        var reason = feedback.Reason;
        var line = ResponseArchive.Line(new ArchiveResponse(responseId, mrn, feedback.Card, day, reason.Kind, Channel)
        {
            Reason = reason.Reason,
            Disagreement = reason.Disagreement,
            Until = reason.SnoozeDays is { } days ? day.AddDays(days) : null,
            Extra = [new("cdsOutcome", feedback.Accepted ? "accepted" : "overridden"), new("cdsReason", reason.Code)],
        });
        return (ResponseArchive.BlobName(day, responseId), line);
    }

    private async Task<AlertRecord?> RecordOfAsync(string alertId, CancellationToken cancellationToken)
    {
        if (await table.PseudonymOfCardAsync(alertId, cancellationToken) is not { } pseudonym)
        {
            return null;
        }
        var alerts = await state.AlertsAsync(pseudonym, cancellationToken);
        return alerts.Records.FirstOrDefault(r => string.Equals(r.Last.AlertId, alertId, StringComparison.Ordinal));
    }

    private Feedback? Parse(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object
            || Text(item, "card") is not { } card || card.Length != 32 || !card.All(char.IsAsciiHexDigitLower)
            || Text(item, "outcomeTimestamp") is not { } timestamp
            || !DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return null;
        }
        switch (Text(item, "outcome"))
        {
            case "accepted":
                return new Feedback(card, true, OverrideReasons.Accepted, at);
            case "overridden":
                if (!item.TryGetProperty("overrideReason", out var overrideReason) || overrideReason.ValueKind == JsonValueKind.Null)
                {
                    // Dismissed without a reason: the card was seen.
                    return new Feedback(card, false, OverrideReasons.Accepted, at);
                }
                if (overrideReason.ValueKind != JsonValueKind.Object
                    || !overrideReason.TryGetProperty("reason", out var coding) || coding.ValueKind != JsonValueKind.Object
                    || Text(coding, "system") != _options.OverrideReasonSystem
                    || Text(coding, "code") is not { } code || OverrideReasons.Find(code) is not { } reason)
                {
                    return null;
                }
                return new Feedback(card, false, reason, at);
            default:
                return null;
        }
    }

    private string? MrnOf(JsonElement patient)
    {
        if (_options.MrnIdentifierSystem.Length == 0 || !patient.TryGetProperty("identifier", out var identifiers) || identifiers.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        return identifiers.EnumerateArray()
            .Where(i => i.ValueKind == JsonValueKind.Object && Text(i, "system") == _options.MrnIdentifierSystem)
            .Select(i => Text(i, "value"))
            .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
    }

    private CdsReply Cards(IReadOnlyList<AlertRecord> open) => new(HttpStatusCode.OK, Json(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("cards");
        foreach (var record in open)
        {
            WriteCard(w, record.Last);
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }));

    private void WriteCard(Utf8JsonWriter w, Alert alert)
    {
        w.WriteStartObject();
        w.WriteString("uuid", alert.AlertId);
        w.WriteString("summary", Summary(alert.Finding));
        w.WriteString("detail", Detail(alert.Finding));
        w.WriteString("indicator", Indicator(alert.Finding.Severity));
        w.WriteStartObject("source");
        w.WriteString("label", _options.SourceLabel);
        if (!string.IsNullOrEmpty(_options.SourceUrl))
        {
            w.WriteString("url", _options.SourceUrl);
        }
        w.WriteEndObject();
        w.WriteStartArray("overrideReasons");
        foreach (var reason in OverrideReasons.All)
        {
            w.WriteStartObject();
            w.WriteString("code", reason.Code);
            w.WriteString("system", _options.OverrideReasonSystem);
            w.WriteString("display", reason.Display);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>High is <c>warning</c>, not <c>critical</c>: ALK testing is urgent for treatment, not for the next minutes (cds-hooks.md).</summary>
    public static string Indicator(Severity severity) => severity switch
    {
        Severity.High => "warning",
        Severity.Medium => "warning",
        _ => "info",
    };

    /// <summary>The rule's title (plain words, no patient data), cut under 140 characters.</summary>
    public static string Summary(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var title = finding.Title.ReplaceLineEndings(" ");
        return title.Length <= MaxSummary ? title : title[..(MaxSummary - 1)] + "…";
    }

    /// <summary>The recommendation and the evidence as Markdown, every report-derived text escaped.</summary>
    public static string Detail(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"**{Markdown(finding.Title)}**\n\n{Markdown(finding.Recommendation)}\n\n");
        if (finding.Evidence.Count > 0)
        {
            text.Append("Evidence:\n\n");
            foreach (var evidence in finding.Evidence)
            {
                text.Append("- ").Append(Markdown(evidence.Kind));
                if (evidence.Date is { } date)
                {
                    text.Append(' ').Append(Markdown(Iso(date)));
                }
                if (evidence.Accession is { } accession)
                {
                    text.Append(" (").Append(Markdown(accession)).Append(')');
                }
                var cited = evidence.Text.Length <= MaxEvidenceText ? evidence.Text : evidence.Text[..MaxEvidenceText] + "…";
                text.Append(": ").Append(Markdown(cited)).Append('\n');
            }
        }
        text.Append("\nRule ").Append(Markdown($"{finding.RuleId} v{finding.RuleVersion}")).Append('.');
        return text.ToString();
    }

    /// <summary>
    /// Text as literal Markdown: every ASCII punctuation character CommonMark gives meaning to is backslash-escaped
    /// (so <c>*_[]()#&lt;&gt;</c> and the rest stay characters: no emphasis, link, heading or HTML), and line breaks
    /// become spaces (a line of its own could start a list or a heading).
    /// </summary>
    public static string Markdown(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (c is '\r' or '\n' or '\u2028' or '\u2029')
            {
                escaped.Append(' ');
            }
            else if (char.IsControl(c))
            {
                continue;
            }
            else
            {
                if ("\\`*_{}[]()#+-.!|<>~&\"'=:".Contains(c, StringComparison.Ordinal))
                {
                    escaped.Append('\\');
                }
                escaped.Append(c);
            }
        }
        return escaped.ToString();
    }

    private static CdsReply Error(HttpStatusCode status, string error) => new(status, Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("error", error);
        w.WriteEndObject();
    }));

    private static async Task<JsonDocument?> ParseAsync(Stream body, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonDocument.ParseAsync(body, ReadOptions, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        return buffer.ToArray();
    }
}

/// <summary>One feedback item as read: the card (alert id), accepted or overridden, the reason it records, and when.</summary>
public sealed record Feedback(string Card, bool Accepted, OverrideReason Reason, DateTimeOffset OutcomeTimestamp);
