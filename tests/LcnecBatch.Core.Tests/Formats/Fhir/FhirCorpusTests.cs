using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Formats.Fhir;
using LcnecBatch.Core.Tests.Formats.Hl7v2;

namespace LcnecBatch.Core.Tests.Formats.Fhir;

/// <summary>The public FHIR examples of <c>../shared/corpus/fhir</c>, read in place. None carries LCNEC or ALK.</summary>
public class FhirCorpusTests
{
    private static (List<TimelineEvent> Events, List<Rejection> Rejections, FhirFileCounts Counts) Read(string name)
    {
        var events = new List<TimelineEvent>();
        var rejections = new List<Rejection>();
        using var stream = File.OpenRead(LabCorpus.File("fhir", name));
        var counts = FhirExportReader.Read(stream, $"2026-11-27/{Path.GetFileName(name)}", LabCorpus.Batch, events.Add, rejections.Add, ndjson: false);
        return (events, rejections, counts);
    }

    [LabCorpusFact("fhir")]
    public void UsPathologyBundle_GivesThePatient_AndFlagsTheSynopticReportThatHasNoText()
    {
        var (events, rejections, counts) = Read("Bundle-us-pathology-exchange-bundle-example.json");

        Assert.Equal(new FhirFileCounts(10, 9, 1), counts);
        var patient = Assert.IsType<DemographicsRecorded>(Assert.Single(events));
        Assert.Equal(("JoelAlexPatient", Sex.Male, (DateOnly?)null, 15), (patient.Mrn, patient.Sex!.Value, patient.BirthDate, patient.Source.Line));
        // The report's only presentedForm is SDC XML: nothing to screen, so a person must read it.
        var rejection = Assert.Single(rejections);
        Assert.Equal((111, "$.entry[2].resource.presentedForm"), (rejection.Line, rejection.Column));
    }

    [LabCorpusFact("fhir")]
    public void IheSdcEccObservations_CarryNoScreeningFact_AndParse()
    {
        foreach (var file in Directory.GetFiles(LabCorpus.Folder("fhir")!, "Observation-*.json", SearchOption.AllDirectories))
        {
            var (events, rejections, counts) = Read(Path.GetRelativePath(LabCorpus.Folder("fhir")!, file));

            Assert.Empty(events);
            Assert.Empty(rejections);
            Assert.Equal(new FhirFileCounts(1, 1, 0), counts);
        }
    }

    [LabCorpusFact("fhir")]
    public void IheSdcEccReport_WhoseSubjectIsOutsideTheFile_IsRejected()
    {
        var (events, rejections, _) = Read("ihe-sdc-ecc/DiagnosticReport-eCCDiagnosticReport0.json");

        Assert.Empty(events);
        Assert.Equal(new Rejection("2026-11-27/DiagnosticReport-eCCDiagnosticReport0.json", 1, "$.subject", "subject does not resolve to a Patient in this file and carries no identifier"), Assert.Single(rejections));
    }
}
