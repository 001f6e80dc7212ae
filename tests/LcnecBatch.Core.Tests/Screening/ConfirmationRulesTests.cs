using LcnecBatch.Core.Events;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Screening;

public class ConfirmationRulesTests
{
    private static readonly DateOnly Dx = PatientBuilder.Day0;
    private static readonly DateOnly Ihc = Dx.AddDays(5);

    [Theory]
    [InlineData(14, false)]
    [InlineData(15, true)]
    public void Screen_IhcPositiveWithoutConfirmation_RaisesUnconfirmedAfter14Days(int daysAfterIhc, bool fires)
    {
        var alerts = new PatientBuilder().Demographics().Report(Dx, stage: "IB").AlkIhc(Ihc, IhcResult.Positive, "5A4", "S26-00002")
            .Screen(Ihc.AddDays(daysAfterIhc), "ALK_IHC_UNCONFIRMED");

        Assert.Equal(fires, alerts.Count == 1);
        if (fires)
        {
            Assert.Equal("S26-00002", alerts[0].Subject);
            Assert.Equal(Severity.High, alerts[0].Finding.Severity);
            Assert.Equal(Ihc.AddDays(14), alerts[0].Finding.DueSince);
            Assert.Contains("5A4", alerts[0].Finding.Recommendation, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(IhcResult.Equivocal, true)]
    [InlineData(IhcResult.Negative, false)]
    [InlineData(IhcResult.NotEvaluable, false)]
    public void Screen_OnlyPositiveOrEquivocalIhc_NeedsConfirmation(IhcResult result, bool fires)
    {
        var alerts = new PatientBuilder().Demographics().Report(Dx).AlkIhc(Ihc, result).Screen(Ihc.AddDays(30), "ALK_IHC_UNCONFIRMED");

        Assert.Equal(fires, alerts.Count == 1);
    }

    [Theory]
    [InlineData(-1, MolecularResult.NotDetected, true)]
    [InlineData(0, MolecularResult.NotDetected, false)]
    [InlineData(10, MolecularResult.Detected, false)]
    [InlineData(10, MolecularResult.Failed, true)]
    [InlineData(10, MolecularResult.Indeterminate, true)]
    public void Screen_MolecularAnswerOnOrAfterTheIhc_Confirms(int molecularDay, MolecularResult result, bool fires)
    {
        var alerts = new PatientBuilder().Demographics().Report(Dx).AlkIhc(Ihc, IhcResult.Positive)
            .Molecular(Ihc.AddDays(molecularDay), result, MolecularMethod.Fish)
            .Screen(Ihc.AddDays(30), "ALK_IHC_UNCONFIRMED");

        Assert.Equal(fires, alerts.Count == 1);
    }

    [Fact]
    public void Screen_ConfirmationArrives_ResolvesTheUnconfirmedAlert()
    {
        var patient = new PatientBuilder().Demographics().Report(Dx).AlkIhc(Ihc, IhcResult.Positive)
            .Molecular(Ihc.AddDays(20), MolecularResult.Detected, alteration: "EML4-ALK fusion (E13:A20)", known: Ihc.AddDays(22));

        Assert.Single(patient.Screen(Ihc.AddDays(21), "ALK_IHC_UNCONFIRMED"));
        Assert.Empty(patient.Screen(Ihc.AddDays(22), "ALK_IHC_UNCONFIRMED"));
    }

    [Theory]
    [InlineData(14, false)]
    [InlineData(15, true)]
    public void Screen_IhcNegativeHighPrior_RecommendsMolecularAfter14Days(int daysAfterIhc, bool fires)
    {
        var alerts = new PatientBuilder().Demographics(Sex.Female, SmokingStatus.Never).Report(Dx).AlkIhc(Ihc, IhcResult.Negative)
            .Screen(Ihc.AddDays(daysAfterIhc), "ALK_MOLECULAR_RECOMMENDED");

        Assert.Equal(fires, alerts.Count == 1);
        if (fires)
        {
            Assert.Equal(Severity.Medium, alerts[0].Finding.Severity);
            Assert.Equal(Ihc.AddDays(14), alerts[0].Finding.DueSince);
            Assert.Contains("never smoker, female", alerts[0].Finding.Recommendation, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(Sex.Male, SmokingStatus.Current, 1950, "IVB", false)]
    [InlineData(Sex.Male, SmokingStatus.Former, 1975, "IVB", true)]
    [InlineData(Sex.Female, SmokingStatus.Current, 1950, "IB", false)]
    public void Screen_MolecularRecommended_NeedsHighPriorAndAdvanced(Sex sex, SmokingStatus smoking, int birthYear, string stage, bool fires)
    {
        var alerts = new PatientBuilder().Demographics(sex, smoking, new DateOnly(birthYear, 1, 1)).Report(Dx, stage: stage)
            .AlkIhc(Ihc, IhcResult.Negative).Screen(Ihc.AddDays(30), "ALK_MOLECULAR_RECOMMENDED");

        Assert.Equal(fires, alerts.Count == 1);
    }

    [Fact]
    public void Screen_HighPriorFeaturesAreConfigurable()
    {
        var options = new ScreeningOptions { HighPriorFeatures = [HighPriorFeature.NeverSmoker] };

        var alerts = new PatientBuilder().Demographics(Sex.Female, SmokingStatus.Current).Report(Dx).AlkIhc(Ihc, IhcResult.Negative)
            .Screen(Ihc.AddDays(30), "ALK_MOLECULAR_RECOMMENDED", options);

        Assert.Empty(alerts);
    }

    [Fact]
    public void Screen_MolecularDetectedFusion_IsActionableAndCarriesThePartner()
    {
        var alert = Assert.Single(new PatientBuilder().Demographics().Report(Dx)
            .Molecular(Ihc, MolecularResult.Detected, alteration: "EML4-ALK fusion (E6:A20)")
            .Screen(Ihc, "ALK_FUSION_ACTIONABLE"));

        Assert.Equal(Severity.Info, alert.Finding.Severity);
        Assert.Contains("EML4-ALK", alert.Finding.Recommendation, StringComparison.Ordinal);
        Assert.Null(alert.Finding.DueSince);
    }

    [Fact]
    public void Screen_PointMutationOnly_IsNotAnActionableFusion()
    {
        var alerts = new PatientBuilder().Demographics().Report(Dx)
            .Molecular(Ihc, MolecularResult.Detected, alteration: "ALK G1202R").Screen(Ihc, "ALK_FUSION_ACTIONABLE");

        Assert.Empty(alerts);
    }

    [Theory]
    [InlineData(IhcResult.Positive, MolecularResult.NotDetected, true)]
    [InlineData(IhcResult.Negative, MolecularResult.Detected, true)]
    [InlineData(IhcResult.Positive, MolecularResult.Detected, false)]
    [InlineData(IhcResult.Negative, MolecularResult.NotDetected, false)]
    public void Screen_IhcAndMolecularDisagree_IsDiscordant(IhcResult ihc, MolecularResult molecular, bool fires)
    {
        var alerts = new PatientBuilder().Demographics().Report(Dx).AlkIhc(Ihc, ihc).Molecular(Ihc.AddDays(7), molecular)
            .Screen(Ihc.AddDays(7), "ALK_IHC_DISCORDANT");

        Assert.Equal(fires, alerts.Count == 1);
    }

    [Fact]
    public void Options_NegativeWindowOrNoFeatures_AreRefusedWithAClearMessage()
    {
        var options = new ScreeningOptions { TestingGraceDays = -1, HighPriorFeatures = [] };

        var e = Assert.Throws<ArgumentException>(() => options.Validated());

        Assert.Equal("invalid screening options: Screening:TestingGraceDays must be between 0 and 3653 days, not -1; Screening:HighPriorFeatures must name at least one of NeverSmoker, Female, Young", e.Message);
    }
}
