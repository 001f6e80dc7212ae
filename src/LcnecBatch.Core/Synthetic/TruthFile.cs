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

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.Default,
        Converters = { new JsonStringEnumConverter<LcnecLabel>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    /// <summary>The last batch date the truth speaks about.</summary>
    [JsonIgnore]
    public DateOnly End => Start.AddDays(Days - 1);

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
    public bool IsOpenOn(DateOnly date) => OpenFrom <= date && (ResolvedOn is not { } resolved || date < resolved);
}
