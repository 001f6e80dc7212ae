using System.Text;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Alerts;

/// <summary>Issue 14: the diagnosis evidence of an alert names the section and part of the deciding mention, so a reviewer sees why.</summary>
public class DiagnosisEvidenceSectionTests
{
    [Fact]
    public void Screen_WholeReport_EvidenceNamesTheSectionAndPartThatDecided()
    {
        const string report = """
            CLINICAL HISTORY:
            Right upper lobe mass; r/o LCNEC vs carcinoid.

            FINAL DIAGNOSIS:
            A. Lymph node, station 7, EBUS-FNA: Negative for malignancy.
            B. Lung, right upper lobe, core biopsy: Large cell neuroendocrine carcinoma.

            COMMENT:
            The differential diagnosis included atypical carcinoid; the mitotic rate excludes it.
            """;
        using var archive = new TempFolder();
        archive.Write("2026-11-01/patients.csv", "mrn,sex,birth_date,smoking_status\n700001,F,1961-02-03,never\n");
        archive.Write("2026-11-01/pathology_reports.csv", $"accession,mrn,report_date,final_diagnosis,stage\nS26-70001,700001,2026-11-01,\"{report}\",IVB\n");
        archive.Write("2026-11-30/ihc_results.csv", "accession,mrn,result_date,marker,result\nS26-70001,700001,2026-11-30,CD56,positive\n");

        var run = LocalRun.Screen(archive.Path, null, new ScreeningOptions());

        var alert = Assert.Single(run.Alerts);
        using var buffer = new MemoryStream();
        AlertJson.WriteLines(buffer, [alert]);
        var json = Encoding.UTF8.GetString(buffer.ToArray());
        Assert.Contains("\"assertion\":\"affirmed\"", json, StringComparison.Ordinal);
        Assert.Contains("\"section\":\"FINAL DIAGNOSIS, part B\"", json, StringComparison.Ordinal);
    }
}
