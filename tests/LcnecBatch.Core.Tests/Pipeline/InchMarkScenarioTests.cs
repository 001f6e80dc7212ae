using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Pipeline;

/// <summary>
/// Issue 13: an inch mark in an unquoted cell once opened a quoted section, merging the next patient's LCNEC
/// report into this patient's. Written as the export writes it (cells unquoted) and screened end to end.
/// </summary>
public sealed class InchMarkScenarioTests : IDisposable
{
    private readonly TempFolder _archive = new();

    public void Dispose() => _archive.Dispose();

    /// <summary>Rows written as given, one line each, under a header: what a LIS export with unquoted cells looks like.</summary>
    private void Csv(string relative, string header, params string[] rows) =>
        _archive.Write(relative, string.Join("\r\n", [header, .. rows]) + "\r\n");

    [Fact]
    public void Screen_LcnecRowBetweenTwoInchMarkRows_AlertsThatPatientOnly_AndEveryPhysicalRowIsAccounted()
    {
        Csv("2026-11-02/patients.csv", "mrn,sex,birth_date,smoking_status,pack_years,care_team",
            "100011,F,1955-04-02,former,30,pulmonology",
            "100012,M,1950-01-17,current,45,thoracic-onc-east",
            "100013,F,1961-09-30,never,,pulmonology");
        Csv("2026-11-02/pathology_reports.csv", "accession,mrn,report_date,specimen_site,final_diagnosis,stage",
            "S26-00011,100011,2026-11-02,Lung,Benign nodule 2\" in size; no malignancy.,",
            "S26-00012,100012,2026-11-02,Lung,Large cell neuroendocrine carcinoma.,IVB",
            "S26-00013,100013,2026-11-02,Lung,Hamartoma 3\" across; no malignancy.,");
        Directory.CreateDirectory(Path.Combine(_archive.Path, "2026-11-25"));

        var run = LocalRun.Screen(_archive.Path, null, new ScreeningOptions());

        var reports = Assert.Single(run.Files, f => f.Source == "2026-11-02/pathology_reports.csv");
        Assert.Equal((3, 3, 0), (reports.RowsRead, reports.RowsAccepted, reports.RowsRejected));
        Assert.Equal(6, run.RowsRead);
        Assert.Equal(run.RowsRead, run.RowsAccepted + run.RowsRejected);
        Assert.Empty(run.Quarantined);
        var raised = run.AlertEvents.Where(e => e.Kind == AlertEventKind.Raised).Select(e => $"{e.Alert.RuleId} {e.Alert.Patient.Mrn} {e.Alert.Subject}");
        Assert.Equal(["ALK_TEST_MISSING 100012 S26-00012"], raised);
        Assert.Equal(1, run.LcnecPatients);
    }

    [Fact]
    public void Screen_RowWithAnExtraField_IsRejectedNotRoutedToTheWrongCareTeam()
    {
        Csv("2026-11-02/patients.csv", "mrn,sex,birth_date,smoking_status,pack_years,care_team",
            "100012,M,1950-01-17,current,4,5,thoracic-onc-east");
        Csv("2026-11-02/pathology_reports.csv", "accession,mrn,report_date,final_diagnosis,stage",
            "S26-00012,100012,2026-11-02,Large cell neuroendocrine carcinoma.,IVB");
        Directory.CreateDirectory(Path.Combine(_archive.Path, "2026-11-25"));

        var run = LocalRun.Screen(_archive.Path, null, new ScreeningOptions());

        Assert.Equal(
            "2026-11-02/patients.csv:2: column \"care_team\": row has 7 field(s) but the header has 6",
            Assert.Single(run.Files.SelectMany(f => f.Rejections)).ToString());
        // The alert still reaches the patient, routed by default: no care team was taken from a shifted row.
        var alert = Assert.Single(run.Alerts);
        Assert.Equal(("100012", null), (alert.Patient.Mrn, alert.CareTeam));
    }
}
