using System.Runtime.InteropServices;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Cli;

/// <summary>
/// Issue 13, the archive and the command line: nothing of a batch is ignored in silence, nothing from input reaches
/// the terminal raw, and options beyond sane bounds are usage errors.
/// </summary>
public class HostileArchiveTests
{
    private const string Patients = "mrn,sex,birth_date,smoking_status,care_team\n100234,F,1973-05-02,never,thoracic-onc-tj\n";
    private const string Reports = "accession,mrn,report_date,final_diagnosis,stage\nS26-00001,100234,2026-11-01,\"Lung, RUL, biopsy:\n- Large cell neuroendocrine carcinoma.\",IVB\n";

    private static TempFolder Archive()
    {
        var archive = new TempFolder();
        archive.Write("2026-11-01/patients.csv", Patients);
        archive.Write("2026-11-01/pathology_reports.csv", Reports);
        archive.Write("2026-11-20/ihc_results.csv", "accession,mrn,result_date,marker,clone,result\nS26-00001,100234,2026-11-20,CD56,,positive\n");
        return archive;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [InlineData("2026-11-01/pathology_report.csv", "not a file name of the export format: the CSV files of a batch are patients.csv, pathology_reports.csv, ihc_results.csv and molecular_results.csv, at the top of the batch")]
    [InlineData("2026-11-01/extra/patients.csv", "not a file name of the export format: the CSV files of a batch are patients.csv, pathology_reports.csv, ihc_results.csv and molecular_results.csv, at the top of the batch")]
    [InlineData("2026-11-01/ngs/S26 00001.vcf", "not a raw NGS file name: expected ngs/{accession}.vcf, .vcf.gz, .vcf.bgz, .arriba.tsv or .star-fusion.tsv (accession: letters, digits, '-' and '_')")]
    [InlineData("2026-11-01/ngs/S26-00001.fusions.txt", "not a raw NGS file name: expected ngs/{accession}.vcf, .vcf.gz, .vcf.bgz, .arriba.tsv or .star-fusion.tsv (accession: letters, digits, '-' and '_')")]
    [InlineData("2026-11-01/notes.txt", "a .txt file that does not start with an HL7 v2 MSH, FHS or BHS segment")]
    [InlineData("2026-11-01/README.md", "not a file of the export format (CSV files, manifest.json, HL7 v2 *.hl7, FHIR *.json/*.ndjson, raw NGS files under ngs/)")]
    public void Screen_FileNoReaderTakes_IsListedAsNotAnInput_AndExitsOne(string path, string reason)
    {
        using var archive = Archive();
        archive.Write(path, "accession,mrn\nS26-1,1\n");
        var report = Path.Combine(archive.Path, "out");

        var (code, output, error) = Lcnec.Run("screen", archive.Path, "--alerts", "-", "--report", report);

        Assert.Equal(1, code);
        Assert.Contains($"not an input: {path}: {reason}", Lines(error));
        Assert.Contains("files: 3 read, 0 quarantined, 1 not an input, 0 missing from manifest", error, StringComparison.Ordinal);
        Assert.Contains("not an input: ", File.ReadAllText(Path.Combine(report, "rejections.csv")), StringComparison.Ordinal);
        Assert.Contains("\"notAnInput\"", File.ReadAllText(Path.Combine(report, "summary.json")), StringComparison.Ordinal);
        Assert.Contains("ALK_TEST_MISSING", output, StringComparison.Ordinal); // the rest of the batch is still screened
    }

    [Theory]
    [InlineData("2026-13-01")]
    [InlineData("2026-1-5")]
    [InlineData("20261101")]
    [InlineData("2026-11-01-rerun")]
    [InlineData("2026-02-30")]
    public void Screen_FolderNamedLikeABatchButNotADate_IsReported_AndExitsOne(string folder)
    {
        using var archive = Archive();
        archive.Write($"{folder}/pathology_reports.csv", Reports);
        archive.Write("docs/readme.txt", "not a batch, and not named like one");

        var (code, _, error) = Lcnec.Run("screen", archive.Path, "--alerts", "-");

        Assert.Equal(1, code);
        Assert.Contains($"not a batch: {folder}: folder named like a batch but not a valid date (yyyy-MM-dd); not read", Lines(error));
        Assert.DoesNotContain("docs", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_FolderNamedLikeABatchAndAFileNoReaderTakes_AreReported_AndExitOne()
    {
        using var archive = Archive();
        archive.Write("2026-11-31/pathology_reports.csv", Reports);
        archive.Write("2026-11-01/pathology_report.csv", Reports);
        var output = Path.Combine(archive.Path, "audit-out");

        var (code, stdout, error) = Lcnec.Run("audit", archive.Path, "--out", output);

        Assert.Equal(1, code);
        Assert.Contains("not a batch: 2026-11-31: folder named like a batch but not a valid date (yyyy-MM-dd); not read", Lines(error));
        Assert.Contains(Lines(error), l => l.StartsWith("not an input: 2026-11-01/pathology_report.csv: ", StringComparison.Ordinal));
        Assert.Contains("1 not an input", stdout, StringComparison.Ordinal);
        Assert.Contains("\"filesNotAnInput\": 1", File.ReadAllText(Path.Combine(output, "audit.json")), StringComparison.Ordinal);
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    [LinuxFact]
    public void Screen_FifoNamedLikeAnInput_IsNotOpened_AndIsReported()
    {
        using var archive = Archive();
        var fifo = Path.Combine(archive.Path, "2026-11-20", "molecular_results.csv");
        Assert.Equal(0, MakeFifo(fifo, Convert.ToUInt32("600", 8)));

        var run = Task.Run(() => Lcnec.Run("screen", archive.Path, "--alerts", "-"));
        // Bounded wait, not a timing assertion: a run that opened the FIFO would wait for a writer for ever.
        Assert.True(run.Wait(TimeSpan.FromMinutes(2)), "the run opened the FIFO and waits for a writer");

        var (code, _, error) = run.Result;
        Assert.Equal(1, code);
        Assert.Contains("not an input: 2026-11-20/molecular_results.csv: not a regular file (a FIFO, socket or device); not opened", Lines(error));
    }

    [LinuxFact]
    public void Screen_FileNameWithLineBreakAndTerminalEscape_IsPrintedEscapedOnOneLine()
    {
        using var archive = Archive();
        archive.Write("2026-11-01/evil\nrejected: forged\u001b[2J.csv", "x\n");

        var (code, _, error) = Lcnec.Run("screen", archive.Path, "--alerts", "-");

        Assert.Equal(1, code);
        Assert.DoesNotContain('\u001b', error);
        Assert.DoesNotContain(Lines(error), l => l.StartsWith("rejected: forged", StringComparison.Ordinal));
        Assert.Contains(Lines(error), l => l.StartsWith("not an input: 2026-11-01/evil\\nrejected: forged\\u001B[2J.csv: ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("a\nb", "a\\nb")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("\u001b[31mred", "\\u001B[31mred")]
    [InlineData("bidi\u202Eevil", "bidi\\u202Eevil")]
    [InlineData("c1\u009bx", "c1\\u009Bx")]
    [InlineData("plain text", "plain text")]
    public void Escape_ControlCharacters_AreShownAsEscapes(string value, string expected)
    {
        Assert.Equal(expected, PrintableText.Escape(value));
    }

    [Fact]
    public void Escape_LongValue_IsCutAndSaysHowMuch()
    {
        Assert.Equal("abcde... (5 more characters)", PrintableText.Escape("abcdefghij", 5));
    }

    [Theory]
    [InlineData("--as-of", "9999-12-31", "lcnec: usage: --as-of 9999-12-31 is more than 366 days after the last batch (2026-11-20): the replay walks every day up to it")]
    [InlineData("--as-of", "1899-12-31", "lcnec: usage: --as-of 1899-12-31 is before 1900-01-01")]
    public void Screen_AsOfBeyondSaneBounds_IsAUsageError(string option, string value, string expected)
    {
        using var archive = Archive();

        var (code, _, error) = Lcnec.Run("screen", archive.Path, option, value, "--alerts", "-");

        Assert.Equal(2, code);
        Assert.Equal([expected], Lines(error));
    }

    [Theory]
    [InlineData("--to", "9999-12-31", "lcnec: usage: --to 9999-12-31 is more than 366 days after the last batch (2026-11-20): the replay walks every day up to it")]
    [InlineData("--from", "0001-01-01", "lcnec: usage: --from 0001-01-01 is before 1900-01-01")]
    public void Audit_WindowBeyondSaneBounds_IsAUsageError(string option, string value, string expected)
    {
        using var archive = Archive();

        var (code, _, error) = Lcnec.Run("audit", archive.Path, option, value, "--out", Path.Combine(archive.Path, "a"));

        Assert.Equal(2, code);
        Assert.Equal([expected], Lines(error));
    }

    [Theory]
    [InlineData("TestingGraceDays", "2147483647", "Screening:TestingGraceDays must be between 0 and 3653 days, not 2147483647")]
    [InlineData("LookbackDays", "3654", "Screening:LookbackDays must be between 0 and 3653 days, not 3654")]
    [InlineData("ReminderDays", "2147483647", "Screening:ReminderDays must be between 1 and 3653 days, not 2147483647")]
    [InlineData("ReportGraceDays", "99999999999", "Screening:ReportGraceDays")]
    public void Screen_WindowBeyondSaneBounds_IsAUsageError(string option, string value, string expected)
    {
        using var archive = Archive();
        var config = archive.Write("settings.json", $$"""{ "Screening": { "{{option}}": {{value}} } }""");

        var (code, _, error) = Lcnec.Run("screen", archive.Path, "--config", config, "--alerts", "-");

        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Screen_ReportDatedBeforeThePatientsBirth_IsSetAside_AndNotScreened()
    {
        using var archive = new TempFolder();
        archive.Write("2026-11-01/patients.csv", "mrn,sex,birth_date,smoking_status\n100235,M,1960-01-01,former\n");
        archive.Write("2026-11-01/pathology_reports.csv", Reports + "S26-00002,100235,2026-11-01,\"Lung, LUL, biopsy:\n- Large cell neuroendocrine carcinoma.\",IVB\n");
        // The birth date arrives later and contradicts the report: the report is set aside from that night on.
        archive.Write("2026-11-20/patients.csv", "mrn,sex,birth_date,smoking_status\n100234,F,2026-11-10,never\n");

        var (code, output, error) = Lcnec.Run("screen", archive.Path, "--alerts", "-");

        Assert.Equal(1, code);
        Assert.Equal(["rejected: 2026-11-01/pathology_reports.csv:2: column \"report_date\": dated before the patient's birth date; set aside, not screened"],
            Lines(error).Where(l => l.StartsWith("rejected: ", StringComparison.Ordinal)));
        var alert = Assert.Single(Lines(output));
        Assert.Contains("\"mrn\":\"100235\"", alert, StringComparison.Ordinal); // the other patient is screened as ever
    }

    [Theory]
    [InlineData("pathology_reports.csv", "accession,mrn,report_date,final_diagnosis\nS26-1,100234,2026-11-02,LCNEC.\n", "report_date", "date is after the batch that delivered it (a result cannot be signed out after its export)")]
    [InlineData("pathology_reports.csv", "accession,mrn,report_date,final_diagnosis\nS26-1,100234,1899-12-31,LCNEC.\n", "report_date", "date is before 1900-01-01")]
    [InlineData("ihc_results.csv", "accession,mrn,result_date,marker,result\nS26-1,100234,2027-01-01,ALK,negative\n", "result_date", "date is after the batch that delivered it (a result cannot be signed out after its export)")]
    [InlineData("molecular_results.csv", "accession,mrn,result_date,method,gene,result\nS26-1,100234,1066-10-14,NGS,ALK,not_detected\n", "result_date", "date is before 1900-01-01")]
    [InlineData("patients.csv", "mrn,birth_date\n100234,2026-11-02\n", "birth_date", "birth date is after the batch that delivered it")]
    [InlineData("patients.csv", "mrn,birth_date\n100234,1850-01-01\n", "birth_date", "birth date is before 1900-01-01")]
    public void Ingest_ImpossibleDate_RejectsTheRowWithTheReason(string file, string csv, string column, string reason)
    {
        using var archive = new TempFolder();
        archive.Write($"2026-11-01/{file}", csv);

        var run = Core.Pipeline.LocalRun.Screen(archive.Path, null, new Core.Screening.ScreeningOptions());

        var rejection = Assert.Single(run.Files.SelectMany(f => f.Rejections));
        Assert.Equal(new Rejection($"2026-11-01/{file}", 2, column, reason), rejection);
        Assert.Equal((1, 0, 1), (run.RowsRead, run.RowsAccepted, run.RowsRejected));
    }

    [Fact]
    public void AgeOn_DateBeforeBirth_IsUnknownNotNegative()
    {
        var demographics = Core.Timeline.Demographics.Unknown with { BirthDate = new DateOnly(2030, 5, 2) };

        Assert.Null(demographics.AgeOn(new DateOnly(2026, 11, 1)));
        Assert.Equal(0, demographics.AgeOn(new DateOnly(2030, 5, 2)));
    }
}
