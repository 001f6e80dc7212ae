using LcnecBatch.Core.CaseFinding;

namespace LcnecBatch.Core.Tests.CaseFinding;

public class StageParserTests
{
    // AJCC/UICC 8th edition lung: rows T, columns N0..N3 with M0.
    private const string Table = """
        T1mi IA1  IIB  IIIA IIIB
        T1a  IA1  IIB  IIIA IIIB
        T1b  IA2  IIB  IIIA IIIB
        T1c  IA3  IIB  IIIA IIIB
        T2a  IB   IIB  IIIA IIIB
        T2b  IIA  IIB  IIIA IIIB
        T3   IIB  IIIA IIIB IIIC
        T4   IIIA IIIA IIIB IIIC
        """;

    public static TheoryData<string, string, string, string> EighthEditionTable()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var line in Table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var n = 0; n <= 3; n++)
            {
                data.Add(cells[0][1..], n.ToString(System.Globalization.CultureInfo.InvariantCulture), "0", cells[n + 1]);
                foreach (var m in new[] { "1a", "1b" })
                {
                    data.Add(cells[0][1..], n.ToString(System.Globalization.CultureInfo.InvariantCulture), m, "IVA");
                }
                data.Add(cells[0][1..], n.ToString(System.Globalization.CultureInfo.InvariantCulture), "1c", "IVB");
            }
        }
        data.Add("is", "0", "0", "0");
        return data;
    }

    [Theory]
    [MemberData(nameof(EighthEditionTable))]
    public void FromTnm_EveryCellOfTheEighthEditionTable(string t, string n, string m, string expected)
    {
        foreach (var written in new[] { $"T{t}N{n}M{m}", $"cT{t}N{n}M{m}", $"pT{t} pN{n} cM{m}", $"ypT{t}N{n}M{m}" })
        {
            var stage = StageParser.Parse(written);

            Assert.NotNull(stage);
            Assert.Equal(expected, stage.Group);
            Assert.Equal(expected.StartsWith("III", StringComparison.Ordinal) || expected.StartsWith("IV", StringComparison.Ordinal), stage.IsAdvanced);
        }
    }

    [Theory]
    [InlineData("IVB", "IVB", true)]
    [InlineData("stage IIIB", "IIIB", true)]
    [InlineData("Stage IIIA", "IIIA", true)]
    [InlineData("Stage 4", "IV", true)]
    [InlineData("stage 3C", "IIIC", true)]
    [InlineData("IA2", "IA2", false)]
    [InlineData("Stage II", "II", false)]
    [InlineData("pT2aN0", "IB", false)]
    [InlineData("pT2aN0M0", "IB", false)]
    [InlineData("pT1bN2", "IIIA", true)]
    [InlineData("cT3N2M1c", "IVB", true)]
    [InlineData("ypT1b", null, false)]
    [InlineData("pTXN3", "III", true)]
    [InlineData("cM1b", "IVA", true)]
    [InlineData("pT4NX", "III", true)]
    [InlineData("unknown", null, false)]
    [InlineData("", null, false)]
    public void Parse_StageAsWritten(string text, string? group, bool advanced)
    {
        var stage = StageParser.Parse(text);

        Assert.Equal(group, stage?.Group);
        Assert.Equal(advanced, stage?.IsAdvanced ?? false);
    }

    [Theory]
    [InlineData("Large cell neuroendocrine carcinoma, pathologic stage IIIA (pT3 pN1).", "IIIA")]
    [InlineData("LCNEC; clinical stage: cT3N2M1c per tumour board.", "IVB")]
    [InlineData("Large cell neuroendocrine carcinoma.", null)]
    public void FindInText_StageWordsAndTnmInsideADiagnosis(string text, string? group)
    {
        Assert.Equal(group, StageParser.FindInText(text)?.Group);
    }
}
