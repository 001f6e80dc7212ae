using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats.Fhir;
using LcnecBatch.Core.Formats.Hl7v2;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Tests.Formats.Hl7v2;

namespace LcnecBatch.Core.Tests.Formats;

/// <summary>
/// Issue 13, item 5, through the HL7 v2 and FHIR carriers: a report dated after its batch or before 1900, and a birth
/// date after the batch, reject the message or the resource with the field and the reason; the others go on.
/// </summary>
public class CarrierDateSanityTests
{
    private static readonly DateOnly Batch = LabCorpus.Batch;

    private static DemographicsRecorded Patient(string mrn, DateOnly birth) => new()
    {
        KnownOn = Batch,
        Source = new SourceRef("x", 0),
        Mrn = mrn,
        Sex = Sex.Female,
        BirthDate = birth,
        Smoking = SmokingStatus.Never,
    };

    private static PathologyReported Report(string mrn, string accession, DateOnly date) => new()
    {
        KnownOn = Batch,
        Source = new SourceRef("x", 0),
        Mrn = mrn,
        Accession = accession,
        ReportDate = date,
        FinalDiagnosis = "Lung, core biopsy: Large cell neuroendocrine carcinoma.",
        Stage = "IVB",
    };

    private static FileIngestion Ingest(string name, string content, List<TimelineEvent> events) =>
        BatchIngestor.Ingest(Batch, $"{Batch:yyyy-MM-dd}/{name}", LabCorpus.Text(content), events.Add);

    public static TheoryData<string, DateOnly, DateOnly, string, string> ImpossibleDates() => new()
    {
        { "hl7", new DateOnly(1960, 1, 1), Batch.AddDays(1), "OBR-22", "date is after the batch that delivered it (a result cannot be signed out after its export)" },
        { "hl7", new DateOnly(1960, 1, 1), new DateOnly(1899, 12, 31), "OBR-22", "date is before 1900-01-01" },
        { "hl7", Batch.AddDays(3), new DateOnly(2026, 11, 1), "PID-7", "birth date is after the batch that delivered it" },
        { "fhir", new DateOnly(1960, 1, 1), Batch.AddDays(1), "issued", "date is after the batch that delivered it (a result cannot be signed out after its export)" },
        { "fhir", Batch.AddDays(3), new DateOnly(2026, 11, 1), "birthDate", "birth date is after the batch that delivered it" },
    };

    [Theory]
    [MemberData(nameof(ImpossibleDates))]
    public void Ingest_ImpossibleDate_RejectsThatMessageOrResource_AndTheOtherPatientGoesOn(string carrier, DateOnly birth, DateOnly reportDate, string field, string reason)
    {
        TimelineEvent[] facts = [Patient("710001", birth), Report("710001", "S26-1", reportDate), Patient("710002", new DateOnly(1955, 5, 5)), Report("710002", "S26-2", Batch)];
        var events = new List<TimelineEvent>();

        var ingestion = carrier == "hl7" ? Ingest("results.hl7", Hl7v2Writer.Write(facts), events) : Ingest("bundle.json", FhirWriter.Write(facts), events);

        Assert.Null(ingestion.Failure);
        var rejection = Assert.Single(ingestion.Rejections);
        Assert.EndsWith(field, rejection.Column, StringComparison.Ordinal);
        Assert.Equal(reason, rejection.Reason);
        Assert.Equal(ingestion.RowsRead, ingestion.RowsAccepted + ingestion.RowsRejected);
        Assert.Contains(events, e => e is PathologyReported { Mrn: "710002" });
        Assert.DoesNotContain(events, e => e is PathologyReported { Accession: "S26-1" } && carrier == "hl7" && field == "OBR-22");
    }
}
