using System.Text;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Formats.Fhir;
using LcnecBatch.Core.Tests.Formats.Hl7v2;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Formats.Fhir;

public class FhirExportReaderTests
{
    private const string PatientJson = """{"resourceType":"Patient","id":"p1","identifier":[{"system":"urn:ssn","value":"123-45-6789"},{"type":{"coding":[{"code":"MR"}]},"value":"900001"}],"gender":"female","birthDate":"1958-02-14"}""";
    private const string ReportJson = """{"resourceType":"DiagnosticReport","id":"r1","identifier":[{"type":{"coding":[{"code":"ACSN"}]},"value":"s26-04417"}],"status":"final","code":{"text":"Surgical pathology"},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2026-11-20","presentedForm":[{"contentType":"text/plain; charset=utf-8","data":"TGFyZ2UgY2VsbCBuZXVyb2VuZG9jcmluZSBjYXJjaW5vbWEu"}]}""";
    private const string IhcJson = """{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"CD56"},"method":{"text":"Immunohistochemistry (123C3)"},"subject":{"reference":"Patient/p1"},"specimen":{"reference":"Specimen/s1"},"issued":"2026-11-21T09:00:00+01:00","valueString":"Positive, diffuse","component":[{"code":{"text":"percent"},"valueQuantity":{"value":90,"unit":"%"}}],"note":[{"text":"strong membranous"}]}""";
    private const string FusionJson = """{"resourceType":"Observation","id":"o2","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"69548-6"}]},"method":{"text":"RNA sequencing"},"subject":{"identifier":{"value":"900001"}},"specimen":{"reference":"Specimen/s1"},"effectiveDateTime":"2026-11-26","valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA9633-4"}]},"component":[{"code":{"coding":[{"system":"http://loinc.org","code":"48018-6"}]},"valueCodeableConcept":{"coding":[{"display":"KIF5B"}]}},{"code":{"coding":[{"system":"http://loinc.org","code":"48018-6"}]},"valueCodeableConcept":{"text":"RET"}}]}""";
    private const string SpecimenJson = """{"resourceType":"Specimen","id":"s1","accessionIdentifier":{"value":"S26-04417"}}""";

    private static (List<TimelineEvent> Events, List<Rejection> Rejections, FhirFileCounts Counts) Read(Stream stream, bool ndjson)
    {
        var events = new List<TimelineEvent>();
        var rejections = new List<Rejection>();
        var counts = FhirExportReader.Read(stream, ndjson ? "2026-11-27/export.ndjson" : "2026-11-27/bundle.json", LabCorpus.Batch, events.Add, rejections.Add, ndjson);
        return (events, rejections, counts);
    }

    private static string Bundle(params string[] resources) =>
        "{\n  \"resourceType\": \"Bundle\",\n  \"type\": \"collection\",\n  \"entry\": [\n" +
        string.Join(",\n", resources.Select(r => $"    {{\n      \"resource\": {r}\n    }}")) + "\n  ]\n}\n";

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(4096)]
    public void Read_Bundle_MapsResourcesAndCitesTheLineEachEntryStartsOn(int chunk)
    {
        var bytes = Encoding.UTF8.GetBytes(Bundle(ReportJson, IhcJson, FusionJson, SpecimenJson, PatientJson));

        var (events, rejections, counts) = Read(new ChunkedStream(bytes, chunk), ndjson: false);

        Assert.Empty(rejections);
        Assert.Equal(new FhirFileCounts(5, 5, 0), counts);
        Assert.Equal([5, 8, 11, 17], events.Select(e => e.Source.Line));
        var report = Assert.IsType<PathologyReported>(events[0]);
        Assert.Equal(("900001", "S26-04417", new DateOnly(2026, 11, 20), "Large cell neuroendocrine carcinoma."), (report.Mrn, report.Accession, report.ReportDate, report.FinalDiagnosis));
        var ihc = Assert.IsType<IhcResulted>(events[1]);
        Assert.Equal(("CD56", "123C3", IhcResult.Positive, 90m, "strong membranous", new DateOnly(2026, 11, 21)), (ihc.Marker, ihc.AntibodyClone, ihc.Result, ihc.Value!.Value, ihc.Comment, ihc.ResultDate));
        var fusion = Assert.IsType<MolecularResulted>(events[2]);
        Assert.Equal(("RET", MolecularMethod.Ngs, MolecularResult.Detected, "S26-04417"), (fusion.Gene, fusion.Method, fusion.Result, fusion.Accession));
        var patient = Assert.IsType<DemographicsRecorded>(events[3]);
        Assert.Equal(("900001", Sex.Female, new DateOnly(1958, 2, 14)), (patient.Mrn, patient.Sex!.Value, patient.BirthDate!.Value));
    }

    [Fact]
    public void Read_Ndjson_ResolvesReferencesAcrossLinesAndCitesLineNumbers()
    {
        var text = string.Join("\n", ReportJson, "", FusionJson, SpecimenJson, PatientJson) + "\n";

        var (events, rejections, counts) = Read(LabCorpus.Text(text), ndjson: true);

        Assert.Empty(rejections);
        Assert.Equal(new FhirFileCounts(4, 4, 0), counts);
        Assert.Equal([1, 3, 5], events.Select(e => e.Source.Line));
        Assert.Equal("900001", Assert.IsType<PathologyReported>(events[0]).Mrn);
    }

    [Fact]
    public void Read_NdjsonWithBadLines_RejectsThoseLinesWithAPath_AndGoesOn()
    {
        var text = string.Join("\n",
            PatientJson,
            "{not json",
            PatientJson.Replace("1958-02-14", "1958-13-01", StringComparison.Ordinal),
            PatientJson.Replace("\"female\"", "\"woman\"", StringComparison.Ordinal),
            """{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"47303-3"}]},"subject":{"reference":"Patient/nobody"},"effectiveDateTime":"2026-11-21","valueString":"positive"}""",
            """{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"47303-3"}]},"identifier":[{"type":{"coding":[{"code":"ACSN"}]},"value":"S26-1"}],"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2026-11-21","valueString":"Doe is positive?"}""");

        var (events, rejections, counts) = Read(LabCorpus.Text(text), ndjson: true);

        Assert.Equal(new FhirFileCounts(6, 1, 5), counts);
        Assert.Single(events);
        Assert.Equal(
        [
            new Rejection("2026-11-27/export.ndjson", 2, "$", "line is not a JSON object"),
            new Rejection("2026-11-27/export.ndjson", 3, "$.birthDate", "not valid FHIR R4: a value is not a valid literal for its type (PVAL124)"),
            new Rejection("2026-11-27/export.ndjson", 4, "$.gender", "value is not a FHIR administrative gender (male, female, other, unknown)"),
            new Rejection("2026-11-27/export.ndjson", 5, "$.subject", "subject does not resolve to a Patient in this file and carries no identifier"),
            new Rejection("2026-11-27/export.ndjson", 6, "$.value", "value is not an IHC result (positive, negative, equivocal, not_evaluable)"),
        ], rejections);
        LabCorpus.AssertNoPatientData(rejections, "900001", "1958", "woman", "Doe is");
    }

    public static TheoryData<string, string, string?, string> BadReports() => new()
    {
        { "PDF only", ReportJson.Replace("text/plain; charset=utf-8", "application/pdf", StringComparison.Ordinal), "$.entry[1].resource.presentedForm", "report carries no text (conclusion, conclusionCode or text/plain presentedForm): review it by hand" },
        { "no date", ReportJson.Replace("\"effectiveDateTime\":\"2026-11-20\",", "", StringComparison.Ordinal), "$.entry[1].resource.issued", "no report date (issued, effectiveDateTime or effectivePeriod.start as a full date)" },
        { "no accession", ReportJson.Replace("\"identifier\":[{\"type\":{\"coding\":[{\"code\":\"ACSN\"}]},\"value\":\"s26-04417\"}],", "", StringComparison.Ordinal), "$.entry[1].resource.identifier", "no accession (identifier of type ACSN, specimen.accessionIdentifier or identifier)" },
        { "retracted", ReportJson.Replace("\"final\"", "\"entered-in-error\"", StringComparison.Ordinal), "$.entry[1].resource.status", "status entered-in-error retracts an earlier report: review it by hand" },
        { "orphan stage", """{"resourceType":"Condition","subject":{"reference":"Patient/p1"},"stage":[{"summary":{"text":"IVB"}}]}""", "$.entry[1].resource.evidence", "Condition carries stage or ICD-O-3 codes but is not linked (evidence.detail) to a DiagnosticReport in this file" },
    };

    [Theory]
    [MemberData(nameof(BadReports))]
    public void Read_BadResource_IsRejectedWithItsPath(string because, string resource, string? path, string reason)
    {
        var (events, rejections, counts) = Read(LabCorpus.Text(Bundle(PatientJson, resource)), ndjson: false);

        Assert.True(counts == new FhirFileCounts(2, 1, 1), because);
        Assert.Equal(new Rejection("2026-11-27/bundle.json", 8, path, reason), Assert.Single(rejections));
        Assert.IsType<DemographicsRecorded>(Assert.Single(events));
    }

    [Fact]
    public void Read_ReportsNotFinal_ArePassedOver()
    {
        var (events, rejections, _) = Read(LabCorpus.Text(Bundle(PatientJson, ReportJson.Replace("\"final\"", "\"preliminary\"", StringComparison.Ordinal))), ndjson: false);

        Assert.Empty(rejections);
        Assert.IsType<DemographicsRecorded>(Assert.Single(events));
    }

    [Theory]
    [InlineData("{\"resourceType\": \"Bundle\", \"entry\": [", false, 1, "not valid JSON")]
    [InlineData("[1, 2]", false, 1, "not a FHIR JSON file: it does not hold a JSON object")]
    [InlineData("{\"name\": \"x\"}", false, 1, "not a FHIR resource: the top-level object has no resourceType")]
    [InlineData("{} {}", false, 1, "not valid JSON")]
    [InlineData("", false, null, "file is empty: no JSON object")]
    [InlineData("mrn,sex\n1,F\n", true, 1, "not NDJSON: no line holds a JSON object")]
    public void Read_FileThatIsNotFhirJson_Throws(string text, bool ndjson, int? line, string reason)
    {
        var e = Assert.Throws<FileFormatException>(() => Read(LabCorpus.Text(text), ndjson));
        Assert.Equal((line, reason), (e.Line, e.Reason));
    }

    [Fact]
    public void Read_SingleResourceFile_IsOneResource()
    {
        var (events, _, counts) = Read(LabCorpus.Text(PatientJson), ndjson: false);

        Assert.Equal(new FhirFileCounts(1, 1, 0), counts);
        Assert.Equal(1, Assert.IsType<DemographicsRecorded>(Assert.Single(events)).Source.Line);
    }
}
