using System.Text;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Formats.Csv;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Formats;

/// <summary>
/// RFC 4180 as spreadsheets write it: a quote opens a quoted field only as its first character, every physical
/// row is accepted or rejected, and a quote that swallows rows never passes silently. Every case runs through
/// every byte source.
/// </summary>
public class CsvQuotingTests
{
    private static readonly DateOnly Batch = new(2026, 11, 27);
    private const string Path = "2026-11-27/file.csv";

    private static (List<TimelineEvent> Events, List<string> Rejections, CsvFileCounts Counts) Read(ExportFileKind kind, string text, string source)
    {
        var events = new List<TimelineEvent>();
        var rejections = new List<Rejection>();
        using var stream = CsvSources.Open(source, text);
        var counts = CsvExportReader.Read(kind, stream, Path, Batch, events.Add, rejections.Add);
        return (events, [.. rejections.Select(r => r.ToString())], counts);
    }

    private static FileFormatException ReadBadFile(ExportFileKind kind, string text, string source)
    {
        using var stream = CsvSources.Open(source, text);
        return Assert.Throws<FileFormatException>(() => CsvExportReader.Read(kind, stream, Path, Batch, _ => { }, _ => { }));
    }

    /// <summary>Lines of a CSV text, joined with LF: one string per physical line.</summary>
    private static string Lines(params string[] lines) => string.Join('\n', lines) + "\n";

    private const string ReportHeader = "accession,mrn,report_date,final_diagnosis,stage";

    public static TheoryData<string> Sources() => CsvSources.Names();

    [Theory]
    [MemberData(nameof(Sources))]
    public void Read_InchMarkInsideUnquotedCell_IsACharacterNotAQuote_AndEveryPhysicalRowIsRead(string source)
    {
        var text = Lines(
            ReportHeader,
            "S26-00011,100011,2026-11-02,Benign nodule 2\" in size,",
            "S26-00012,100012,2026-11-02,Large cell neuroendocrine carcinoma,IVB",
            "S26-00013,100013,2026-11-02,Hamartoma 3\" across,");

        var (events, rejections, counts) = Read(ExportFileKind.PathologyReports, text, source);

        Assert.Empty(rejections);
        Assert.Equal(new CsvFileCounts(3, 3, 0), counts);
        var reports = events.Cast<PathologyReported>().ToList();
        Assert.Equal(["100011", "100012", "100013"], reports.Select(r => r.Mrn));
        Assert.Equal([2, 3, 4], reports.Select(r => r.Source.Line));
        Assert.Equal("Benign nodule 2\" in size", reports[0].FinalDiagnosis);
        Assert.Equal("Large cell neuroendocrine carcinoma", reports[1].FinalDiagnosis);
        Assert.Equal("Hamartoma 3\" across", reports[2].FinalDiagnosis);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Read_QuoteAfterLeadingSpace_IsACharacter_SoAQuotedCommaSplitsTheField(string source)
    {
        var text = Lines("mrn,sex,care_team", "100001,F, \"onc\"", "100002,M, \"onc,east\"");

        var (events, rejections, counts) = Read(ExportFileKind.Patients, text, source);

        Assert.Equal("\"onc\"", Assert.IsType<DemographicsRecorded>(Assert.Single(events)).CareTeam);
        Assert.Equal(["2026-11-27/file.csv:3: column \"care_team\": row has 4 field(s) but the header has 3"], rejections);
        Assert.Equal(new CsvFileCounts(2, 1, 1), counts);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Read_RowWithMoreFieldsThanTheHeader_IsRejectedOnTheLastColumn_NotShifted(string source)
    {
        // "4,5" in pack_years would otherwise route this patient's alerts to care team "5".
        var text = Lines(
            "mrn,sex,birth_date,smoking_status,pack_years,care_team",
            "100001,M,1950-01-01,former,4,5,thoracic-onc",
            "100002,F,1960-01-01,never,,pulmonology");

        var (events, rejections, counts) = Read(ExportFileKind.Patients, text, source);

        Assert.Equal(["2026-11-27/file.csv:2: column \"care_team\": row has 7 field(s) but the header has 6"], rejections);
        Assert.Equal("100002", Assert.IsType<DemographicsRecorded>(Assert.Single(events)).Mrn);
        Assert.Equal(new CsvFileCounts(2, 1, 1), counts);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Read_TrailingEmptyExtraField_IsStillRejected(string source)
    {
        var (_, rejections, counts) = Read(ExportFileKind.Patients, Lines("mrn,sex", "100001,F,"), source);

        Assert.Equal(["2026-11-27/file.csv:2: column \"sex\": row has 3 field(s) but the header has 2"], rejections);
        Assert.Equal(new CsvFileCounts(1, 0, 1), counts);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Read_TextAfterAClosingQuote_RejectsTheRowNamingTheColumn(string source)
    {
        var text = Lines(ReportHeader, "S1,1,2026-11-01,\"Benign \"nodule\" here\",", "S2,2,2026-11-01,Adenocarcinoma,");

        var (events, rejections, counts) = Read(ExportFileKind.PathologyReports, text, source);

        Assert.Equal(["2026-11-27/file.csv:2: column \"final_diagnosis\": text follows the closing quote of a quoted value (a quote inside one must be doubled)"], rejections);
        Assert.Equal(3, Assert.Single(events).Source.Line);
        Assert.Equal(new CsvFileCounts(2, 1, 1), counts);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Read_TextAfterAClosingQuoteInAnUnknownColumn_StillRejectsTheRow(string source)
    {
        var (_, rejections, _) = Read(ExportFileKind.Patients, Lines("mrn,Note,sex", "100001,\"a\"b,F"), source);

        Assert.Equal(["2026-11-27/file.csv:2: column \"note\": text follows the closing quote of a quoted value (a quote inside one must be doubled)"], rejections);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Read_QuotedFieldWithDoubledQuotesCommasAndLineBreaks_IsOneValue(string source)
    {
        var text = Lines(ReportHeader, "S1,1,2026-11-01,\"Nodule 2\"\" across, \"\"firm\"\"", "no LCNEC.\",", "S2,2,2026-11-01,\"\",");

        var (events, rejections, counts) = Read(ExportFileKind.PathologyReports, text, source);

        Assert.Equal(["2026-11-27/file.csv:4: column \"final_diagnosis\": required value is missing"], rejections);
        var report = Assert.IsType<PathologyReported>(Assert.Single(events));
        Assert.Equal("Nodule 2\" across, \"firm\"\nno LCNEC.", report.FinalDiagnosis.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal(new CsvFileCounts(2, 1, 1), counts);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Read_StrayQuoteThatSwallowsLinesAndLeavesTextAfterItsClose_QuarantinesTheFile(string source)
    {
        var text = Lines(
            ReportHeader,
            "S1,1,2026-11-01,\"Benign nodule,",
            "S2,2,2026-11-01,\"Large cell neuroendocrine carcinoma\",IVB",
            "S3,3,2026-11-01,Adenocarcinoma,");

        var e = ReadBadFile(ExportFileKind.PathologyReports, text, source);

        Assert.Equal("line 2: quoted field spans lines and text follows its closing quote: it may have swallowed other rows", e.Message);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Read_StrayQuoteThatSwallowsLinesIntoARowThatDoesNotFitTheHeader_QuarantinesTheFile(string source)
    {
        var text = Lines(
            ReportHeader,
            "S1,1,2026-11-01,Benign,\"IV",
            "S2,2,2026-11-01,Nodule 2\",IVB",
            "S3,3,2026-11-01,Adenocarcinoma,");

        var e = ReadBadFile(ExportFileKind.PathologyReports, text, source);

        Assert.Equal("line 2: quoted field spans lines and its row has 6 field(s) but the header has 5: it may have swallowed other rows", e.Message);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Read_QuoteNeverClosedAfterAGoodMultiLineRow_QuarantinesNamingTheLineItOpensOn(string source)
    {
        var text = Lines(ReportHeader, "S1,1,2026-11-01,\"two", "lines\",", "S2,2,2026-11-01,\"open", "S3,3,2026-11-01,x,");

        var e = ReadBadFile(ExportFileKind.PathologyReports, text, source);

        Assert.Equal("line 4: quoted field is never closed", e.Message);
    }

    [Fact]
    public void Read_LoneCarriageReturns_EndRowsAndCountLines()
    {
        var bytes = Encoding.UTF8.GetBytes("mrn,sex\r100001,F\r\r100002,M\r\n100003,U\n");
        var events = new List<TimelineEvent>();

        var counts = CsvExportReader.Read(ExportFileKind.Patients, new MemoryStream(bytes), Path, Batch, events.Add, _ => { });

        Assert.Equal(new CsvFileCounts(3, 3, 0), counts);
        Assert.Equal([2, 4, 5], events.Select(e => e.Source.Line));
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Read_OneMegabyteCellOfQuotesAndQuotedCommas_IsReadWholeLookingAtEachCharacterOnce(string source)
    {
        var cell = new StringBuilder(1024 * 1024);
        while (cell.Length < 1024 * 1024)
        {
            cell.Append("\"\",\"\",");
        }
        var text = $"mrn,care_team\n100001,\"{cell}\"\n";

        var (events, rejections, _) = Read(ExportFileKind.Patients, text, source);

        Assert.Empty(rejections);
        Assert.Equal(cell.ToString().Replace("\"\"", "\"", StringComparison.Ordinal), Assert.IsType<DemographicsRecorded>(Assert.Single(events)).CareTeam);
    }

    [Fact]
    public void Tokenizer_ExaminesEachCharacterOnce_HoweverManyQuotesACellHolds()
    {
        var text = "a,\"" + string.Concat(Enumerable.Repeat("\"\",,\"\"", 200_000)) + "\",b\n" + "c," + new string('"', 1002) + "\n";
        var reader = new CsvRecordReader(new StringReader(text));

        Assert.True(reader.Read());
        Assert.Equal(3, reader.FieldCount);
        Assert.Equal(800_000, reader[1].Length);
        Assert.True(reader.Read());
        Assert.Equal(2, reader.FieldCount);
        Assert.False(reader.Read());
        Assert.Equal(text.Length, reader.CharsExamined);
    }

    [Fact]
    public void Read_RecordLongerThanTheLimit_QuarantinesInsteadOfHoldingTheFileInMemory()
    {
        var bytes = new byte[CsvRecordReader.MaxRecordLength + 100];
        Array.Fill(bytes, (byte)'a');
        "mrn,sex\n1,\""u8.CopyTo(bytes);

        var e = Assert.Throws<FileFormatException>(() =>
            CsvExportReader.Read(ExportFileKind.Patients, new MemoryStream(bytes), Path, Batch, _ => { }, _ => { }));

        Assert.Equal($"line 2: record is longer than {CsvRecordReader.MaxRecordLength} characters (a quote that is never closed?)", e.Message);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Read_LinesHoldingOnlySpacesOrAnEmptyQuotedField_AreBlankAndSkipped(string source)
    {
        var (events, rejections, counts) = Read(ExportFileKind.Patients, Lines("mrn,sex", "   ", "\"\"", "100001,F"), source);

        Assert.Empty(rejections);
        Assert.Equal(new CsvFileCounts(1, 1, 0), counts);
        Assert.Equal(4, Assert.Single(events).Source.Line);
    }
}
