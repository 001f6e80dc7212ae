using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Formats.Csv;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Formats;

public class CsvExportReaderTests
{
    private static readonly DateOnly Batch = new(2026, 11, 27);

    private static (List<TimelineEvent> Events, List<Rejection> Rejections, CsvFileCounts Counts) Read(ExportFileKind kind, string text, string source = "lf", string path = "2026-11-27/file.csv")
    {
        var events = new List<TimelineEvent>();
        var rejections = new List<Rejection>();
        using var stream = CsvSources.Open(source, text);
        var counts = CsvExportReader.Read(kind, stream, path, Batch, events.Add, rejections.Add);
        return (events, rejections, counts);
    }

    public static TheoryData<string> Sources() => CsvSources.Names();

    [Theory]
    [MemberData(nameof(Sources))]
    public void Read_PathologyReportWithQuotedMultilineDiagnosis_KeepsTextAndStartLine(string source)
    {
        const string text = "accession,mrn,report_date,final_diagnosis,stage\n" +
            "S26-00001,100001,2026-11-20,\"1. Lung, RUL, biopsy:\n   - Large cell neuroendocrine carcinoma, \"\"combined\"\".\",IVB\n" +
            "s26-00002,100002,2026-11-21,Adenocarcinoma,\n";

        var (events, rejections, counts) = Read(ExportFileKind.PathologyReports, text, source);

        Assert.Empty(rejections);
        Assert.Equal(new CsvFileCounts(2, 2, 0), counts);
        var first = Assert.IsType<PathologyReported>(events[0]);
        Assert.Equal("1. Lung, RUL, biopsy:\n   - Large cell neuroendocrine carcinoma, \"combined\".", first.FinalDiagnosis.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal(2, first.Source.Line);
        Assert.Equal("IVB", first.Stage);
        var second = Assert.IsType<PathologyReported>(events[1]);
        Assert.Equal(4, second.Source.Line);
        Assert.Equal("S26-00002", second.Accession);
        Assert.Null(second.Stage);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Read_HeaderInAnyOrderAndCase_WithUnknownColumns_MapsByName(string source)
    {
        const string text = "Result,CLONE,Marker,extra_col,Result_Date,MRN,Accession,value\n" +
            "Positive,D5F3,alk,whatever,2026-11-10,100234,S26-04417,\n" +
            "neg,,Ki67,x,2026-11-10,100234,S26-04417,85.5\n";

        var (events, rejections, _) = Read(ExportFileKind.IhcResults, text, source);

        Assert.Empty(rejections);
        var alk = Assert.IsType<IhcResulted>(events[0]);
        Assert.True(alk.IsAlk);
        Assert.Equal(IhcResult.Positive, alk.Result);
        Assert.Equal("D5F3", alk.AntibodyClone);
        var ki67 = Assert.IsType<IhcResulted>(events[1]);
        Assert.Equal(IhcResult.Negative, ki67.Result);
        Assert.Equal(85.5m, ki67.Value);
    }

    [Theory]
    [InlineData("female", Sex.Female)]
    [InlineData("F", Sex.Female)]
    [InlineData("Male", Sex.Male)]
    [InlineData("u", Sex.Unknown)]
    public void Read_SexSynonyms_AreAccepted(string word, Sex expected)
    {
        var (events, rejections, _) = Read(ExportFileKind.Patients, $"mrn,sex\n1,{word}\n");

        Assert.Empty(rejections);
        Assert.Equal(expected, Assert.IsType<DemographicsRecorded>(events[0]).Sex);
    }

    [Theory]
    [InlineData("never", SmokingStatus.Never)]
    [InlineData("Never smoker", SmokingStatus.Never)]
    [InlineData("ex-smoker", SmokingStatus.Former)]
    [InlineData("CURRENT", SmokingStatus.Current)]
    public void Read_SmokingSynonyms_AreAccepted(string word, SmokingStatus expected)
    {
        var (events, _, _) = Read(ExportFileKind.Patients, $"mrn,smoking_status\n1,{word}\n");

        Assert.Equal(expected, Assert.IsType<DemographicsRecorded>(events[0]).Smoking);
    }

    [Theory]
    [InlineData("NGS", "not detected", MolecularMethod.Ngs, MolecularResult.NotDetected)]
    [InlineData("rt-pcr", "Detected", MolecularMethod.RtPcr, MolecularResult.Detected)]
    [InlineData("FISH", "not_detected", MolecularMethod.Fish, MolecularResult.NotDetected)]
    [InlineData("RT PCR", "failed", MolecularMethod.RtPcr, MolecularResult.Failed)]
    public void Read_MolecularSynonyms_AreAccepted(string method, string result, MolecularMethod expectedMethod, MolecularResult expectedResult)
    {
        var (events, rejections, _) = Read(ExportFileKind.MolecularResults, $"accession,mrn,result_date,method,gene,result\nM1,1,2026-11-01,{method},alk,{result}\n");

        Assert.Empty(rejections);
        var row = Assert.IsType<MolecularResulted>(events[0]);
        Assert.Equal(expectedMethod, row.Method);
        Assert.Equal(expectedResult, row.Result);
        Assert.True(row.IsAlk);
    }

    /// <summary>Every row rejection reason, with its exact message; the good row after it still goes on.</summary>
    public static TheoryData<ExportFileKind, string, string> BadRows() => new()
    {
        { ExportFileKind.PathologyReports, "accession,mrn,report_date,final_diagnosis\nS1,,2026-11-01,LCNEC\n", "2026-11-27/file.csv:2: column \"mrn\": required value is missing" },
        { ExportFileKind.PathologyReports, "accession,mrn,report_date,final_diagnosis\nS1,1,2026-13-01,LCNEC\n", "2026-11-27/file.csv:2: column \"report_date\": \"2026-13-01\" is not a date (expected yyyy-MM-dd)" },
        { ExportFileKind.PathologyReports, "accession,mrn,report_date,final_diagnosis\nS1,1,27/11/2026,LCNEC\n", "2026-11-27/file.csv:2: column \"report_date\": \"27/11/2026\" is not a date (expected yyyy-MM-dd)" },
        { ExportFileKind.PathologyReports, "accession,mrn,report_date,final_diagnosis,addendum\nS1,1,2026-11-01,LCNEC,maybe\n", "2026-11-27/file.csv:2: column \"addendum\": \"maybe\" is not true or false" },
        { ExportFileKind.PathologyReports, "accession,mrn,report_date,final_diagnosis\nS1,1,2026-11-01,   \n", "2026-11-27/file.csv:2: column \"final_diagnosis\": required value is missing" },
        { ExportFileKind.IhcResults, "accession,mrn,result_date,marker,result\nS1,1,2026-11-01,ALK,pos?\n", "2026-11-27/file.csv:2: column \"result\": \"pos?\" is not one of positive, negative, equivocal, not_evaluable" },
        { ExportFileKind.IhcResults, "accession,mrn,result_date,marker,result,value\nS1,1,2026-11-01,KI67,positive,high\n", "2026-11-27/file.csv:2: column \"value\": \"high\" is not a number" },
        { ExportFileKind.IhcResults, "accession,mrn,result_date,marker,result\nS1,1,2026-11-01,ALK\n", "2026-11-27/file.csv:2: column \"result\": row has 4 field(s) but the header has 5" },
        { ExportFileKind.MolecularResults, "accession,mrn,result_date,method,gene,result\nM1,1,2026-11-01,PCR-seq,ALK,detected\n", "2026-11-27/file.csv:2: column \"method\": \"PCR-seq\" is not one of NGS, FISH, RT-PCR" },
        { ExportFileKind.MolecularResults, "accession,mrn,result_date,method,gene,result\nM1,1,2026-11-01,NGS,ALK,maybe\n", "2026-11-27/file.csv:2: column \"result\": \"maybe\" is not one of detected, not_detected, indeterminate, failed" },
        { ExportFileKind.MolecularResults, "accession,mrn,result_date,method,gene,result,file\nM1,1,2026-11-01,NGS,ALK,detected,../2026-11-26/ngs/M1.vcf\n", "2026-11-27/file.csv:2: column \"file\": path leaves the batch folder; not opened" },
        { ExportFileKind.MolecularResults, "accession,mrn,result_date,method,gene,result,file\nM1,1,2026-11-01,NGS,ALK,detected,/etc/passwd\n", "2026-11-27/file.csv:2: column \"file\": path is absolute or not a plain relative path; not opened" },
        { ExportFileKind.Patients, "mrn,birth_date\n1,1957-02-30\n", "2026-11-27/file.csv:2: column \"birth_date\": value is not a date (expected yyyy-MM-dd)" },
        { ExportFileKind.Patients, "mrn,sex\n1,X\n", "2026-11-27/file.csv:2: column \"sex\": \"X\" is not one of F, M, U" },
        { ExportFileKind.Patients, "mrn,smoking_status\n1,sometimes\n", "2026-11-27/file.csv:2: column \"smoking_status\": \"sometimes\" is not one of never, former, current, unknown" },
        { ExportFileKind.Patients, "mrn,pack_years\n1,lots\n", "2026-11-27/file.csv:2: column \"pack_years\": \"lots\" is not a number" },
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public void Read_BadRow_IsRejectedWithExactMessage_AndTheNextRowGoesOn(ExportFileKind kind, string text, string expected)
    {
        var header = text[..text.IndexOf('\n', StringComparison.Ordinal)];
        var goodRow = GoodRow(kind, header);
        foreach (var (source, _) in CsvSources.All)
        {
            var (events, rejections, counts) = Read(kind, text + goodRow + "\n", source);

            var rejection = Assert.Single(rejections);
            Assert.Equal(expected, rejection.ToString());
            Assert.Single(events);
            Assert.Equal(3, events[0].Source.Line);
            Assert.Equal(new CsvFileCounts(2, 1, 1), counts);
        }
    }

    [Fact]
    public void Read_InvalidUtf8InARow_RejectsThatRowOnly()
    {
        byte[] bytes = [.. "mrn,sex\n1,F\n2,"u8.ToArray(), 0xC3, 0x28, (byte)'\n', .. "3,M\n"u8.ToArray()];
        var events = new List<TimelineEvent>();
        var rejections = new List<Rejection>();

        var counts = CsvExportReader.Read(ExportFileKind.Patients, new MemoryStream(bytes), "p.csv", Batch, events.Add, rejections.Add);

        Assert.Equal("p.csv:3: column \"sex\": value is not valid UTF-8", Assert.Single(rejections).ToString());
        Assert.Equal(new CsvFileCounts(3, 2, 1), counts);
    }

    [Fact]
    public void Read_RejectionOfIdentifierOrBirthDate_NeverQuotesTheValue()
    {
        var (_, rejections, _) = Read(ExportFileKind.Patients, "mrn,birth_date\n998877,1957-13-40\n");

        var message = Assert.Single(rejections).ToString();
        Assert.DoesNotContain("998877", message, StringComparison.Ordinal);
        Assert.DoesNotContain("1957", message, StringComparison.Ordinal);
    }

    public static TheoryData<ExportFileKind, byte[], string> BadFiles() => new()
    {
        { ExportFileKind.PathologyReports, "accession,report_date,final_diagnosis\nS1,2026-11-01,x\n"u8.ToArray(), "line 1: header lacks required column(s) \"mrn\"" },
        { ExportFileKind.IhcResults, "accession,mrn\nS1,1\n"u8.ToArray(), "line 1: header lacks required column(s) \"result_date\", \"marker\", \"result\"" },
        { ExportFileKind.Patients, ""u8.ToArray(), "line 1: file is empty: no header row" },
        { ExportFileKind.Patients, "mrn,sex,MRN\n1,F,2\n"u8.ToArray(), "line 1: header names column \"mrn\" twice" },
        { ExportFileKind.Patients, [0x1F, 0x8B, 0x08, 0x00, 0xFF, 0xFE, (byte)'\n', 0x00], "line 1: header lacks required column(s) \"mrn\"" },
        { ExportFileKind.Patients, "mrn,sex\n\"1,F\n"u8.ToArray(), "line 2: quoted field is never closed" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Read_BadFile_ThrowsWithLineAndReason(ExportFileKind kind, byte[] bytes, string expected)
    {
        using var stream = new MemoryStream(bytes);

        var e = Assert.Throws<FileFormatException>(() => CsvExportReader.Read(kind, stream, "x.csv", Batch, _ => { }, _ => { }));

        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void Read_BlankLines_AreSkippedAndNotCounted()
    {
        var (events, rejections, counts) = Read(ExportFileKind.Patients, "mrn,sex\n\n1,F\n\n2,M\n");

        Assert.Empty(rejections);
        Assert.Equal(2, events.Count);
        Assert.Equal(new CsvFileCounts(2, 2, 0), counts);
        Assert.Equal(5, events[1].Source.Line);
    }

    [Fact]
    public void Read_FilePath_IsResolvedRelativeToTheBatch()
    {
        var (events, _, _) = Read(ExportFileKind.MolecularResults, "accession,mrn,result_date,method,gene,result,file\nM1,1,2026-11-01,NGS,ALK,detected,ngs/M1.vcf.gz\n", path: "2026-11-27/molecular_results.csv");

        Assert.Equal("2026-11-27/ngs/M1.vcf.gz", Assert.IsType<MolecularResulted>(events[0]).File);
    }

    [Fact]
    public void Read_DateTimeWithOffset_TakesTheDateAsWritten()
    {
        var (events, rejections, _) = Read(ExportFileKind.IhcResults, "accession,mrn,result_date,marker,result\nS1,1,2026-11-10T23:30:00-05:00,ALK,negative\n");

        Assert.Empty(rejections);
        Assert.Equal(new DateOnly(2026, 11, 10), Assert.IsType<IhcResulted>(events[0]).ResultDate);
    }

    private static string GoodRow(ExportFileKind kind, string header)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["accession"] = "S9",
            ["mrn"] = "9",
            ["report_date"] = "2026-11-01",
            ["result_date"] = "2026-11-01",
            ["final_diagnosis"] = "Adenocarcinoma",
            ["marker"] = "ALK",
            ["result"] = kind == ExportFileKind.MolecularResults ? "detected" : "negative",
            ["method"] = "NGS",
            ["gene"] = "ALK",
            ["addendum"] = "false",
            ["value"] = "1",
            ["file"] = "ngs/S9.vcf",
            ["birth_date"] = "1960-01-01",
            ["sex"] = "F",
            ["smoking_status"] = "never",
            ["pack_years"] = "0",
        };
        return string.Join(',', header.Split(',').Select(h => values[h]));
    }
}
