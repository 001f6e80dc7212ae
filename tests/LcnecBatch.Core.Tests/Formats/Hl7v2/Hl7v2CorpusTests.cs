using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Formats.Hl7v2;

namespace LcnecBatch.Core.Tests.Formats.Hl7v2;

/// <summary>
/// The public example messages of <c>../shared/corpus/hl7v2</c>, read in place. None carries an LCNEC or an ALK
/// result: they show that real framing (CR only, BOM, LF exports), real PID-3 shapes and real report layouts parse.
/// </summary>
public class Hl7v2CorpusTests
{
    private static (List<TimelineEvent> Events, List<Rejection> Rejections, Hl7v2FileCounts Counts) Read(string name)
    {
        var events = new List<TimelineEvent>();
        var rejections = new List<Rejection>();
        using var stream = File.OpenRead(LabCorpus.File("hl7v2", name));
        var counts = Hl7v2ExportReader.Read(stream, $"2026-11-27/{name}", LabCorpus.Batch, events.Add, rejections.Add);
        return (events, rejections, counts);
    }

    [LabCorpusFact("hl7v2")]
    public void Naaccr_SurgicalPathologyReport_GivesPatientAndReportWithFinalDiagnosisSectionOnly()
    {
        var (events, rejections, counts) = Read("naaccr_volV_v2_breast_surgpath_ORU_R01_v2.3.1.hl7");

        Assert.Empty(rejections);
        Assert.Equal(new Hl7v2FileCounts(1, 1, 0), counts);
        var patient = Assert.IsType<DemographicsRecorded>(events[0]);
        // PID-3 holds only an SS-typed identifier: with no MR, the first identifier is the mrn.
        Assert.Equal(("123456789", Sex.Female, new DateOnly(1957, 7, 6), 2), (patient.Mrn, patient.Sex!.Value, patient.BirthDate!.Value, patient.Source.Line));
        var report = Assert.IsType<PathologyReported>(events[1]);
        Assert.Equal(("S91-1700", new DateOnly(2004, 7, 20), 4), (report.Accession, report.ReportDate, report.Source.Line));
        Assert.StartsWith("1. Infiltrating duct carcinoma, left breast.", report.FinalDiagnosis, StringComparison.Ordinal);
        Assert.Contains("\n2. Lymph node, no pathologic diagnosis, left axilla.\n3. Ext. of tumor", report.FinalDiagnosis, StringComparison.Ordinal);
        Assert.DoesNotContain("Part #1 is labeled", report.FinalDiagnosis, StringComparison.Ordinal);
        Assert.Equal("left breast biopsy; apical axillary tissue; contents of left radical mastectomy", report.SpecimenSite);
        Assert.Equal(2, events.Count);
    }

    [LabCorpusFact("hl7v2")]
    public void NistElr_CrOnlyLabResult_GivesThePatientOnly()
    {
        var (events, rejections, counts) = Read("nist_elr_ORU_R01_2.5.1_SampleTestCase1.hl7");

        Assert.Empty(rejections);
        Assert.Equal(new Hl7v2FileCounts(1, 1, 0), counts);
        var patient = Assert.IsType<DemographicsRecorded>(Assert.Single(events));
        Assert.Equal(("9817566735", Sex.Male, new DateOnly(2007, 5, 26), 3), (patient.Mrn, patient.Sex!.Value, patient.BirthDate!.Value, patient.Source.Line));
    }

    [LabCorpusFact("hl7v2")]
    public void MicrosoftLabOru_WithBom_GivesThePatientOnly()
    {
        var (events, rejections, counts) = Read("msft_LAB-ORU-1.hl7");

        Assert.Empty(rejections);
        Assert.Equal(new Hl7v2FileCounts(1, 1, 0), counts);
        var patient = Assert.IsType<DemographicsRecorded>(Assert.Single(events));
        Assert.Equal(("10006579", Sex.Male, new DateOnly(1924, 10, 10)), (patient.Mrn, patient.Sex!.Value, patient.BirthDate!.Value));
    }

    [LabCorpusFact("hl7v2")]
    public void MicrosoftMinimalOru_GivesThePatientOnly()
    {
        var (events, rejections, _) = Read("msft_ORU-R01-RMGEAD.hl7");

        Assert.Empty(rejections);
        var patient = Assert.IsType<DemographicsRecorded>(Assert.Single(events));
        Assert.Equal(("555-44-4444", Sex.Female, new DateOnly(1962, 3, 20)), (patient.Mrn, patient.Sex!.Value, patient.BirthDate!.Value));
    }

    [LabCorpusFact("hl7v2")]
    public void LinuxForHealthLinePerObxNarrative_OfACardiologySection_IsNotAPathologyReport()
    {
        var (events, rejections, counts) = Read("lfh_ORU-multiline_TX_narrative.hl7");

        Assert.Empty(rejections);
        Assert.Equal(new Hl7v2FileCounts(1, 1, 0), counts);
        var patient = Assert.IsType<DemographicsRecorded>(Assert.Single(events));
        Assert.Equal(("0d70c6c8", Sex.Male, new DateOnly(1963, 3, 6)), (patient.Mrn, patient.Sex!.Value, patient.BirthDate!.Value));
    }

    [LabCorpusFact("hl7v2")]
    public void MdmWithWrappingDamage_IsRejectedAtTheFirstBrokenLine()
    {
        var (events, rejections, counts) = Read("mdm_T04_tx_narrative_example.hl7");

        Assert.Empty(events);
        Assert.Equal(new Hl7v2FileCounts(1, 0, 1), counts);
        var rejection = Assert.Single(rejections);
        Assert.Equal((2, (string?)null), (rejection.Line, rejection.Column));
    }
}
