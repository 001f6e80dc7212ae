using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LcnecBatch.Core.Synthetic;

/// <summary>
/// What the generator meant a patient's reports to say about pulmonary LCNEC. Set from the scenario that
/// wrote the reports, never by running a finder over them. <see cref="Lookalike"/> covers the entities a
/// finder must not take for LCNEC (small cell carcinoma, carcinoids, large cell carcinoma NOS, LCNEM,
/// adenocarcinoma with neuroendocrine differentiation); <see cref="Family"/> is a relative's LCNEC; <see cref="None"/> is
/// everything else. The label is what the patient's reports say as of the last batch: an LCNEC withdrawn by an amended
/// report is <see cref="Negated"/> (its alerts, raised while it stood, resolve on the amendment's batch date).
/// </summary>
public enum LcnecLabel { None, Affirmed, Historical, Uncertain, Negated, OtherSite, Lookalike, Family }

/// <summary><c>truth.json</c>: the expected LCNEC assertion of every patient and the alerts expected by date.</summary>
public sealed record TruthFile(
    int Seed,
    DateOnly Start,
    int Days,
    int Patients,
    IReadOnlyList<TruthRejectedRow> RejectedRows,
    IReadOnlyList<TruthCase> Cases)
{
    public const string FileName = "truth.json";

    /// <summary>The care team's answers written under <c>responses/</c>, and what each should do (issue 17).</summary>
    public IReadOnlyList<TruthResponse> Responses { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.Default,
        Converters = { new JsonStringEnumConverter<LcnecLabel>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    /// <summary>The last batch date the truth speaks about.</summary>
    [JsonIgnore]
    public DateOnly End => Start.AddDays(Days - 1);

    /// <summary>
    /// Every expected alert with its patient, once the care team's answers have had their effect: an outside test
    /// resolves the alert on the day recorded (and a positive one raises an actionable fusion citing the outside lab),
    /// a closing answer closes it (<see cref="TruthAlert.ClosedOn"/>; "not LCNEC" every alert of the patient open that day).
    /// </summary>
    public IReadOnlyList<(string Mrn, TruthAlert Alert)> ExpectedAlerts()
    {
        var alerts = Cases.SelectMany(c => c.Alerts.Select(a => (c.Mrn, Alert: a))).ToList();
        foreach (var r in Responses.OrderBy(r => r.RespondedOn).ThenBy(r => r.ResponseId, StringComparer.Ordinal))
        {
            for (var i = 0; i < alerts.Count; i++)
            {
                var (mrn, alert) = alerts[i];
                var answered = mrn == r.Mrn && alert.RuleId == r.RuleId && alert.Subject == r.Subject;
                if (r.Effect == TruthResponse.CountsAsTest && answered && r.ResolvesOn is { } on && (alert.ResolvedOn is null || on < alert.ResolvedOn))
                {
                    alerts[i] = (mrn, alert with { ResolvedOn = on });
                }
                else if ((r.Effect == TruthResponse.Closes && answered) || (r.Effect == TruthResponse.ClosesAsNotLcnec && mrn == r.Mrn && alert.IsOpenOn(r.RespondedOn)))
                {
                    alerts[i] = (mrn, alert with { ClosedOn = r.RespondedOn });
                }
            }
            if (r.ActionableSubject is { } subject)
            {
                alerts.Add((r.Mrn, new TruthAlert("ALK_FUSION_ACTIONABLE", subject, "info", null, r.RespondedOn, null)));
            }
        }
        return alerts;
    }

    public static TruthFile Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    public static TruthFile Read(Stream content) =>
        JsonSerializer.Deserialize<TruthFile>(content, Json) ?? throw new JsonException("truth file is empty");

    /// <summary>Indented, <c>\n</c> newlines, UTF-8 without BOM, ending with a newline.</summary>
    public byte[] ToUtf8Bytes()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.Default }))
        {
            JsonSerializer.Serialize(writer, this, Json);
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}

/// <summary>A row written bad on purpose: <paramref name="Line"/> is where its CSV record starts (header = 1).</summary>
public sealed record TruthRejectedRow(string Source, int Line, string Column);

/// <summary>One patient. <paramref name="Advanced"/> is given for affirmed and historical LCNEC only.</summary>
public sealed record TruthCase(string Mrn, LcnecLabel Lcnec, bool? Advanced, IReadOnlyList<TruthAlert> Alerts);

/// <summary>
/// An alert expected to be open from <paramref name="OpenFrom"/> until the day before <paramref name="ResolvedOn"/>
/// (or to the end of the archive). <paramref name="DueSince"/> is set for rules with a window.
/// </summary>
public sealed record TruthAlert(string RuleId, string Subject, string Severity, DateOnly? DueSince, DateOnly OpenFrom, DateOnly? ResolvedOn)
{
    /// <summary>The day a care-team answer closed it (set by <see cref="TruthFile.ExpectedAlerts"/> only; never written).</summary>
    [JsonIgnore]
    public DateOnly? ClosedOn { get; init; }

    /// <summary>The day it resolved while still open (a closed alert does not resolve).</summary>
    [JsonIgnore]
    public DateOnly? ResolvedWhileOpen => ResolvedOn is { } resolved && (ClosedOn is not { } closed || resolved <= closed) ? resolved : null;

    public bool IsOpenOn(DateOnly date) => OpenFrom <= date && (ResolvedOn is not { } resolved || date < resolved) && (ClosedOn is not { } closed || date < closed);
}

/// <summary>An outside ALK test as a "tested elsewhere" response reports it (export-format.md words).</summary>
public sealed record TruthOutsideTest(string Lab, DateOnly Date, string Method, string Result, string? Alteration);

/// <summary>
/// One care-team response the generator wrote (its fields in the words of export-format.md, "Responses") and the
/// effect it must have (<see cref="Effect"/>): the alerts in <see cref="TruthCase.Alerts"/> are what the lab data
/// alone raise; these say how the answers change them.
/// </summary>
public sealed record TruthResponse
{
    /// <summary>Acknowledged: no reminder for the acknowledged cadence (screening.md default 90 days) after the answer.</summary>
    public const string SlowsReminders = "slowsReminders";

    /// <summary>Snoozed: no reminder after the answer up to and including <see cref="Until"/>.</summary>
    public const string NoRemindersUntil = "noRemindersUntil";

    /// <summary>Declined or not a candidate: the alert closes on the day recorded with <see cref="ClosedReason"/>.</summary>
    public const string Closes = "closes";

    /// <summary>Disagree, not LCNEC: every open alert of the patient closes (notLcnec) and the patient is listed for pathology review.</summary>
    public const string ClosesAsNotLcnec = "closesAsNotLcnec";

    /// <summary>Tested elsewhere: the alert resolves on <see cref="ResolvesOn"/>; a positive result raises an actionable fusion citing the outside lab.</summary>
    public const string CountsAsTest = "countsAsTest";

    public required string ResponseId { get; init; }

    public required string Mrn { get; init; }

    public required string AlertId { get; init; }

    public required string RuleId { get; init; }

    public required string Subject { get; init; }

    public required DateOnly RespondedOn { get; init; }

    public required string Kind { get; init; }

    public string? Reason { get; init; }

    public string? Disagreement { get; init; }

    public DateOnly? Until { get; init; }

    public TruthOutsideTest? OutsideTest { get; init; }

    public required string Effect { get; init; }

    public string? ClosedReason { get; init; }

    public DateOnly? ResolvesOn { get; init; }

    /// <summary>The subject (<c>outside: {lab}</c>) of the ALK_FUSION_ACTIONABLE alert a positive outside result raises.</summary>
    public string? ActionableSubject { get; init; }
}
