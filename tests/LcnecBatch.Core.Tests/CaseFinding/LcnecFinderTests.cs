using LcnecBatch.Core.CaseFinding;

namespace LcnecBatch.Core.Tests.CaseFinding;

public class LcnecFinderTests
{
    public static TheoryData<string, Assertion?> Texts() => new()
    {
        { "Large cell neuroendocrine carcinoma.", Assertion.Affirmed },
        { "LARGE CELL NEUROENDOCRINE CARCINOMA (LCNEC), see comment.", Assertion.Affirmed },
        { "Large-cell neuroendocrine carcinoma of the right upper lobe.", Assertion.Affirmed },
        { "Consistent with large cell neuroendocrine ca.", Assertion.Affirmed },
        { "High-grade neuroendocrine carcinoma, large cell type.", Assertion.Affirmed },
        { "Neuroendocrine carcinoma, large cell type, involving lymph node.", Assertion.Affirmed },
        { "Combined large cell neuroendocrine carcinoma and adenocarcinoma.", Assertion.Affirmed },
        // WHO: small cell carcinoma combined with LCNEC is combined small cell carcinoma (8045/3), not LCNEC.
        { "Combined small cell carcinoma with a large cell neuroendocrine carcinoma component (30%).", null },
        { "Metastatic LCNEC to the liver.", Assertion.Affirmed },
        { "Diagnostic of large cell neuroendocrine carcinoma.", Assertion.Affirmed },
        { "Negative for small cell carcinoma. Large cell neuroendocrine carcinoma.", Assertion.Affirmed },
        { "Negative for adenocarcinoma, consistent with large cell neuroendocrine carcinoma.", Assertion.Affirmed },
        { "No lymphovascular invasion is identified in this large cell neuroendocrine carcinoma.", Assertion.Affirmed },
        { "History of large cell neuroendocrine carcinoma of the lung; now benign lymph node.", Assertion.Historical },
        { "Negative for large cell neuroendocrine carcinoma.", Assertion.Negated },
        { "No evidence of LCNEC.", Assertion.Negated },
        { "Not consistent with large cell neuroendocrine carcinoma.", Assertion.Negated },
        { "Large cell neuroendocrine carcinoma is excluded by the marker panel.", Assertion.Negated },
        { "Negative for small cell carcinoma, adenocarcinoma and large cell neuroendocrine carcinoma.", Assertion.Negated },
        { "Suspicious for large cell neuroendocrine carcinoma.", Assertion.Uncertain },
        { "Large cell neuroendocrine carcinoma cannot be excluded.", Assertion.Uncertain },
        { "Differential diagnosis includes LCNEC and basaloid squamous cell carcinoma.", Assertion.Uncertain },
        { "Poorly differentiated carcinoma; rule out large cell neuroendocrine carcinoma.", Assertion.Uncertain },
        { "Possible large cell neuroendocrine carcinoma, see comment.", Assertion.Uncertain },
        { "Large cell neuroendocrine carcinoma of the uterine cervix.", Assertion.OtherSite },
        { "Large cell neuroendocrine carcinoma, consistent with colonic primary.", Assertion.OtherSite },
        { "Gastric large cell neuroendocrine carcinoma.", Assertion.OtherSite },
        { "Large cell carcinoma with neuroendocrine morphology.", null },
        { "Atypical carcinoid tumor.", null },
        { "Small cell carcinoma.", null },
        { "Adenocarcinoma with focal neuroendocrine differentiation.", null },
        { "Large cell carcinoma, NOS.", null },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Assess_ReportText_HasTheExpectedAssertion(string text, Assertion? expected)
    {
        Assert.Equal(expected, LcnecFinder.Assess(text)?.Assertion);
    }

    [Fact]
    public void Assess_NegationInOneNumberedDiagnosis_NeverFlipsAnother()
    {
        const string text = "1. Lung, left lower lobe, core biopsy:\n   - Large cell neuroendocrine carcinoma.\n2. Lymph node, station 7:\n   - Negative for large cell neuroendocrine carcinoma.";

        var finding = LcnecFinder.Assess(text);

        Assert.Equal(Assertion.Affirmed, finding?.Assertion);
        var mentions = LcnecFinder.FindMentions(text);
        Assert.Equal([Assertion.Affirmed, Assertion.Negated], mentions.Select(m => m.Assertion));
        Assert.Equal("Negative for", mentions[1].Cue);
    }

    [Theory]
    [InlineData("8013/3", "C34.1", Assertion.Affirmed)]
    [InlineData("8013/3", null, Assertion.Affirmed)]
    [InlineData("8013/3", "C53.9", Assertion.OtherSite)]
    [InlineData("8013/3", "C77.0", Assertion.Affirmed)]
    [InlineData("8012/3", "C34.1", null)]
    public void Assess_IcdO3Codes_WithoutLcnecWording(string morphology, string? topography, Assertion? expected)
    {
        Assert.Equal(expected, LcnecFinder.Assess("Poorly differentiated carcinoma, see synoptic report.", morphology, topography)?.Assertion);
    }

    [Fact]
    public void Assess_TextNamesNonLungPrimary_IsOtherSiteEvenWithTheLcnecCode()
    {
        var finding = LcnecFinder.Assess("Large cell neuroendocrine carcinoma arising in the urinary bladder.", "8013/3", null);

        Assert.Equal(Assertion.OtherSite, finding?.Assertion);
    }

    [Fact]
    public void Assess_MetastasisToANonLungOrganFromLung_StaysPulmonary()
    {
        var finding = LcnecFinder.Assess("Liver, core biopsy: metastatic large cell neuroendocrine carcinoma, consistent with lung primary.", specimenSite: "Liver, segment 6");

        Assert.Equal(Assertion.Affirmed, finding?.Assertion);
    }
}
