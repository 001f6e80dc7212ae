using System.Globalization;
using System.Text;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Pipeline;

/// <summary>
/// Issue 14, report versions: rows of one accession are versions of one report. An addendum adds; an amendment
/// supersedes from the night it arrives (withdrawing LCNEC resolves the alerts it raised); an addendum that
/// establishes LCNEC dates the diagnosis; an amendment of a detail changes nothing. And the stage is the LCNEC's.
/// </summary>
public sealed class ReportVersionTests : IDisposable
{
    private static readonly DateOnly Day0 = new(2026, 3, 2);
    private const string Lcnec = "FINAL DIAGNOSIS:\nA. Lung, right upper lobe, core biopsy: Large cell neuroendocrine carcinoma.";

    private readonly TempFolder _archive = new();
    private readonly SortedDictionary<string, StringBuilder> _files = new(StringComparer.Ordinal);

    public void Dispose() => _archive.Dispose();

    private static DateOnly Day(int n) => Day0.AddDays(n);

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Quote(string cell) => $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private ReportVersionTests Row(DateOnly batch, string file, string header, params string[] cells)
    {
        var path = $"{Iso(batch)}/{file}";
        if (!_files.TryGetValue(path, out var text))
        {
            _files[path] = text = new StringBuilder(header).Append('\n');
        }
        text.Append(string.Join(',', cells.Select(Quote))).Append('\n');
        return this;
    }

    private ReportVersionTests Patient(string mrn) =>
        Row(Day(0), "patients.csv", "mrn,sex,birth_date,smoking_status,care_team", mrn, "M", "1950-01-01", "current", "thoracic-onc");

    private ReportVersionTests Report(DateOnly day, string mrn, string accession, string text, string stage = "", bool addendum = false, string status = "", string site = "") =>
        Row(day, "pathology_reports.csv", "accession,mrn,report_date,final_diagnosis,stage,addendum,report_status,specimen_site",
            accession, mrn, Iso(day), text, stage, addendum ? "true" : "", status, site);

    private ReportVersionTests Night(DateOnly day)
    {
        Directory.CreateDirectory(Path.Combine(_archive.Path, Iso(day)));
        return this;
    }

    private List<string> Replay(DateOnly asOf)
    {
        foreach (var (path, text) in _files)
        {
            _archive.Write(path, text.ToString());
        }
        var run = LocalRun.Screen(_archive.Path, asOf, new ScreeningOptions());
        Assert.Equal(0, run.RowsRejected);
        return [.. run.AlertEvents.Select(e => $"{e.On.ToString("MM-dd", CultureInfo.InvariantCulture)} {e.Kind} {e.Alert.RuleId} {e.Alert.Patient.Mrn} {e.Alert.Subject}")];
    }

    [Theory]
    [InlineData("AMENDED REPORT. The diagnosis is revised: Lung, right upper lobe, core biopsy: atypical carcinoid tumour. The previous diagnosis of large cell neuroendocrine carcinoma is withdrawn.")]
    [InlineData("Addendum: on review with additional levels the diagnosis is changed to small cell carcinoma.")]
    [InlineData("CORRECTED REPORT. Lung, right upper lobe, core biopsy: Adenocarcinoma, acinar predominant. Large cell neuroendocrine carcinoma is not supported.")]
    public void Replay_AddendumThatWithdrawsLcnec_ResolvesTheAlertFromItsNight(string amendment)
    {
        Patient("100001").Report(Day(0), "100001", "S-1", Lcnec, "IVB")
            .Report(Day(20), "100001", "S-1", amendment, addendum: true).Night(Day(30));

        Assert.Equal(["03-17 Raised ALK_TEST_MISSING 100001 S-1", "03-22 Resolved ALK_TEST_MISSING 100001 S-1"], Replay(Day(30)));
    }

    [Theory]
    [InlineData("amended", "Lung, right upper lobe, core biopsy: Atypical carcinoid tumour (see comment).")]
    [InlineData("corrected", "Lung, right upper lobe, core biopsy: Benign lung parenchyma; no tumour identified.")]
    public void Replay_AmendedStatusWithoutLcnec_WithdrawsIt(string status, string text)
    {
        Patient("100001").Report(Day(0), "100001", "S-1", Lcnec, "IVB")
            .Report(Day(20), "100001", "S-1", text, status: status).Night(Day(30));

        Assert.Equal(["03-17 Raised ALK_TEST_MISSING 100001 S-1", "03-22 Resolved ALK_TEST_MISSING 100001 S-1"], Replay(Day(30)));
    }

    [Fact]
    public void Replay_AddendumThatEstablishesLcnec_DatesTheDiagnosisByTheAddendum()
    {
        Patient("100002").Report(Day(0), "100002", "S-2", "Lung, left lower lobe, biopsy: High-grade carcinoma; immunohistochemistry to follow.", "IVA")
            .Report(Day(6), "100002", "S-2", "ADDENDUM: Tumour cells are positive for synaptophysin, chromogranin and INSM1. The findings support large cell neuroendocrine carcinoma.", addendum: true)
            .Night(Day(30));

        // Due 14 days after the addendum's sign-out (day 6), not the original's (day 0).
        Assert.Equal(["03-23 Raised ALK_TEST_MISSING 100002 S-2"], Replay(Day(30)));
    }

    [Theory]
    [InlineData("Amended report: pathologic stage corrected to pT2a pN2; margins uninvolved.", "")]
    [InlineData("ADDENDUM: ALK (D5F3) immunohistochemistry is pending and will be reported separately.", "")]
    [InlineData("Amended report: typing error in the clinical history corrected. Diagnosis unchanged: large cell neuroendocrine carcinoma.", "amended")]
    public void Replay_VersionThatLeavesLcnecStanding_ChangesNothing(string text, string status)
    {
        Patient("100003").Report(Day(0), "100003", "S-3", Lcnec, "IVB")
            .Report(Day(20), "100003", "S-3", text, addendum: status.Length == 0, status: status).Night(Day(30));

        Assert.Equal(["03-17 Raised ALK_TEST_MISSING 100003 S-3"], Replay(Day(30)));
    }

    [Fact]
    public void Replay_WithdrawnThenReaffirmed_ReopensFromTheSecondAmendment()
    {
        Patient("100004").Report(Day(0), "100004", "S-4", Lcnec, "IVB")
            .Report(Day(20), "100004", "S-4", "Amended: the diagnosis is revised to atypical carcinoid.", addendum: true)
            .Report(Day(40), "100004", "S-4", "Second amended report after external consultation: large cell neuroendocrine carcinoma (diagnosis reinstated).", status: "amended")
            .Night(Day(70));

        var events = Replay(Day(70));

        Assert.Equal("03-17 Raised ALK_TEST_MISSING 100004 S-4", events[0]);
        Assert.Equal("03-22 Resolved ALK_TEST_MISSING 100004 S-4", events[1]);
        Assert.StartsWith("04-26 Reopened ALK_TEST_MISSING 100004 S-4", events[2], StringComparison.Ordinal); // due 14 days after the reinstating version
    }

    /// <summary>One report version as the carriers deliver it: CSV row, HL7 v2 ORU (OBR-25 C), FHIR DiagnosticReport (amended).</summary>
    private static PathologyReported Version(DateOnly day, string mrn, string accession, string text, string stage = "", bool addendum = false, bool amends = false) => new()
    {
        KnownOn = day,
        Source = new SourceRef("x", 0),
        Mrn = mrn,
        Accession = accession,
        ReportDate = day,
        FinalDiagnosis = text,
        Stage = stage.Length == 0 ? null : stage,
        Addendum = addendum || amends,
        Amends = amends,
    };

    private List<string> ReplayThrough(string carrier, DateOnly asOf, params PathologyReported[] versions)
    {
        var patient = new DemographicsRecorded { KnownOn = Day(0), Source = new SourceRef("x", 0), Mrn = versions[0].Mrn, Sex = Sex.Male, BirthDate = new DateOnly(1950, 1, 1), Smoking = SmokingStatus.Current };
        foreach (var night in versions.GroupBy(v => v.KnownOn))
        {
            var facts = night.Key == Day(0) ? [patient, .. night] : night.Cast<TimelineEvent>().ToList();
            switch (carrier)
            {
                case "hl7":
                    _archive.Write($"{Iso(night.Key)}/results.hl7", Core.Formats.Hl7v2.Hl7v2Writer.Write(facts));
                    break;
                case "fhir":
                    _archive.Write($"{Iso(night.Key)}/bundle.json", Core.Formats.Fhir.FhirWriter.Write(facts));
                    break;
                default:
                    if (night.Key == Day(0))
                    {
                        Patient(patient.Mrn);
                    }
                    foreach (var v in night)
                    {
                        Report(v.KnownOn, v.Mrn, v.Accession, v.FinalDiagnosis, v.Stage ?? "", v.Addendum && !v.Amends, v.Amends ? "corrected" : "");
                    }
                    break;
            }
        }
        Night(asOf);
        return Replay(asOf);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("hl7")]
    [InlineData("fhir")]
    public void Carriers_AmendmentThatWithdrawsLcnec_ResolvesTheAlert(string carrier)
    {
        var events = ReplayThrough(carrier, Day(30),
            Version(Day(0), "200001", "S-21", Lcnec, "IVB"),
            Version(Day(20), "200001", "S-21", "Lung, right upper lobe, core biopsy: Atypical carcinoid tumour, 3 mitoses per 2 mm2.", amends: true));

        Assert.Equal(["03-17 Raised ALK_TEST_MISSING 200001 S-21", "03-22 Resolved ALK_TEST_MISSING 200001 S-21"], events);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("hl7")]
    [InlineData("fhir")]
    public void Carriers_AddendumThatEstablishesLcnec_DatesTheDiagnosisByIt(string carrier)
    {
        var events = ReplayThrough(carrier, Day(30),
            Version(Day(0), "200002", "S-22", "Lung, left lower lobe, biopsy: High-grade carcinoma; immunostains to follow.", "IVA"),
            Version(Day(6), "200002", "S-22", "Addendum: synaptophysin, chromogranin and INSM1 are positive; large cell neuroendocrine carcinoma.", addendum: true));

        Assert.Equal(["03-23 Raised ALK_TEST_MISSING 200002 S-22"], events);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("hl7")]
    [InlineData("fhir")]
    public void Carriers_AmendmentOfADetail_LeavesTheDiagnosis(string carrier)
    {
        var events = ReplayThrough(carrier, Day(30),
            Version(Day(0), "200003", "S-23", Lcnec, "IVB"),
            Version(Day(20), "200003", "S-23", "Corrected report: specimen laterality corrected to right; pathologic stage unchanged.", "IVB", amends: true));

        Assert.Equal(["03-17 Raised ALK_TEST_MISSING 200003 S-23"], events);
    }

    [Fact]
    public void Stage_AnotherCancersStageIv_LeavesAnEarlyLcnecNotAdvanced()
    {
        Patient("100005").Report(Day(0), "100005", "S-5", Lcnec, "pT1b pN0", site: "Lung, right upper lobe")
            .Report(Day(2), "100005", "P-9", "Prostate, needle biopsies: Prostatic adenocarcinoma, Gleason score 4+5=9, with bone metastases.", "IVB", site: "Prostate, needle core biopsies")
            .Report(Day(3), "100005", "S-6", "Lung, wedge: Adenocarcinoma, lepidic predominant.", "IV", site: "Lung, left upper lobe, wedge")
            .Night(Day(30));

        Assert.Empty(Replay(Day(30)));
    }

    [Fact]
    public void Stage_LungResectionWithoutLcnecWords_StagesTheLcnec()
    {
        Patient("100006").Report(Day(0), "100006", "S-7", Lcnec, "", site: "Lung, right upper lobe, core biopsy")
            .Report(Day(3), "100006", "S-8", "Lymph node, station 4R, EBUS-FNA: positive for carcinoma.", "cT2 N2 M1b", site: "Mediastinal lymph node, station 4R")
            .Night(Day(30));

        Assert.Equal(["03-17 Raised ALK_TEST_MISSING 100006 S-7"], Replay(Day(30)));
    }
}
