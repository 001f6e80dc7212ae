using LcnecBatch.Core.Genomics;

namespace LcnecBatch.Core.Tests.Genomics;

public class AlkResistanceTests
{
    [Theory]
    [InlineData("p.Gly1202Arg", "G1202R")]
    [InlineData("p.(Gly1202Arg)", "G1202R")]
    [InlineData("ENSP00000375495.3:p.Leu1196Met", "L1196M")]
    [InlineData("p.G1269A", "G1269A")]
    [InlineData("p.Thr1151_Leu1152insThr", "T1151_L1152insT")]
    [InlineData("p.Gly1202del", "G1202del")]
    [InlineData("p.Arg1275Ter", "R1275*")]
    [InlineData("p.?", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void ShortProteinChange_AnyHgvsSpelling_GivesOneLetterForm(string? hgvs, string? expected)
    {
        Assert.Equal(expected, AlkResistance.ShortProteinChange(hgvs));
    }

    [Fact]
    public void Find_G1202R_DefeatsSecondGenerationInhibitorsButNotLorlatinib()
    {
        var entry = AlkResistance.Find("p.Gly1202Arg");

        Assert.NotNull(entry);
        Assert.Equal(23, entry.Exon);
        Assert.Equal(["crizotinib", "ceritinib", "alectinib"], entry.ResistantTo);
        Assert.Equal(["lorlatinib"], entry.SensitiveTo);
    }

    [Fact]
    public void Table_HoldsEveryMutationOfGenomicsMdSection3()
    {
        string[] expected =
        [
            "T1151_L1152insT", "L1152P", "L1152R", "C1156Y", "C1156T", "I1171N", "I1171T", "I1171S", "F1174C", "F1174L", "F1174V",
            "V1180L", "L1196M", "L1198F", "G1202R", "G1202del", "D1203N", "S1206C", "S1206Y", "E1210K", "G1269A", "G1269S",
        ];

        Assert.Equal(expected.Order(StringComparer.Ordinal), AlkResistance.All.Select(e => e.Protein).Order(StringComparer.Ordinal));
        Assert.All(AlkResistance.All, e => Assert.NotEmpty(e.ResistantTo));
        Assert.All(AlkResistance.All, e => Assert.Contains(e.Exon, new[] { 22, 23, 25 }));
    }

    [Theory]
    [InlineData("p.Arg1275Gln")]
    [InlineData("p.Gly1202Lys")]
    public void Find_MutationOutsideTheTable_IsNull(string hgvs)
    {
        Assert.Null(AlkResistance.Find(hgvs));
    }
}
