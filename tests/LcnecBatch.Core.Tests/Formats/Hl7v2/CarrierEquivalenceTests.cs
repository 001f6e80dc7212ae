using System.Text;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats.Csv;
using LcnecBatch.Core.Formats.Fhir;
using LcnecBatch.Core.Formats.Hl7v2;
using static LcnecBatch.Core.Tests.Formats.Hl7v2.Hl7Messages;

namespace LcnecBatch.Core.Tests.Formats.Hl7v2;

/// <summary>
/// The same patient written three ways, as a lab would send it: canonical CSV, an HL7 v2 batch and a FHIR
/// Bundle. The rules never learn the carrier: the events must be the same, except where they were read.
/// </summary>
public class CarrierEquivalenceTests
{
    private static readonly Dictionary<ExportFileKind, string> Csv = new()
    {
        [ExportFileKind.Patients] = "mrn,sex,birth_date\n100234,F,1961-03-09\n",
        [ExportFileKind.PathologyReports] = "accession,mrn,report_date,specimen_site,final_diagnosis,icdo3_morphology,stage\n" +
            "S26-04417,100234,2026-11-20,\"Lung, left upper lobe\",\"Lung, left upper lobe, core biopsy:\nLarge cell neuroendocrine carcinoma.\",8013/3,IVB\n",
        [ExportFileKind.IhcResults] = "accession,mrn,result_date,marker,clone,result\nS26-04417,100234,2026-11-21,ALK,D5F3,positive\n",
        [ExportFileKind.MolecularResults] = "accession,mrn,result_date,method,gene,result,alteration\n" +
            "S26-04417,100234,2026-11-26,FISH,ALK,not_detected,\nS26-04417,100234,2026-11-27,NGS,ALK,detected,EML4-ALK fusion (E6:A20)\n",
    };

    private static readonly string[] Hl7 =
    [
        @"BHS|^~\&|PATHLIS|LAB",
        Msh(),
        Seg("PID", (1, "1"), (3, "100234^^^LAB^MR"), (5, "Doe^Jane"), (7, "19610309"), (8, "F")),
        Seg("OBR", (1, "1"), (3, "S26-04417"), (4, "11529-5^Surgical pathology study^LN"), (22, "202611201430-0500"), (24, "SP"), (25, "F")),
        Obx(1, "ST", "22633-2^Nature of specimen^LN", "Lung, left upper lobe"),
        Obx(2, "TX", "22637-3^Final diagnosis^LN", "Lung, left upper lobe, core biopsy:~Large cell neuroendocrine carcinoma."),
        Obx(3, "CWE", "31206-6^Histology and behavior ICD-O-3^LN", "8013/3^Large cell neuroendocrine carcinoma^ICDO3"),
        Obx(4, "ST", "21902-2^Stage group.pathology Cancer^LN", "IVB"),
        Obx(5, "CWE", "47303-3^ALK (D5F3)^LN", "10828004^Positive^SCT", date: "20261121"),
        Obx(6, "CWE", "78205-2^ALK FISH^LN", "LA9634-2^Absent^LN", date: "20261126"),
        Obx(7, "ST", "ALK^ALK NGS^L", @"Detected: EML4-ALK fusion (E6:A20)", date: "20261127"),
        "BTS|1",
    ];

    private const string Fhir = """
        {
          "resourceType": "Bundle",
          "type": "collection",
          "entry": [
            { "fullUrl": "urn:uuid:0f5c1e8a-0000-4000-8000-000000000001",
              "resource": { "resourceType": "Patient", "id": "p1",
                "identifier": [ { "type": { "coding": [ { "system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR" } ] }, "value": "100234" } ],
                "gender": "female", "birthDate": "1961-03-09" } },
            { "fullUrl": "urn:uuid:0f5c1e8a-0000-4000-8000-000000000002",
              "resource": { "resourceType": "Specimen", "id": "s1", "accessionIdentifier": { "value": "S26-04417" },
                "collection": { "bodySite": { "text": "Lung, left upper lobe" } } } },
            { "fullUrl": "urn:uuid:0f5c1e8a-0000-4000-8000-000000000003",
              "resource": { "resourceType": "DiagnosticReport", "id": "r1", "status": "final",
                "category": [ { "coding": [ { "system": "http://loinc.org", "code": "LP7839-6" } ] } ],
                "code": { "coding": [ { "system": "http://loinc.org", "code": "11529-5" } ] },
                "subject": { "reference": "urn:uuid:0f5c1e8a-0000-4000-8000-000000000001" },
                "issued": "2026-11-20T14:30:00-05:00",
                "specimen": [ { "reference": "Specimen/s1" } ],
                "result": [ { "reference": "Observation/o1" }, { "reference": "Observation/o2" }, { "reference": "Observation/o3" } ],
                "conclusion": "Lung, left upper lobe, core biopsy:\nLarge cell neuroendocrine carcinoma.",
                "conclusionCode": [ { "coding": [ { "system": "http://terminology.hl7.org/CodeSystem/icd-o-3", "code": "8013/3" } ] } ] } },
            { "fullUrl": "urn:uuid:0f5c1e8a-0000-4000-8000-000000000004",
              "resource": { "resourceType": "Condition", "id": "c1", "subject": { "reference": "Patient/p1" },
                "stage": [ { "summary": { "text": "IVB" } } ],
                "evidence": [ { "detail": [ { "reference": "DiagnosticReport/r1" } ] } ] } },
            { "fullUrl": "urn:uuid:0f5c1e8a-0000-4000-8000-000000000005",
              "resource": { "resourceType": "Observation", "id": "o1", "status": "final",
                "code": { "coding": [ { "system": "http://loinc.org", "code": "47303-3" } ], "text": "ALK IHC" },
                "subject": { "reference": "Patient/p1" }, "effectiveDateTime": "2026-11-21",
                "method": { "text": "Ventana IHC (D5F3)" },
                "valueCodeableConcept": { "coding": [ { "system": "http://snomed.info/sct", "code": "10828004", "display": "Positive" } ] } } },
            { "fullUrl": "urn:uuid:0f5c1e8a-0000-4000-8000-000000000006",
              "resource": { "resourceType": "Observation", "id": "o2", "status": "final",
                "code": { "coding": [ { "system": "http://loinc.org", "code": "78205-2" } ] },
                "subject": { "reference": "Patient/p1" }, "effectiveDateTime": "2026-11-26",
                "valueCodeableConcept": { "coding": [ { "system": "http://loinc.org", "code": "LA9634-2", "display": "Absent" } ] } } },
            { "fullUrl": "urn:uuid:0f5c1e8a-0000-4000-8000-000000000007",
              "resource": { "resourceType": "Observation", "id": "o3", "status": "final",
                "code": { "coding": [ { "system": "http://loinc.org", "code": "69548-6" } ] },
                "subject": { "reference": "Patient/p1" }, "effectiveDateTime": "2026-11-27",
                "method": { "coding": [ { "system": "http://loinc.org", "code": "LA26398-0", "display": "Sequencing" } ] },
                "valueCodeableConcept": { "coding": [ { "system": "http://loinc.org", "code": "LA9633-4", "display": "Present" } ] },
                "component": [
                  { "code": { "coding": [ { "system": "http://loinc.org", "code": "48018-6" } ] },
                    "valueCodeableConcept": { "coding": [ { "system": "http://www.genenames.org/geneId", "code": "HGNC:3315", "display": "EML4" } ] } },
                  { "code": { "coding": [ { "system": "http://loinc.org", "code": "48018-6" } ] },
                    "valueCodeableConcept": { "coding": [ { "system": "http://www.genenames.org/geneId", "code": "HGNC:427" } ] } },
                  { "code": { "coding": [ { "system": "http://loinc.org", "code": "81252-9" } ] },
                    "valueCodeableConcept": { "text": "EML4-ALK fusion (E6:A20)" } } ] } }
          ]
        }
        """;

    private static List<TimelineEvent> FromCsv()
    {
        var events = new List<TimelineEvent>();
        foreach (var (kind, text) in Csv)
        {
            CsvExportReader.Read(kind, LabCorpus.Text(text), $"2026-11-27/{kind}.csv", LabCorpus.Batch, events.Add, r => Assert.Fail(r.ToString()));
        }
        return events;
    }

    [Fact]
    public void SamePatient_AsCsvHl7AndFhir_GivesTheSameEvents()
    {
        var csv = FromCsv();
        var hl7 = new List<TimelineEvent>();
        var fhir = new List<TimelineEvent>();

        Hl7v2ExportReader.Read(LabCorpus.Text(string.Join("\r", Hl7)), "2026-11-27/results.hl7", LabCorpus.Batch, hl7.Add, r => Assert.Fail(r.ToString()));
        FhirExportReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(Fhir)), "2026-11-27/results.json", LabCorpus.Batch, fhir.Add, r => Assert.Fail(r.ToString()), ndjson: false);

        Assert.Equal(5, csv.Count);
        Assert.Equal(LabCorpus.Facts(csv), LabCorpus.Facts(hl7));
        Assert.Equal(LabCorpus.Facts(csv), LabCorpus.Facts(fhir));
        // Same content, same identity: the timeline takes a fact once whatever carried it.
        Assert.Equal(csv.Select(e => e.EventId).Order(), fhir.Select(e => e.EventId).Order());
    }
}
