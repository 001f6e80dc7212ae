using LcnecBatch.Core.Events;
using LcnecBatch.Core.Genomics;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Screening;

/// <summary>Issue 15: words a pathologist would sign, the resistance table's sources, and the care team of the subject.</summary>
public class AlkWordingTests
{
    private static readonly DateOnly Dx = PatientBuilder.Day0;

    private static Finding Unconfirmed(string? clone, IhcResult result = IhcResult.Positive) =>
        Assert.Single(new PatientBuilder().Demographics().Report(Dx).AlkIhc(Dx.AddDays(2), result, clone).Screen(Dx.AddDays(30), "ALK_IHC_UNCONFIRMED")).Finding;

    [Theory]
    [InlineData("D5F3")]
    [InlineData("Ventana ALK (D5F3) CDx")]
    [InlineData("5A4")]
    [InlineData(null)]
    public void Unconfirmed_AnyClone_SaysIhcOverCallsInNeuroendocrineTumoursD5F3Included(string? clone)
    {
        Assert.Contains("IHC over-calls ALK in neuroendocrine tumours with any clone, D5F3 included", Unconfirmed(clone).Recommendation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Ventana ALK (D5F3) CDx", true)]
    [InlineData("D5F3 (OptiView)", true)]
    [InlineData("D5F3", false)]
    [InlineData("5A4", false)]
    public void Unconfirmed_CompanionDiagnostic_OnlyForTheVentanaAssay(string clone, bool companion)
    {
        var text = Unconfirmed(clone).Recommendation;

        Assert.Equal(companion, text.Contains("Ventana ALK (D5F3) CDx assay is a stand-alone companion diagnostic", StringComparison.Ordinal));
        Assert.Equal(!companion, text.Contains("not the companion diagnostic", StringComparison.Ordinal));
    }

    [Fact]
    public void Unconfirmed_Equivocal_StaysEquivocal()
    {
        var finding = Unconfirmed("5A4", IhcResult.Equivocal);

        Assert.Equal("ALK IHC equivocal, not confirmed by a molecular test", finding.Title);
        Assert.StartsWith("ALK IHC equivocal (clone 5A4)", finding.Recommendation, StringComparison.Ordinal);
        Assert.DoesNotContain("positive", finding.Title, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Unconfirmed_MutationOnlyRowAfterTheIhc_IsNoConfirmation()
    {
        var alerts = new PatientBuilder().Demographics().Report(Dx).AlkIhc(Dx.AddDays(2), IhcResult.Positive)
            .Molecular(Dx.AddDays(5), MolecularResult.Detected, alteration: "ALK G1202R")
            .Screen(Dx.AddDays(30), "ALK_IHC_UNCONFIRMED");

        Assert.Single(alerts);
    }

    [Theory]
    [InlineData("ALK G1202del", "G1202del")]
    [InlineData("ALK L1198F", "L1198F")]
    [InlineData("ALK D1203N", "D1203N")]
    public void Resistance_UncertainTableRow_RefersToTheTumourBoardInsteadOfASwitch(string alteration, string protein)
    {
        var alert = Assert.Single(new PatientBuilder().Demographics().Report(Dx)
            .Molecular(Dx.AddDays(8), MolecularResult.Detected, alteration: "EML4-ALK fusion (E13:A20)")
            .Molecular(Dx.AddDays(200), MolecularResult.Detected, alteration: alteration, accession: "M26-00002")
            .Screen(Dx.AddDays(200), "ALK_RESISTANCE_MUTATION"));

        Assert.DoesNotContain("Consider switching", alert.Finding.Recommendation, StringComparison.Ordinal);
        Assert.Contains($"The inhibitor profile of {protein} is uncertain in the reference table: review with the molecular tumour board", alert.Finding.Recommendation, StringComparison.Ordinal);
    }

    [Fact]
    public void Resistance_CorroboratedRow_CitesItsSourcesAndSuggestsTheSwitch()
    {
        var alert = Assert.Single(new PatientBuilder().Demographics().Report(Dx)
            .Molecular(Dx.AddDays(8), MolecularResult.Detected, alteration: "EML4-ALK fusion (E13:A20)")
            .Molecular(Dx.AddDays(200), MolecularResult.Detected, alteration: "ALK p.Gly1202Arg", accession: "M26-00002")
            .Screen(Dx.AddDays(200), "ALK_RESISTANCE_MUTATION"));

        Assert.Contains("G1202R is reported to confer resistance to crizotinib, ceritinib, alectinib, and to remain sensitive to lorlatinib (Lin 2017 Table 2; Gainor 2016", alert.Finding.Recommendation, StringComparison.Ordinal);
        Assert.Contains("Consider switching to lorlatinib.", alert.Finding.Recommendation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ALK F1174L")]
    [InlineData("ALK R1275Q")]
    [InlineData("ALK p.Phe1245Val")]
    public void Resistance_ActivatingMutationWithoutAFusion_IsNoFinding(string alteration)
    {
        var alerts = new PatientBuilder().Demographics().Report(Dx)
            .Molecular(Dx.AddDays(8), MolecularResult.Detected, alteration: alteration)
            .Screen(Dx.AddDays(30));

        Assert.DoesNotContain(alerts, a => a.RuleId is "ALK_RESISTANCE_MUTATION" or "ALK_FUSION_ACTIONABLE");
    }

    [Fact]
    public void ResistanceTable_EveryRowHasAConfidenceAndASource_AndOnlyTheReferenceUncertainRowsAreUncertain()
    {
        Assert.All(AlkResistance.All, e => Assert.False(string.IsNullOrWhiteSpace(e.Source)));
        Assert.Equal(["D1203N", "G1202del", "L1198F"], AlkResistance.All.Where(e => e.IsUncertain).Select(e => e.Protein).Order(StringComparer.Ordinal));
        Assert.Equal(["G1202R", "I1171T", "V1180L"], AlkResistance.All.Where(e => e.Confidence == "corroborated").Select(e => e.Protein).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CareTeam_TheSubjectAccessionsReportOverride_WinsOverTheDiagnosisAndThePatient()
    {
        var alerts = new PatientBuilder().Demographics(careTeam: "thoracic-onc-tj")
            .Report(Dx, careTeam: "diagnosis-team")
            // A re-biopsy under its own accession, whose report routes to another team.
            .Report(Dx.AddDays(150), "Liver, core biopsy: metastatic carcinoma, consistent with the known lung primary.", accession: "M26-00002", careTeam: "liver-clinic")
            .Molecular(Dx.AddDays(8), MolecularResult.Detected, alteration: "EML4-ALK fusion (E13:A20)")
            .Molecular(Dx.AddDays(160), MolecularResult.Detected, alteration: "ALK G1202R", accession: "M26-00002")
            .Screen(Dx.AddDays(160));

        Assert.Equal("liver-clinic", alerts.Single(a => a.RuleId == "ALK_RESISTANCE_MUTATION").CareTeam);
        // The fusion's accession has no report of its own: the diagnosis's team.
        Assert.Equal("diagnosis-team", alerts.Single(a => a.RuleId == "ALK_FUSION_ACTIONABLE").CareTeam);
    }

    [Fact]
    public void CareTeam_IhcOfAnAccessionWithItsOwnTeam_GoesThere()
    {
        var alert = Assert.Single(new PatientBuilder().Demographics(careTeam: "thoracic-onc-tj")
            .Report(Dx)
            .Report(Dx.AddDays(1), "Lymph node, EBUS-TBNA: metastatic carcinoma.", accession: "S26-00009", careTeam: "ebus-team")
            .AlkIhc(Dx.AddDays(2), IhcResult.Positive, accession: "S26-00009")
            .Screen(Dx.AddDays(30), "ALK_IHC_UNCONFIRMED"));

        Assert.Equal("ebus-team", alert.CareTeam);
    }
}
