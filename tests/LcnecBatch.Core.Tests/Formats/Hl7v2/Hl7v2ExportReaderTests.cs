using System.Text;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Formats.Hl7v2;
using LcnecBatch.Core.Tests.TestData;
using static LcnecBatch.Core.Tests.Formats.Hl7v2.Hl7Messages;

namespace LcnecBatch.Core.Tests.Formats.Hl7v2;

public class Hl7v2ExportReaderTests
{
    private const string Path = "2026-11-27/results.hl7";

    private static (List<TimelineEvent> Events, List<Rejection> Rejections, Hl7v2FileCounts Counts) Read(Stream stream)
    {
        var events = new List<TimelineEvent>();
        var rejections = new List<Rejection>();
        var counts = Hl7v2ExportReader.Read(stream, Path, LabCorpus.Batch, events.Add, rejections.Add);
        return (events, rejections, counts);
    }

    private static (List<TimelineEvent> Events, List<Rejection> Rejections, Hl7v2FileCounts Counts) Read(IEnumerable<string> segments, string separator = "\r") =>
        Read(LabCorpus.Text(string.Join(separator, segments) + separator));

    /// <summary>Every line-ending style, with and without BOM, and reads of 1 and 7 bytes.</summary>
    public static TheoryData<string> Framings() => ["cr", "lf", "crlf", "cr, bom", "crlf, 1-byte reads", "lf, 7-byte reads, bom"];

    private static Stream Frame(string framing, IEnumerable<string> segments)
    {
        var separator = framing.StartsWith("crlf", StringComparison.Ordinal) ? "\r\n" : framing.StartsWith("lf", StringComparison.Ordinal) ? "\n" : "\r";
        var bytes = Encoding.UTF8.GetBytes(string.Join(separator, segments) + separator);
        if (framing.Contains("bom", StringComparison.Ordinal))
        {
            bytes = [.. Encoding.UTF8.GetPreamble(), .. bytes];
        }
        return framing.Contains("1-byte", StringComparison.Ordinal) ? new ChunkedStream(bytes, 1)
            : framing.Contains("7-byte", StringComparison.Ordinal) ? new ChunkedStream(bytes, 7)
            : new MemoryStream(bytes);
    }

    [Theory]
    [MemberData(nameof(Framings))]
    public void Read_LcnecReportWithIhcFishAndNgs_MapsEveryFactWithItsSegmentLine(string framing)
    {
        var (events, rejections, counts) = Read(Frame(framing, LcnecMessage()));

        Assert.Empty(rejections);
        Assert.Equal(new Hl7v2FileCounts(1, 1, 0), counts);
        var patient = Assert.IsType<DemographicsRecorded>(events[0]);
        Assert.Equal(("900001", Sex.Female, new DateOnly(1958, 2, 14), 2), (patient.Mrn, patient.Sex!.Value, patient.BirthDate!.Value, patient.Source.Line));
        var report = Assert.IsType<PathologyReported>(events[1]);
        Assert.Equal(new SourceRef(Path, 4), report.Source);
        Assert.Equal("S26-04417", report.Accession);
        Assert.Equal(new DateOnly(2026, 11, 20), report.ReportDate);
        Assert.Equal("Lung, left hilum, biopsy:\n- Large cell neuroendocrine carcinoma & necrosis (stage ^ IVB).", report.FinalDiagnosis);
        Assert.Equal("Lung, left hilum, CT-guided core biopsy", report.SpecimenSite);
        Assert.False(report.Addendum);
        var alk = Assert.IsType<IhcResulted>(events[2]);
        Assert.Equal(("ALK", "D5F3", IhcResult.Positive, new DateOnly(2026, 11, 19), 8), (alk.Marker, alk.AntibodyClone, alk.Result, alk.ResultDate, alk.Source.Line));
        var ki67 = Assert.IsType<IhcResulted>(events[3]);
        Assert.Equal(("KI67", 85m, "Hot spot\ncounted"), (ki67.Marker, ki67.Value!.Value, ki67.Comment));
        var fish = Assert.IsType<MolecularResulted>(events[4]);
        Assert.Equal((MolecularMethod.Fish, "ALK", MolecularResult.Detected, (string?)null, 12), (fish.Method, fish.Gene, fish.Result, fish.Alteration, fish.Source.Line));
        var ngs = Assert.IsType<MolecularResulted>(events[5]);
        Assert.Equal((MolecularMethod.Ngs, "ALK", MolecularResult.Detected, "EML4-ALK fusion (E13:A20)", new DateOnly(2026, 11, 26)), (ngs.Method, ngs.Gene, ngs.Result, ngs.Alteration, ngs.ResultDate));
        Assert.Equal(6, events.Count);
    }

    [Fact]
    public void Read_MixedLineEndingsAndBlankLines_CitePhysicalLines()
    {
        var text = Msh() + "\r\n" + Pid() + "\n\n" + Obr() + "\r" + Obx(1, "TX", "", "Large cell neuroendocrine carcinoma.") + "\r\n\r\n" + Obx(2, "CWE", "ALK^ALK IHC^L", "260385009^Negative^SCT") + "\n";

        var (events, rejections, _) = Read(LabCorpus.Text(text));

        Assert.Empty(rejections);
        Assert.Equal([2, 4, 7], events.Select(e => e.Source.Line));
    }

    [Fact]
    public void Read_Repetitions_PreferTheMrIdentifierAndJoinTextLines()
    {
        string[] message =
        [
            Msh(),
            Seg("PID", (1, "1"), (3, "111-22-3333^^^SSA^SS~777001^^^LAB^MR"), (8, "M")),
            Obr(),
            Obx(1, "TX", "22637-3^Final diagnosis^LN", "first line~~third line"),
        ];

        var (events, _, _) = Read(message);

        Assert.Equal("777001", Assert.IsType<DemographicsRecorded>(events[0]).Mrn);
        Assert.Equal("first line\n\nthird line", Assert.IsType<PathologyReported>(events[1]).FinalDiagnosis);
    }

    [Fact]
    public void Read_FinalDiagnosisAbsent_JoinsEveryTextRowInOrder()
    {
        string[] message = [Msh(), Pid(), Obr(), Obx(1, "TX", "", "FINAL DIAGNOSIS:"), Obx(2, "TX", "", ""), Obx(3, "TX", "", "Large cell neuroendocrine carcinoma.")];

        var (events, _, _) = Read(message);

        Assert.Equal("FINAL DIAGNOSIS:\n\nLarge cell neuroendocrine carcinoma.", Assert.IsType<PathologyReported>(events[1]).FinalDiagnosis);
    }

    [Fact]
    public void Read_BatchEnvelope_ReadsEveryMessageInside()
    {
        string[] file =
        [
            @"FHS|^~\&|PATHLIS|LAB",
            @"BHS|^~\&|PATHLIS|LAB",
            .. LcnecMessage(),
            Msh(control: "MSG0002"), Pid(mrn: "900002"), Obr(accession: "S26-05000"), Obx(1, "TX", "", "Adenocarcinoma."),
            "BTS|2",
            "FTS|1",
        ];

        var (events, rejections, counts) = Read(file, "\n");

        Assert.Empty(rejections);
        Assert.Equal(new Hl7v2FileCounts(2, 2, 0), counts);
        Assert.Equal(["S26-04417", "S26-05000"], events.OfType<PathologyReported>().Select(r => r.Accession));
        Assert.Equal(18, events.OfType<PathologyReported>().Last().Source.Line);
    }

    public static TheoryData<string, int?, string> DamagedFiles() => new()
    {
        { "BHS|^~\\&\n" + Msh() + "\n" + Pid() + "\nBTS|2\n", 4, "BTS-1 counts 2 message(s) but 1 were read (truncated or damaged file?)" },
        { "BHS|^~\\&\n" + Msh() + "\n" + Pid() + "\n", 3, "file ends inside a batch: the BTS trailer is missing (truncated file?)" },
        { "FHS|^~\\&\nBHS|^~\\&\n" + Msh() + "\nBTS|1\n", 4, "file ends without its FTS trailer (truncated file?)" },
        { Msh() + "\n" + Pid() + "\nFTS|0\n", 3, "FTS closes a file that no FHS opened" },
        { "FHS|^~\\&\nFTS|0\n" + Msh() + "\n", 3, "content after the file trailer (FTS)" },
        { "BHS|^~\\&\nBHS|^~\\&\n", 2, "BHS opens a batch before the previous one is closed by BTS" },
        { "BHS|^~\\&\nBTS|x\n", 2, "BTS-1 is not a count" },
        { "mrn,sex\n1,F\n", 1, "not an HL7 v2 file: it does not begin with an MSH, FHS or BHS segment" },
        { "\n\n", null, "file is empty: no MSH segment" },
        // The BHS's own delimiters are unusable (a rejection), and nothing follows it: the batch never closes.
        { "BHS|^~\n", 1, "file ends inside a batch: the BTS trailer is missing (truncated file?)" },
    };

    [Theory]
    [MemberData(nameof(DamagedFiles))]
    public void Read_DamagedFileOrEnvelope_ThrowsWithLine(string text, int? line, string reason)
    {
        var e = Assert.Throws<FileFormatException>(() => Read(LabCorpus.Text(text)));
        Assert.Equal((line, reason), (e.Line, e.Reason));
    }

    [Fact]
    public void Read_SegmentBrokenAcrossLines_RejectsThatMessageAndGoesOn()
    {
        string[] file =
        [
            Msh(), Pid(), Obr(), "OBX|1|TX|||Large cell neuroendocrine",
            "carcinoma, wrapped by a mail client.||||||F",
            .. LcnecMessage(),
        ];

        var (events, rejections, counts) = Read(file);

        Assert.Equal(new Hl7v2FileCounts(2, 1, 1), counts);
        var rejection = Assert.Single(rejections);
        Assert.Equal(new Rejection(Path, 5, null, "line does not begin with a segment name and the field separator (segment broken across lines?)"), rejection);
        Assert.Equal(6, events.Count);
        Assert.Equal(7, events[0].Source.Line);
    }

    [Fact]
    public void Read_SegmentsBeforeAnyMessage_AreOneRejectedUnit()
    {
        string[] file = [@"BHS|^~\&", Pid(), Obr(), .. LcnecMessage(), "BTS|1"];

        var (_, rejections, counts) = Read(file);

        Assert.Equal(new Hl7v2FileCounts(2, 1, 1), counts);
        Assert.Equal(new Rejection(Path, 2, null, "segment outside any message (no MSH before it)"), Assert.Single(rejections));
    }

    public static TheoryData<string, string[], int, string?, string> BadMessages() => new()
    {
        { "bad birth date", [Msh(), Pid(birth: "19581302"), Obr()], 2, "PID-7", "value is not a full date (expected YYYYMMDD)" },
        { "partial birth date", [Msh(), Pid(birth: "1958"), Obr()], 2, "PID-7", "value is not a full date (expected YYYYMMDD)" },
        { "unknown sex", [Msh(), Pid(sex: "Q"), Obr()], 2, "PID-8", "value is not one of F, M, U, O, A, N (HL7 table 0001)" },
        { "no identifier", [Msh(), Seg("PID", (1, "1"), (5, "Doe^Jane"))], 2, "PID-3", "no patient identifier" },
        { "no PID", [Msh(), "ORC|RE"], 1, "PID", "message has no PID segment" },
        { "other message type", [Msh(type: "ADT^A08"), Pid()], 1, "MSH-9", "message type ADT^A08 is not read here (ORU^R01, MDM^T02/T04/T06/T08/T10)" },
        { "no accession", [Msh(), Pid(), Obr(accession: "", placer: ""), Obx(1, "TX", "", "text")], 3, "OBR-3", "no accession: filler (OBR-3) and placer (OBR-2) order numbers are empty" },
        { "bad report date", [Msh(), Pid(), Obr(reportDate: "2026-11-20"), Obx(1, "TX", "", "text")], 3, "OBR-22", "value is not a date/time (expected YYYYMMDD[HHMM[SS]][+ZZZZ])" },
        { "unknown IHC word", [Msh(), Pid(), Obr(), Obx(1, "ST", "ALK^ALK IHC^L", "Jane Doe's slide")], 4, "OBX-5", "value is not an IHC result (positive, negative, equivocal, not_evaluable)" },
        { "empty IHC value", [Msh(), Pid(), Obr(), Obx(1, "CWE", "ALK^ALK IHC^L", "")], 4, "OBX-5", "no result value" },
        { "unknown molecular word", [Msh(), Pid(), Obr(), Obx(1, "ST", "ALK^ALK FISH^L", "see report")], 4, "OBX-5", "value is not a molecular result (detected, not_detected, indeterminate, failed)" },
        { "not a number", [Msh(), Pid(), Obr(), Obx(1, "CWE", "KI67^KI67 IHC^L", "10828004^Positive^SCT"), Obx(2, "NM", "KI67^KI67 IHC^L", "many")], 5, "OBX-5", "value is not a number" },
        { "retracted result", [Msh(), Pid(), Obr(), Obx(1, "CWE", "ALK^ALK IHC^L", "10828004^Positive^SCT", status: "W")], 4, "OBX-11", "result status D/W (deleted, posted as wrong) retracts an earlier result: review it by hand" },
        { "unknown status", [Msh(), Pid(), Obr(), Obx(1, "TX", "", "text", status: "Q")], 4, "OBX-11", "value is not a result status (HL7 table 0085)" },
        { "PDF only", [Msh(), Pid(), Obr(), Obx(1, "ED", "11529-5^Report^LN", "^Application^PDF^Base64^JVBERi0=")], 4, "OBX-2", "report is only an encapsulated document (ED/RP): no text to screen, review it by hand" },
        { "OBX before OBR", [Msh(), Pid(), Obx(1, "TX", "", "text")], 3, null, "OBX outside an order (no OBR or TXA before it)" },
        { "OBR before PID", [Msh(), Obr()], 2, null, "OBR before any PID segment" },
        { "bad delimiters", ["MSH|^^\\&|A", Pid()], 1, "MSH-2", "MSH-1/MSH-2 delimiters must be distinct punctuation characters" },
        { "MDM without TXA", [Msh(type: "MDM^T02"), Pid()], 1, "TXA", "MDM message has no TXA segment" },
    };

    [Theory]
    [MemberData(nameof(BadMessages))]
    public void Read_BadMessage_IsRejectedWithSegmentLineAndField_AndRevealsNoPatientData(string because, string[] message, int line, string? field, string reason)
    {
        var (events, rejections, counts) = Read([.. message, .. LcnecMessage()]);

        Assert.True(counts == new Hl7v2FileCounts(2, 1, 1), because);
        Assert.Equal(new Rejection(Path, line, field, reason), Assert.Single(rejections));
        Assert.Equal(6, events.Count);
        LabCorpus.AssertNoPatientData(rejections, "900001", "Doe^Jane", "Jane", "1958");
    }

    [Fact]
    public void Read_ResultsNotSignedOut_ArePassedOver()
    {
        string[] message =
        [
            Msh(), Pid(),
            Obr(status: "P"), Obx(1, "TX", "", "Preliminary: carcinoma."),
            Obr(accession: "S26-9"), Obx(1, "CWE", "ALK^ALK IHC^L", "10828004^Positive^SCT", status: "P"), Obx(2, "TX", "", "Final text.", status: "C"),
        ];

        var (events, rejections, _) = Read(message);

        Assert.Empty(rejections);
        Assert.Equal(["DemographicsRecorded", "PathologyReported"], events.Select(e => e.GetType().Name));
        Assert.Equal("S26-9", ((PathologyReported)events[1]).Accession);
    }

    [Fact]
    public void Read_NonPathologySection_YieldsNoReportButKeepsCodedResults()
    {
        string[] message = [Msh(), Pid(), Obr(section: "RAD"), Obx(1, "TX", "", "Chest X-ray: mass."), Obx(2, "CWE", "47303-3^ALK (D5F3)^LN", "LA6577-6^Negative^LN")];

        var (events, _, _) = Read(message);

        var ihc = Assert.IsType<IhcResulted>(Assert.Single(events.Skip(1)));
        Assert.Equal(("ALK", "D5F3", IhcResult.Negative), (ihc.Marker, ihc.AntibodyClone, ihc.Result));
    }

    [Theory]
    [InlineData("ST", "47303-3^ALK Ag IHC^LN", "Negative (5A4)", "", "ALK", "5A4", IhcResult.Negative)]
    [InlineData("ST", "ALK^ALK (D5F3) IHC^L", "equivocal", "", "ALK", "D5F3", IhcResult.Equivocal)]
    [InlineData("CWE", "CD56^CD56 immunostain^99LAB", "^Not evaluable", "IHC", "CD56", null, IhcResult.NotEvaluable)]
    [InlineData("CE", "SYN^SYN IHC^L", "POS^Positive^L", "IHC^Immunohistochemistry (MRQ-40)^L", "SYN", "MRQ-40", IhcResult.Positive)]
    public void Read_IhcRows_InTheirCommonShapes(string type, string code, string value, string method, string marker, string? clone, IhcResult result)
    {
        var (events, rejections, _) = Read([Msh(), Pid(), Obr(), Obx(1, type, code, value, method: method)]);

        Assert.Empty(rejections);
        var ihc = Assert.IsType<IhcResulted>(events[^1]);
        Assert.Equal((marker, clone, result, new DateOnly(2026, 11, 20)), (ihc.Marker, ihc.AntibodyClone, ihc.Result, ihc.ResultDate));
    }

    [Theory]
    [InlineData("ST", "79206-9^EML4-ALK transcript^LN", "EML4-ALK fusion transcript not detected", "", MolecularMethod.RtPcr, MolecularResult.NotDetected, "EML4-ALK fusion transcript")]
    [InlineData("ST", "79206-9^EML4-ALK transcript^LN", "Detected", "NGS^Next generation sequencing^L", MolecularMethod.Ngs, MolecularResult.Detected, null)]
    [InlineData("CWE", "78205-2^ALK FISH^LN", "LA9634-2^Absent^LN", "", MolecularMethod.Fish, MolecularResult.NotDetected, null)]
    [InlineData("CWE", "ALK^ALK RT-PCR^L", "260373001^Detected^SCT^^^^^^EML4-ALK variant 3", "", MolecularMethod.RtPcr, MolecularResult.Detected, "EML4-ALK variant 3")]
    [InlineData("ST", "ALK^ALK FISH^L", "failed: insufficient tumour", "", MolecularMethod.Fish, MolecularResult.Failed, "insufficient tumour")]
    public void Read_MolecularRows_InTheirCommonShapes(string type, string code, string value, string method, MolecularMethod expectedMethod, MolecularResult result, string? alteration)
    {
        var (events, rejections, _) = Read([Msh(), Pid(), Obr(), Obx(1, type, code, value, method: method)]);

        Assert.Empty(rejections);
        var molecular = Assert.IsType<MolecularResulted>(events[^1]);
        Assert.Equal(("ALK", expectedMethod, result, alteration), (molecular.Gene, molecular.Method, molecular.Result, molecular.Alteration));
    }

    [Fact]
    public void Read_CustomDelimiters_AreTakenFromMsh()
    {
        static string Custom(string segment) =>
            new(segment.Select(c => c switch { '|' => '#', '^' => '!', '~' => '*', '\\' => '$', '&' => '@', _ => c }).ToArray());
        var message = new[] { Msh(), Pid(), Obr(), Obx(1, "TX", "22637-3^Final diagnosis^LN", @"Carcinoma\F\ hash~second line") }.Select(Custom).ToArray();
        Assert.StartsWith("MSH#!*$@#", message[0], StringComparison.Ordinal);

        var (events, rejections, _) = Read(message);

        Assert.Empty(rejections);
        var report = Assert.IsType<PathologyReported>(events[1]);
        Assert.Equal("Carcinoma# hash\nsecond line", report.FinalDiagnosis);
        Assert.Equal("900001", report.Mrn);
    }

    [Fact]
    public void Read_MdmDocument_TakesTxaAsTheReport()
    {
        string[] message =
        [
            Msh(type: "MDM^T06"),
            "EVN|T06|20261120",
            Pid(),
            Seg("TXA", (1, "1"), (2, "SP"), (3, "TX"), (4, "20261121"), (12, "DOC-77"), (15, "s26-04417"), (17, "AU")),
            Obx(1, "TX", "", "ADDENDUM: ALK (D5F3) positive."),
        ];

        var (events, rejections, _) = Read(message);

        Assert.Empty(rejections);
        var report = Assert.IsType<PathologyReported>(events[1]);
        Assert.Equal(("S26-04417", new DateOnly(2026, 11, 21), true, 4), (report.Accession, report.ReportDate, report.Addendum, report.Source.Line));
    }

    [Fact]
    public void Read_CorrectedReport_IsAnAddendum()
    {
        var (events, _, _) = Read([Msh(), Pid(), Obr(status: "C"), Obx(1, "TX", "", "Corrected text.")]);

        Assert.True(Assert.IsType<PathologyReported>(events[1]).Addendum);
    }

    [Fact]
    public void Read_PidWithOnlyAnIdentifier_AddsNoDemographicFact()
    {
        var (events, _, _) = Read([Msh(), Seg("PID", (1, "1"), (3, "900001^^^LAB^MR")), Obr(), Obx(1, "TX", "", "text")]);

        Assert.IsType<PathologyReported>(Assert.Single(events));
    }
}
