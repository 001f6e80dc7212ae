using System.Text;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Tests.Formats.Hl7v2;

namespace LcnecBatch.Core.Tests.Formats.Fhir;

/// <summary>
/// Odd and hostile FHIR JSON through the real entry point. A Bundle (<c>*.json</c>) that is not valid UTF-8 or not
/// valid JSON is quarantined with its line; a resource that holds text no string can carry (an escaped lone
/// surrogate) is rejected alone. In <c>*.ndjson</c> each line stands alone, as a CSV row or an HL7 message does.
/// </summary>
public class FhirHostileInputTests
{
    private const string PatientJson = """{"resourceType":"Patient","id":"p1","identifier":[{"type":{"coding":[{"code":"MR"}]},"value":"900001"}],"name":[{"family":"Doe","given":["Jane"]}],"gender":"female","birthDate":"1958-02-14"}""";
    private const string IhcJson = """{"resourceType":"Observation","id":"o1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"47303-3"}]},"identifier":[{"type":{"coding":[{"code":"ACSN"}]},"value":"S26-1"}],"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2026-11-21","valueString":"Positive","component":[{"code":{"text":"percent"},"valueQuantity":{"value":90,"unit":"%"}}],"note":[{"text":"strong membranous"}]}""";
    private const string LoneSurrogate = "a string escapes a lone surrogate (\\uD800-\\uDFFF): not valid text";

    private static (FileIngestion File, List<TimelineEvent> Events) Ingest(byte[] bytes, string name)
    {
        var events = new List<TimelineEvent>();
        var file = BatchIngestor.Ingest(LabCorpus.Batch, $"2026-11-27/{name}", new MemoryStream(bytes), events.Add);
        return (file, events);
    }

    /// <summary>Entry i starts on line 5 + 3i, its resource on the line after.</summary>
    private static string Bundle(params string[] resources) =>
        "{\n  \"resourceType\": \"Bundle\",\n  \"type\": \"collection\",\n  \"entry\": [\n" +
        string.Join(",\n", resources.Select(r => $"    {{\n      \"resource\": {r}\n    }}")) + "\n  ]\n}\n";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The UTF-8 of <paramref name="text"/> with <paramref name="marker"/> replaced by raw bytes.</summary>
    private static byte[] WithBytes(string text, string marker, params byte[] raw)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        return [.. Utf8(text[..at]), .. raw, .. Utf8(text[(at + marker.Length)..])];
    }

    private static void AssertReconciles(FileIngestion file) =>
        Assert.Equal(file.RowsRead, file.RowsAccepted + file.RowsRejected);

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0x80 })]
    [InlineData(new byte[] { 0xED, 0xB0, 0x80 })]
    [InlineData(new byte[] { 0xE2, 0x82 })]
    public void Ingest_BundleWithBytesThatAreNotUtf8_IsQuarantinedAtTheirLine(byte[] raw)
    {
        var bytes = WithBytes(Bundle(PatientJson, IhcJson.Replace("strong", "strong@", StringComparison.Ordinal)), "@", raw);

        var (file, events) = Ingest(bytes, "bundle.json");

        Assert.Equal(new FileFailure("2026-11-27/bundle.json", 9, "file holds bytes that are not valid UTF-8"), file.Failure);
        Assert.Equal(BatchFileKind.Fhir, file.Kind);
        Assert.Empty(events);
    }

    public static TheoryData<string, string, int, string> LoneSurrogates() => new()
    {
        { "in a value", IhcJson.Replace("strong membranous", "strong \\udc00 membranous", StringComparison.Ordinal), 8, "$.entry[1].resource" },
        { "high surrogate alone", IhcJson.Replace("strong membranous", "strong \\ud800x", StringComparison.Ordinal), 8, "$.entry[1].resource" },
        { "in a property name", IhcJson.Replace("\"note\"", "\"no\\udc00te\"", StringComparison.Ordinal), 8, "$.entry[1].resource" },
        { "in the resource type", IhcJson.Replace("\"Observation\"", "\"Obs\\udc00\"", StringComparison.Ordinal), 8, "$.entry[1].resource" },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public void Ingest_BundleResourceWithALoneSurrogateEscape_RejectsThatResource_AndReadsTheOthers(string because, string resource, int line, string path)
    {
        var (file, events) = Ingest(Utf8(Bundle(PatientJson, resource)), "bundle.json");

        Assert.True(file.Failure is null, because);
        Assert.Equal((2, 1, 1), (file.RowsRead, file.RowsAccepted, file.RowsRejected));
        Assert.Equal(new Rejection("2026-11-27/bundle.json", line, path, LoneSurrogate), Assert.Single(file.Rejections));
        Assert.IsType<DemographicsRecorded>(Assert.Single(events));
    }

    [Fact]
    public void Ingest_BundleEntryWithALoneSurrogateInItsFullUrl_RejectsThatEntry()
    {
        var text = Bundle(PatientJson, IhcJson).Replace("    {\n      \"resource\": {\"resourceType\":\"Observation\"", "    {\n      \"fullUrl\": \"urn:\\udc00\", \"resource\": {\"resourceType\":\"Observation\"", StringComparison.Ordinal);

        var (file, _) = Ingest(Utf8(text), "bundle.json");

        Assert.Equal((2, 1, 1), (file.RowsRead, file.RowsAccepted, file.RowsRejected));
        Assert.Equal(new Rejection("2026-11-27/bundle.json", 8, "$.entry[1].resource", LoneSurrogate), Assert.Single(file.Rejections));
    }

    [Fact]
    public void Ingest_SingleResourceWithALoneSurrogateEscape_IsOneRejectedResource()
    {
        var (file, events) = Ingest(Utf8(PatientJson.Replace("Jane", "\\udc00", StringComparison.Ordinal)), "patient.json");

        Assert.Null(file.Failure);
        Assert.Equal((1, 0, 1), (file.RowsRead, file.RowsAccepted, file.RowsRejected));
        Assert.Equal(new Rejection("2026-11-27/patient.json", 1, "$", LoneSurrogate), Assert.Single(file.Rejections));
        Assert.Empty(events);
    }

    [Fact]
    public void Ingest_BundleNestedDeeperThan64Levels_IsQuarantinedAtTheLine()
    {
        var deep = IhcJson.Replace("\"note\":", "\"extension\":" + string.Concat(Enumerable.Repeat("[", 70)) + string.Concat(Enumerable.Repeat("]", 70)) + ",\"note\":", StringComparison.Ordinal);

        var (file, events) = Ingest(Utf8(Bundle(PatientJson, deep)), "bundle.json");

        Assert.Equal(new FileFailure("2026-11-27/bundle.json", 9, "JSON nested deeper than 64 levels"), file.Failure);
        Assert.Empty(events);
    }

    public static TheoryData<string, byte[], string> BadNdjsonLines() => new()
    {
        { "invalid UTF-8", WithBytes(IhcJson.Replace("strong", "strong@", StringComparison.Ordinal), "@", 0xFF), "line holds bytes that are not valid UTF-8" },
        { "overlong UTF-8", WithBytes(IhcJson.Replace("strong", "strong@", StringComparison.Ordinal), "@", 0xC0, 0xAF), "line holds bytes that are not valid UTF-8" },
        { "lone surrogate", Utf8(IhcJson.Replace("strong", "\\udc00", StringComparison.Ordinal)), LoneSurrogate },
        { "not JSON", Utf8("{\"resourceType\": "), "line is not a JSON object" },
        { "nested too deep", Utf8(IhcJson.Replace("\"note\":", "\"extension\":" + new string('[', 70) + new string(']', 70) + ",\"note\":", StringComparison.Ordinal)), "JSON nested deeper than 64 levels" },
    };

    [Theory]
    [MemberData(nameof(BadNdjsonLines))]
    public void Ingest_NdjsonLineThatIsNotUsableText_RejectsThatLineOnly(string because, byte[] line, string reason)
    {
        byte[] bytes = [.. Utf8(PatientJson + "\n"), .. line, .. Utf8("\n" + IhcJson.Replace("S26-1", "S26-2", StringComparison.Ordinal) + "\n")];

        var (file, events) = Ingest(bytes, "export.ndjson");

        Assert.True(file.Failure is null, because);
        Assert.Equal((3, 2, 1), (file.RowsRead, file.RowsAccepted, file.RowsRejected));
        Assert.Equal(new Rejection("2026-11-27/export.ndjson", 2, "$", reason), Assert.Single(file.Rejections));
        Assert.Equal(["S26-2"], events.OfType<IhcResulted>().Select(e => e.Accession));
    }

    [Fact]
    public void Ingest_NdjsonWhoseEveryLineIsBinary_IsQuarantined()
    {
        var (file, _) = Ingest([0xFF, 0xFE, 0x00, 0x01, (byte)'\n', 0xC0, 0xC1, (byte)'\n'], "export.ndjson");

        Assert.Equal(new FileFailure("2026-11-27/export.ndjson", 1, "not NDJSON: no line holds a JSON object"), file.Failure);
    }

    [Fact]
    public void Ingest_NdjsonWithCrLfAndABom_CitesPhysicalLines()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Utf8(PatientJson + "\r\n\r\n" + IhcJson + "\r\n")];

        var (file, events) = Ingest(bytes, "export.ndjson");

        Assert.Empty(file.Rejections);
        Assert.Equal([1, 3], events.Select(e => e.Source.Line));
    }

    public static TheoryData<string, string, string> HugeNumbers() => new()
    {
        { "decimal beyond range", IhcJson.Replace("\"value\":90", "\"value\":1e400", StringComparison.Ordinal), "$.entry[1].resource" },
        { "decimal with 400 digits", IhcJson.Replace("\"value\":90", "\"value\":" + new string('9', 400), StringComparison.Ordinal), "$.entry[1].resource" },
        { "integer beyond range", IhcJson.Replace("\"valueQuantity\":{\"value\":90,\"unit\":\"%\"}", "\"valueInteger\":99999999999999999999", StringComparison.Ordinal), "$.entry[1].resource" },
    };

    [Theory]
    [MemberData(nameof(HugeNumbers))]
    public void Ingest_ResourceWithAHugeNumber_IsRejectedAlone(string because, string resource, string path)
    {
        var (file, events) = Ingest(Utf8(Bundle(PatientJson, resource)), "bundle.json");

        Assert.True(file.Failure is null, because);
        AssertReconciles(file);
        Assert.Equal((2, 1), (file.RowsRead, file.RowsAccepted));
        var rejection = Assert.Single(file.Rejections);
        Assert.Equal((8, true), (rejection.Line, rejection.Column!.StartsWith(path, StringComparison.Ordinal)));
        Assert.IsType<DemographicsRecorded>(Assert.Single(events));
    }

    [Theory]
    [InlineData("an element named \"\"", "\"\":{\"x\":1},", "an element has an empty name")]
    [InlineData("contained that is not a list", "\"contained\":{\"resourceType\":\"Patient\"},", "not valid FHIR R4: an element that repeats is not a list (PVAL127)")]
    public void Ingest_ResourceTheSdkWouldThrowOn_IsRejectedAlone(string because, string element, string reason)
    {
        var resource = IhcJson.Replace("\"status\":", element + "\"status\":", StringComparison.Ordinal);

        var (file, events) = Ingest(Utf8(Bundle(PatientJson, resource)), "bundle.json");

        Assert.True(file.Failure is null, because);
        Assert.Equal((2, 1, 1), (file.RowsRead, file.RowsAccepted, file.RowsRejected));
        Assert.Equal(new Rejection("2026-11-27/bundle.json", 8, "$.entry[1].resource", reason), Assert.Single(file.Rejections));
        Assert.IsType<DemographicsRecorded>(Assert.Single(events));
    }
}
