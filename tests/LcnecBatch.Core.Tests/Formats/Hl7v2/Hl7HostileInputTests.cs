using System.Text;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Pipeline;
using static LcnecBatch.Core.Tests.Formats.Hl7v2.Hl7Messages;

namespace LcnecBatch.Core.Tests.Formats.Hl7v2;

/// <summary>
/// Odd and hostile HL7 v2 through the real entry point: every failure is a message rejection (line, field, reason)
/// or a quarantine (line, reason), never an exception, and the other messages of the file go on.
/// </summary>
public class Hl7HostileInputTests
{
    private static (FileIngestion File, List<TimelineEvent> Events) Ingest(byte[] bytes, string name = "results.hl7")
    {
        var events = new List<TimelineEvent>();
        var file = BatchIngestor.Ingest(LabCorpus.Batch, $"2026-11-27/{name}", new MemoryStream(bytes), events.Add);
        return (file, events);
    }

    private static (FileIngestion File, List<TimelineEvent> Events) Ingest(IEnumerable<string> segments, string separator = "\r", string name = "results.hl7") =>
        Ingest(Encoding.UTF8.GetBytes(string.Join(separator, segments) + separator), name);

    private static string[] Message(string control, params string[] obx) => [Msh(control: control), Pid(), Obr(), .. obx];

    private static string Diagnosis(string text) => Obx(1, "TX", "22637-3^Final diagnosis^LN", text);

    private static void AssertReconciles(FileIngestion file) =>
        Assert.Equal(file.RowsRead, file.RowsAccepted + file.RowsRejected);

    [Theory]
    [InlineData("MSH", "MSH-1", "MSH-1, the field separator, is missing")]
    [InlineData("MSH|", "MSH-2", "MSH-2 must hold 4 encoding characters (component, repetition, escape, subcomponent), found 0")]
    [InlineData("MSH|^~", "MSH-2", "MSH-2 must hold 4 encoding characters (component, repetition, escape, subcomponent), found 2")]
    [InlineData("MSH|^~\\&", "MSH-9", "no message type (MSH-9 is empty)")]
    [InlineData("MSH|^~\\&|LAB|LAB", "MSH-9", "no message type (MSH-9 is empty)")]
    [InlineData("MSH|^^\\&|LAB", "MSH-2", "MSH-1/MSH-2 delimiters must be distinct punctuation characters")]
    public void Ingest_MessageWhoseMshIsCutShort_IsRejectedAtItsMsh_AndTheOthersAreRead(string header, string field, string reason)
    {
        var (file, events) = Ingest([.. Message("M1", Diagnosis("Carcinoid.")), header, Pid(), Obr(), Diagnosis("Lost."), .. Message("M3", Diagnosis("Adenocarcinoma."))]);

        Assert.Null(file.Failure);
        Assert.Equal((3, 2), (file.RowsRead, file.RowsAccepted));
        Assert.Equal(new Rejection("2026-11-27/results.hl7", 5, field, reason), Assert.Single(file.Rejections));
        Assert.Equal(["Carcinoid.", "Adenocarcinoma."], events.OfType<PathologyReported>().Select(r => r.FinalDiagnosis));
    }

    [Theory]
    [InlineData("MSH")]
    [InlineData("MSH|")]
    [InlineData("MSH|^~")]
    public void Ingest_FileThatIsOnlyABareMsh_IsOneRejectedMessage(string header)
    {
        var (file, events) = Ingest([header]);

        Assert.Null(file.Failure);
        Assert.Equal((1, 0, 1), (file.RowsRead, file.RowsAccepted, file.RowsRejected));
        Assert.Equal(1, Assert.Single(file.Rejections).Line);
        Assert.Empty(events);
    }

    [Theory]
    [InlineData("FHS", 1, "FHS-1", "FHS-1, the field separator, is missing")]
    [InlineData("FHS|^~", 1, "FHS-2", "FHS-2 must hold 4 encoding characters (component, repetition, escape, subcomponent), found 2")]
    [InlineData("BHS", 2, "BHS-1", "BHS-1, the field separator, is missing")]
    [InlineData("BHS|", 2, "BHS-2", "BHS-2 must hold 4 encoding characters (component, repetition, escape, subcomponent), found 0")]
    public void Ingest_BatchHeaderWithoutDelimiters_IsRejected_AndTheMessagesInsideAreRead(string broken, int line, string field, string reason)
    {
        string[] envelope = broken.StartsWith("FHS", StringComparison.Ordinal)
            ? [broken, "BHS|^~\\&|LAB"]
            : ["FHS|^~\\&|LAB", broken];

        var (file, events) = Ingest([.. envelope, .. Message("M1", Diagnosis("Carcinoid.")), .. Message("M2", Diagnosis("Adenocarcinoma.")), "BTS|2", "FTS|1"]);

        Assert.Null(file.Failure);
        Assert.Equal((3, 2, 1), (file.RowsRead, file.RowsAccepted, file.RowsRejected));
        Assert.Equal(new Rejection("2026-11-27/results.hl7", line, field, reason), Assert.Single(file.Rejections));
        Assert.Equal(2, events.OfType<PathologyReported>().Count());
    }

    [Theory]
    [InlineData("PI|1||900001")]
    [InlineData("P|1")]
    [InlineData("OB")]
    public void Ingest_SegmentNameOfOneOrTwoCharacters_RejectsOnlyItsMessage(string segment)
    {
        var (file, events) = Ingest([.. Message("M1", segment, Diagnosis("Carcinoid.")), .. Message("M2", Diagnosis("Adenocarcinoma."))]);

        Assert.Equal((2, 1), (file.RowsRead, file.RowsAccepted));
        Assert.Equal(
            new Rejection("2026-11-27/results.hl7", 4, null, "line does not begin with a segment name and the field separator (segment broken across lines?)"),
            Assert.Single(file.Rejections));
        Assert.Equal("Adenocarcinoma.", Assert.Single(events.OfType<PathologyReported>()).FinalDiagnosis);
    }

    [Fact]
    public void Ingest_BrokenMshAmongBlankLinesAndLoneCrLfMixes_CitesThePhysicalLine()
    {
        var text = "\r\n\n" + string.Join("\n\r", Message("M1", Diagnosis("Carcinoid."))) + "\r\n\r\n" + "MSH" + "\r" + Pid() + "\n" + string.Join("\r", Message("M3", Diagnosis("Adenocarcinoma."))) + "\n";

        var (file, events) = Ingest(Encoding.UTF8.GetBytes(text));

        Assert.Null(file.Failure);
        AssertReconciles(file);
        // 2 blank lines, then M1 on lines 3, 5, 7, 9 (each "\n\r" is two breaks), a blank line, the MSH on 11, M3 from 13.
        Assert.Equal(new Rejection("2026-11-27/results.hl7", 11, "MSH-1", "MSH-1, the field separator, is missing"), Assert.Single(file.Rejections));
        Assert.Equal([7, 15], events.OfType<PathologyReported>().Select(r => r.Source.Line));
    }

    [Theory]
    [InlineData("MS|x", 1, "not an HL7 v2 file: it does not begin with an MSH, FHS or BHS segment")]
    [InlineData("\r\nPID|1||900001", 2, "not an HL7 v2 file: it does not begin with an MSH, FHS or BHS segment")]
    [InlineData("\u0000\u0000\u0000", 1, "not an HL7 v2 file: it does not begin with an MSH, FHS or BHS segment")]
    public void Ingest_FileThatDoesNotBeginWithAHeader_IsQuarantinedWithLineAndReason(string text, int line, string reason)
    {
        var (file, events) = Ingest(Encoding.UTF8.GetBytes(text));

        Assert.Equal(new FileFailure("2026-11-27/results.hl7", line, reason), file.Failure);
        Assert.Empty(events);
    }

    [Fact]
    public void Ingest_EscapesThatCannotBeRead_AreKeptAsWritten_AndTheMessageIsTaken()
    {
        var text = @"\H\Large cell\N\ neuroendocrine\.br\carcinoma \Zbold\with \X0D0\ odd hex, \XZZ\ no hex, \Q\ unknown, \.zz\ command, \.sp 999999999\open \E";

        var (file, events) = Ingest(Message("M1", Diagnosis(text)));

        Assert.Empty(file.Rejections);
        Assert.Equal((1, 1), (file.RowsRead, file.RowsAccepted));
        Assert.Equal(
            "Large cell neuroendocrine\ncarcinoma \\Zbold\\with \\X0D0\\ odd hex, \\XZZ\\ no hex, \\Q\\ unknown, \\.zz\\ command, " + new string('\n', 16) + "open \\E",
            Assert.Single(events.OfType<PathologyReported>()).FinalDiagnosis);
    }

    public static TheoryData<string, byte[]> TextFilesThatAreHl7() => new()
    {
        { "UTF-8 BOM then MSH", [0xEF, 0xBB, 0xBF, .. Encoding.ASCII.GetBytes(string.Join("\r", Message("M1", Diagnosis("Carcinoid."))) + "\r")] },
        { "UTF-8 BOM, blank lines, then MSH", [0xEF, 0xBB, 0xBF, .. Encoding.ASCII.GetBytes("\r\n\r\n" + string.Join("\r", Message("M1", Diagnosis("Carcinoid."))) + "\r")] },
        { "blank lines then MSH", Encoding.ASCII.GetBytes("\n\n" + string.Join("\n", Message("M1", Diagnosis("Carcinoid."))) + "\n") },
        { "UTF-8 BOM then FHS", [0xEF, 0xBB, 0xBF, .. Encoding.ASCII.GetBytes(string.Join("\r", ["FHS|^~\\&", "BHS|^~\\&", .. Message("M1", Diagnosis("Carcinoid.")), "BTS|1", "FTS|1"]) + "\r")] },
        { "UTF-8 BOM then BHS", [0xEF, 0xBB, 0xBF, .. Encoding.ASCII.GetBytes(string.Join("\r", ["BHS|^~\\&", .. Message("M1", Diagnosis("Carcinoid.")), "BTS|1"]) + "\r")] },
    };

    [Theory]
    [MemberData(nameof(TextFilesThatAreHl7))]
    public void Ingest_TxtThatStartsWithAHeaderAfterBomOrBlankLines_IsReadAsHl7(string because, byte[] bytes)
    {
        var (file, events) = Ingest(bytes, "results.txt");

        Assert.True(file.Kind == BatchFileKind.Hl7v2, because);
        Assert.Equal((1, 1), (file.RowsRead, file.RowsAccepted));
        Assert.Equal("Carcinoid.", Assert.Single(events.OfType<PathologyReported>()).FinalDiagnosis);
    }

    public static TheoryData<string, byte[]> TextFilesThatAreNotHl7() => new()
    {
        { "notes", Encoding.ASCII.GetBytes("Some notes about MSH segments.\n") },
        { "UTF-8 BOM then notes", [0xEF, 0xBB, 0xBF, .. Encoding.ASCII.GetBytes("notes\n")] },
        { "UTF-16 BOM then MSH (HL7 files are UTF-8)", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("MSH|^~\\&|\r")] },
        { "empty", [] },
        { "only a BOM", [0xEF, 0xBB, 0xBF] },
    };

    [Theory]
    [MemberData(nameof(TextFilesThatAreNotHl7))]
    public void Ingest_TxtThatDoesNotStartWithAHeader_IsNotAnInput(string because, byte[] bytes)
    {
        var (file, _) = Ingest(bytes, "notes.txt");

        Assert.True(file.Kind == BatchFileKind.NotAnInput, because);
    }
}
