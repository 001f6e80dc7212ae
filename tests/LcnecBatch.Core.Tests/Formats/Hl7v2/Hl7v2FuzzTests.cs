using System.Text;
using LcnecBatch.Core.Formats.Hl7v2;

namespace LcnecBatch.Core.Tests.Formats.Hl7v2;

/// <summary>
/// Mutated HL7 v2 (the public examples of <c>../shared/corpus/hl7v2</c>, read in place, and the repository's own
/// writer output) through the real entry point: see <see cref="LabFuzz"/> for what every mutant is held to.
/// </summary>
public class Hl7v2FuzzTests
{
    private const int Iterations = 400;

    private static readonly byte[][] Tokens =
    [
        .. "|^~\\&\r\n".Select(c => new[] { (byte)c }),
        [0x00], [0xFF], [0xC0], [0xEF, 0xBB, 0xBF],
        LabFuzz.Ascii("\rMSH"), LabFuzz.Ascii("\rMSH|^~"), LabFuzz.Ascii("\rFHS"), LabFuzz.Ascii("\rBHS|"), LabFuzz.Ascii("\rBTS|7"), LabFuzz.Ascii("\rFTS|"),
        LabFuzz.Ascii("\rPI|1"), LabFuzz.Ascii("\\Zbold\\"), LabFuzz.Ascii("\\X0D0\\"), LabFuzz.Ascii("\\.sp 99999\\"), LabFuzz.Ascii("\\.br\\"), LabFuzz.Ascii("\\H\\"), LabFuzz.Ascii("\\"),
    ];

    /// <summary>PID-5 name parts and PID-3 identifiers of a file: what no reason may quote.</summary>
    private static List<string> PatientData(string text)
    {
        var secrets = new List<string>();
        foreach (var line in text.Split('\r', '\n').Where(l => l.StartsWith("PID|", StringComparison.Ordinal)))
        {
            var fields = line.Split('|');
            var names = fields.Length > 5 ? fields[5].Split('^', '~') : [];
            var ids = fields.Length > 3 ? fields[3].Split('~').Select(r => r.Split('^')[0]) : [];
            // "Patient" is a placeholder name in one example, and a word reasons use.
            secrets.AddRange(names.Where(n => n.Length >= 4 && n != "Patient"));
            secrets.AddRange(ids.Where(id => id.Length >= 6));
        }
        return secrets;
    }

    public static TheoryData<string> CorpusFiles() =>
        LabCorpus.Folder("hl7v2") is { } folder
            ? new TheoryData<string>(Directory.GetFiles(folder, "*.hl7").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal))
            : new TheoryData<string>("(corpus absent)");

    [LabCorpusTheory("hl7v2")]
    [MemberData(nameof(CorpusFiles))]
    public void Ingest_MutatedCorpusMessage_NeverThrows_Reconciles_IsRepeatable_AndQuotesNoPatientData(string file)
    {
        var bytes = File.ReadAllBytes(LabCorpus.File("hl7v2", file));

        LabFuzz.Check("x.hl7", bytes, randomSeed: 13, Iterations, Tokens, PatientData(Encoding.UTF8.GetString(bytes)));
    }

    [Theory]
    [InlineData("\r", 21)]
    [InlineData("\n", 22)]
    [InlineData("\r\n", 23)]
    public void Ingest_MutatedWriterBatch_NeverThrows_Reconciles_IsRepeatable_AndQuotesNoPatientData(string separator, int seed)
    {
        var text = Hl7v2Writer.Write(LabFacts.Sample(), separator);

        LabFuzz.Check("x.hl7", Encoding.UTF8.GetBytes(text), seed, Iterations, Tokens, ["900001", "900002", "neuroendocrine", "S26-04417"]);
    }
}
