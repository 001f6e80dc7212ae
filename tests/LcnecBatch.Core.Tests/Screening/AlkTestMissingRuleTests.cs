using LcnecBatch.Core.Events;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Screening;

public class AlkTestMissingRuleTests
{
    private const string Rule = "ALK_TEST_MISSING";
    private static readonly DateOnly Dx = PatientBuilder.Day0;

    [Theory]
    [InlineData(14, false)]
    [InlineData(15, true)]
    [InlineData(16, true)]
    public void Screen_AdvancedLcnecUntested_FiresOnlyAfterTheGraceWindow(int daysAfterDiagnosis, bool fires)
    {
        var alerts = new PatientBuilder().Demographics().Report(Dx).Screen(Dx.AddDays(daysAfterDiagnosis), Rule);

        Assert.Equal(fires, alerts.Count == 1);
        if (fires)
        {
            Assert.Equal(Dx.AddDays(14), alerts[0].Finding.DueSince);
            Assert.Equal("S26-00001", alerts[0].Subject);
            Assert.Equal(Severity.Medium, alerts[0].Finding.Severity);
        }
    }

    [Theory]
    [InlineData(-91, true)]
    [InlineData(-90, false)]
    [InlineData(0, false)]
    [InlineData(20, false)]
    public void Screen_AlkTestAroundDiagnosis_CountsFromTheLookbackWindowOn(int testDay, bool fires)
    {
        var alerts = new PatientBuilder().Demographics().Report(Dx)
            .AlkIhc(Dx.AddDays(testDay), IhcResult.Negative, accession: "S25-00009", known: Dx.AddDays(Math.Min(testDay, 20)))
            .Screen(Dx.AddDays(20), Rule);

        Assert.Equal(fires, alerts.Count == 1);
    }

    [Fact]
    public void Screen_TestArrivesLater_ResolvesFromTheBatchThatDeliversIt()
    {
        var patient = new PatientBuilder().Demographics().Report(Dx).AlkIhc(Dx.AddDays(18), IhcResult.Negative, known: Dx.AddDays(20));

        Assert.Single(patient.Screen(Dx.AddDays(19), Rule));
        Assert.Single(patient.Screen(Dx.AddDays(19), Rule));
        Assert.Empty(patient.Screen(Dx.AddDays(20), Rule));
    }

    [Theory]
    [InlineData(IhcResult.NotEvaluable, true)]
    [InlineData(IhcResult.Equivocal, false)]
    public void Screen_NotEvaluableIhc_IsNoTest(IhcResult result, bool fires)
    {
        var alerts = new PatientBuilder().Demographics().Report(Dx).AlkIhc(Dx.AddDays(2), result).Screen(Dx.AddDays(30), Rule);

        Assert.Equal(fires, alerts.Count == 1);
    }

    [Theory]
    [InlineData(MolecularResult.Failed, true)]
    [InlineData(MolecularResult.Indeterminate, true)]
    [InlineData(MolecularResult.NotDetected, false)]
    public void Screen_FailedOrIndeterminateMolecular_IsNoTest(MolecularResult result, bool fires)
    {
        var alerts = new PatientBuilder().Demographics().Report(Dx).Molecular(Dx.AddDays(2), result).Screen(Dx.AddDays(30), Rule);

        Assert.Equal(fires, alerts.Count == 1);
    }

    [Fact]
    public void Screen_FusionCapableRawNgsFileForOneOfThePatientsAccessions_CountsAsATest()
    {
        var alerts = new PatientBuilder().Demographics().Report(Dx).RawFile(Dx.AddDays(5), "S26-00001", kind: RawNgsKind.StarFusion).Screen(Dx.AddDays(30), Rule);

        Assert.Empty(alerts);
    }

    [Theory]
    [InlineData("IB", null, false)]
    [InlineData("IIIA", null, true)]
    [InlineData("stage IVA", null, true)]
    [InlineData("Stage 4", null, true)]
    [InlineData("cT3N2M1c", null, true)]
    [InlineData("pT2aN0", null, false)]
    [InlineData("pT4N0M0", null, true)]
    [InlineData("pT1bN2", null, true)]
    [InlineData(null, "Metastatic large cell neuroendocrine carcinoma.", true)]
    [InlineData(null, "Large cell neuroendocrine carcinoma. Lymph node negative for metastatic carcinoma.", false)]
    [InlineData(null, "Large cell neuroendocrine carcinoma.", false)]
    public void Screen_StageDecidesAdvanced(string? stage, string? diagnosis, bool fires)
    {
        var alerts = new PatientBuilder().Demographics()
            .Report(Dx, diagnosis ?? "Large cell neuroendocrine carcinoma.", stage)
            .Screen(Dx.AddDays(30), Rule);

        Assert.Equal(fires, alerts.Count == 1);
    }

    [Fact]
    public void Screen_UnknownStageIsAdvancedWhenConfigured()
    {
        var options = new ScreeningOptions { UnknownStageIsAdvanced = true };

        var alerts = new PatientBuilder().Demographics().Report(Dx, stage: null).Screen(Dx.AddDays(30), Rule, options);

        Assert.Single(alerts);
    }

    [Theory]
    [InlineData("Negative for large cell neuroendocrine carcinoma.")]
    [InlineData("Suspicious for large cell neuroendocrine carcinoma.")]
    [InlineData("Large cell carcinoma with neuroendocrine morphology.")]
    [InlineData("Small cell carcinoma.")]
    [InlineData("Large cell neuroendocrine carcinoma of the uterine cervix.")]
    public void Screen_NotAffirmedPulmonaryLcnec_RaisesNothing(string diagnosis)
    {
        var alerts = new PatientBuilder().Demographics().Report(Dx, diagnosis).Screen(Dx.AddDays(30));

        Assert.Empty(alerts);
    }

    [Fact]
    public void Screen_IcdO3CodeWithoutWording_IsLcnec()
    {
        var alerts = new PatientBuilder().Demographics()
            .Report(Dx, "Poorly differentiated carcinoma with neuroendocrine markers; see synoptic.", morphology: "8013/3", topography: "C34.1")
            .Screen(Dx.AddDays(30), Rule);

        Assert.Single(alerts);
    }

    [Theory]
    [InlineData(Sex.Female, SmokingStatus.Current, 1950, Severity.High)]
    [InlineData(Sex.Male, SmokingStatus.Never, 1950, Severity.High)]
    [InlineData(Sex.Male, SmokingStatus.Current, 1970, Severity.High)]
    [InlineData(Sex.Male, SmokingStatus.Current, 1960, Severity.Medium)]
    [InlineData(null, null, 1950, Severity.Medium)]
    public void Screen_HighPriorFeatures_MakeItHighSeverity(Sex? sex, SmokingStatus? smoking, int birthYear, Severity expected)
    {
        var alert = Assert.Single(new PatientBuilder().Demographics(sex, smoking, new DateOnly(birthYear, 3, 1)).Report(Dx).Screen(Dx.AddDays(30), Rule));

        Assert.Equal(expected, alert.Finding.Severity);
    }

    [Fact]
    public void Screen_DiagnosisEvidence_CarriesSourceLineAssertionAndSpan()
    {
        const string report = "1. Lung, RUL, core biopsy:\n   - Consistent with large cell neuroendocrine carcinoma.\n2. Lymph node: negative for carcinoma.";
        var alert = Assert.Single(new PatientBuilder().Demographics().Report(Dx, report).Screen(Dx.AddDays(30), Rule));

        var diagnosis = alert.Finding.Evidence.Single(e => e.Kind == "diagnosis");
        Assert.Equal("2026-01-05/pathology_reports.csv", diagnosis.Source.File);
        Assert.Equal(3, diagnosis.Source.Line);
        Assert.Equal("affirmed", diagnosis.Assertion);
        Assert.Equal("consistent with", diagnosis.Cue, ignoreCase: true);
        Assert.Equal("Consistent with large cell neuroendocrine carcinoma.", diagnosis.Text);
        Assert.Equal((report.IndexOf("large cell", StringComparison.Ordinal), "large cell neuroendocrine carcinoma".Length), diagnosis.Span);
        Assert.Contains(alert.Finding.Evidence, e => e.Kind == "stage");
    }
}
