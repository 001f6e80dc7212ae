using LcnecBatch.Core.Audit;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;

namespace LcnecBatch.Core.Tests.Audit;

public class AlkPositiveCharacteristicsTests
{
    private static readonly DateOnly Day0 = new(2026, 3, 2);

    /// <summary>
    /// Five ALK-positive LCNEC patients whose figures are known by hand, some values unknown, and three
    /// patients who must not count: a fusion without LCNEC, LCNEC only suspected, and IHC positive but
    /// molecular not detected.
    /// </summary>
    private static ArchiveFolderBuilder Archive()
    {
        var b = new ArchiveFolderBuilder();
        // 1: woman, never smoker, 55 at diagnosis, stage IVB, EML4-ALK v1.
        b.Patient(Day0, "100001", "F", "1970-06-01", "never")
            .Report(Day0.AddDays(1), "100001", "S26-00001", stage: "IVB")
            .AlkIhc(Day0.AddDays(3), "100001", "S26-00001", "positive")
            .Molecular(Day0.AddDays(10), "100001", "M26-00001", "detected", "EML4-ALK fusion (E13:A20)");
        // 2: woman, never smoker, birth date unknown, stage IIIB, EML4-ALK E6:A20 (v3a).
        b.Patient(Day0, "100002", "F", "", "never")
            .Report(Day0.AddDays(2), "100002", "S26-00002", stage: "IIIB")
            .Molecular(Day0.AddDays(12), "100002", "M26-00002", "detected", "EML4-ALK fusion (E6:A20)");
        // 3: man, former smoker, 46, cT3N2M1c (IVB), KIF5B partner, confirmed by RT-PCR.
        b.Patient(Day0, "100003", "M", "1980-01-15", "former")
            .Report(Day0.AddDays(3), "100003", "S26-00003", stage: "cT3N2M1c")
            .Molecular(Day0.AddDays(9), "100003", "M26-00003", "detected", "KIF5B-ALK fusion", "RT-PCR");
        // 4: sex and smoking recorded as unknown, 75, no stage at all, FISH rearrangement without partner.
        b.Patient(Day0, "100004", "U", "1950-12-31", "unknown")
            .Report(Day0.AddDays(4), "100004", "S26-00004", stage: "")
            .Molecular(Day0.AddDays(8), "100004", "M26-00004", "detected", "ALK rearrangement", "FISH");
        // 5: sex left empty, never smoker, 32, "metastatic" in the text (stage IV), EML4 without a variant.
        b.Patient(Day0, "100005", "", "1994-01-01", "never")
            .Report(Day0.AddDays(5), "100005", "S26-00005", "Metastatic large cell neuroendocrine carcinoma of the lung.", "")
            .Molecular(Day0.AddDays(20), "100005", "M26-00005", "detected", "EML4-ALK fusion");
        // Not counted: adenocarcinoma with a fusion; LCNEC only suspected; IHC positive, NGS not detected.
        b.Patient(Day0, "100006", "F", "1960-01-01", "never")
            .Report(Day0.AddDays(1), "100006", "S26-00006", "Lung adenocarcinoma, acinar predominant.")
            .Molecular(Day0.AddDays(9), "100006", "M26-00006", "detected", "EML4-ALK fusion (E20:A20)");
        b.Patient(Day0, "100007", "F", "1960-01-01", "never")
            .Report(Day0.AddDays(1), "100007", "S26-00007", "Suspicious for large cell neuroendocrine carcinoma.")
            .Molecular(Day0.AddDays(9), "100007", "M26-00007", "detected", "EML4-ALK fusion (E13:A20)");
        b.Patient(Day0, "100008", "M", "1955-05-05", "current")
            .Report(Day0.AddDays(1), "100008", "S26-00008")
            .AlkIhc(Day0.AddDays(4), "100008", "S26-00008", "positive", "5A4")
            .Molecular(Day0.AddDays(11), "100008", "M26-00008", "not_detected");
        b.Night(Day0.AddDays(40));
        return b;
    }

    [Fact]
    public void Audit_AlkPositiveLcnec_ComputesEveryFigureWithKnownValueDenominators()
    {
        using var archive = Archive();

        var result = AuditRun.Run(new FolderBatchArchive(archive.Build()), new AuditRequest(null, null, new ScreeningOptions()));
        var c = result.Figures.AlkPositiveCharacteristics;

        Assert.Equal(5, c.N);
        Assert.Equal(new Proportion(2, 3), c.Female);
        Assert.Equal(new Proportion(3, 4), c.NeverSmoker);
        Assert.Equal(new Proportion(3, 4), c.StageIV);
        Assert.Equal(new AgeSummary(4, 50.5, 52.0, 32, 75), c.Age);
        Assert.Equal(new Dictionary<string, int> { ["EML4"] = 3, ["KIF5B"] = 1, ["unspecified"] = 1 }, c.Partners.ToDictionary());
        Assert.Equal(["EML4", "KIF5B", "unspecified"], c.Partners.Select(p => p.Key));
        Assert.Equal(new Dictionary<string, int> { ["v1"] = 1, ["v3a"] = 1, ["unspecified"] = 1 }, c.Variants.ToDictionary());
        Assert.Equal(6, result.Figures.LcnecPatients);
        Assert.Equal(5, result.Figures.AlkConfirmed);
        Assert.Equal(1, result.Figures.UncertainLcnecPatients);
    }

    [Fact]
    public void AuditJson_AlkPositiveCharacteristics_WritesCountOfAndAgeFigures()
    {
        using var archive = Archive();
        var result = AuditRun.Run(new FolderBatchArchive(archive.Build()), new AuditRequest(null, null, new ScreeningOptions()));

        using var json = System.Text.Json.JsonDocument.Parse(AuditJson.ToUtf8(result.Figures));
        var c = json.RootElement.GetProperty("alkPositiveCharacteristics");

        Assert.Equal(5, c.GetProperty("n").GetInt32());
        Assert.Equal((2, 3), (c.GetProperty("female").GetProperty("count").GetInt32(), c.GetProperty("female").GetProperty("of").GetInt32()));
        Assert.Equal((3, 4), (c.GetProperty("neverSmoker").GetProperty("count").GetInt32(), c.GetProperty("neverSmoker").GetProperty("of").GetInt32()));
        Assert.Equal((3, 4), (c.GetProperty("stageIV").GetProperty("count").GetInt32(), c.GetProperty("stageIV").GetProperty("of").GetInt32()));
        var age = c.GetProperty("age");
        Assert.Equal((50.5, 52.0, 32, 75), (age.GetProperty("median").GetDouble(), age.GetProperty("mean").GetDouble(), age.GetProperty("min").GetInt32(), age.GetProperty("max").GetInt32()));
        Assert.Equal(1, c.GetProperty("partners").GetProperty("unspecified").GetInt32());
        Assert.Equal(1, c.GetProperty("variants").GetProperty("v3a").GetInt32());
    }

    [Fact]
    public void Audit_NoAlkPositivePatient_GivesZeroDenominatorsAndNullAges()
    {
        var c = AlkPositiveCharacteristics.Of([]);

        Assert.Equal(0, c.N);
        Assert.Equal(new Proportion(0, 0), c.Female);
        Assert.Null(c.Female.Percent);
        Assert.Equal(new AgeSummary(0, null, null, null, null), c.Age);
        Assert.Empty(c.Partners);
    }

    [Theory]
    [InlineData("EML4-ALK fusion (E13:A20)", "v1")]
    [InlineData("EML4-ALK fusion (E20:A20)", "v2")]
    [InlineData("EML4-ALK E6;A20", "v3a")]
    [InlineData("EML4-ALK fusion (E6b:A20)", "v3b")]
    [InlineData("EML4-ALK E14;ins11del49A20", "v4")]
    [InlineData("EML4-ALK fusion (E2:A20)", "v5a")]
    [InlineData("EML4-ALK fusion (E21:A20)", "E21;A20")]
    [InlineData("EML4-ALK variant 3", "v3")]
    [InlineData("EML4-ALK fusion", null)]
    [InlineData("", null)]
    public void EmlAlkVariantOf_AlterationText_NamesTheVariant(string alteration, string? variant)
    {
        Assert.Equal(variant, AuditCase.EmlAlkVariantOf(alteration));
    }

    [Theory]
    [InlineData(new int[0], null, null)]
    [InlineData(new[] { 7 }, 7.0, 7.0)]
    [InlineData(new[] { 1, 2, 3, 4 }, 2.5, 3.7)]
    [InlineData(new[] { 10, 0, 5, 20, 15, 30, 25, 40, 35, 45 }, 22.5, 40.5)]
    public void DayDistribution_Of_UsesLinearPercentiles(int[] days, double? median, double? p90)
    {
        var d = DayDistribution.Of(days);

        Assert.Equal((days.Length, median, p90), (d.N, d.Median, d.P90));
    }
}
