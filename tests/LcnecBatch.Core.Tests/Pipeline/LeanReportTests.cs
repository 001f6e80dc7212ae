using LcnecBatch.Core.Events;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Timeline;

namespace LcnecBatch.Core.Tests.Pipeline;

/// <summary>
/// Issue 19, bounded memory: the timeline store keeps a report that says nothing about LCNEC without its text (most
/// reports of a lab, and most of what a store of every patient holds), with the answers screening reads from that text.
/// </summary>
public sealed class LeanReportTests
{
    private static readonly DateOnly Day0 = new(2026, 3, 2);

    private static PathologyReported Report(string text, bool addendum = false, string site = "Lung, right upper lobe", int day = 0) => new()
    {
        KnownOn = Day0.AddDays(day),
        Source = new SourceRef($"{Day0.AddDays(day):yyyy-MM-dd}/pathology_reports.csv", 2),
        Mrn = "100001",
        Accession = "S26-00001",
        ReportDate = Day0,
        FinalDiagnosis = text,
        SpecimenSite = site,
        Stage = "pT2a N0",
        Addendum = addendum,
    };

    private static PathologyReported Stored(PathologyReported report)
    {
        var store = new TimelineStore();
        Assert.True(store.Add(report));
        return Assert.Single(store.Timeline(report.Mrn, DateOnly.MaxValue)!.Reports);
    }

    [Fact]
    public void Add_ReportSayingNothingOfLcnec_IsKeptWithoutItsTextAsTheSameFact()
    {
        var report = Report("FINAL DIAGNOSIS:\nLung, right upper lobe, core biopsy: Invasive squamous cell carcinoma.");

        var stored = Stored(report);

        Assert.Equal("", stored.FinalDiagnosis);
        Assert.Equal(report.EventId, stored.EventId);
        Assert.Null(PatientFacts.FindingFor(stored));
    }

    [Theory]
    [InlineData("Lung, core biopsy: Large cell neuroendocrine carcinoma.")]
    [InlineData("Lung, core biopsy: Negative for large cell neuroendocrine carcinoma.")]
    [InlineData("Lung, core biopsy: Poorly differentiated carcinoma; LCNEC cannot be excluded.")]
    public void Add_ReportSpeakingOfLcnec_KeepsItsText(string text)
    {
        var stored = Stored(Report(text));

        Assert.Equal(text, stored.FinalDiagnosis);
        Assert.Null(stored.TextTraits);
    }

    [Theory]
    [InlineData("Addendum: the diagnosis is amended to invasive squamous cell carcinoma.", true)]
    [InlineData("Addendum: PD-L1 22C3 tumour proportion score 5%.", true)]
    [InlineData("Lung, wedge: Organizing pneumonia; no tumour seen.", false)]
    [InlineData("Lung, wedge: Metastatic colorectal adenocarcinoma.", false)]
    [InlineData("Lung, wedge: Atypical pneumocytes, see note.", false)]
    public void LeanReport_AnswersAmendingAndStagingQuestionsAsItsTextDid(string text, bool addendum)
    {
        var report = Report(text, addendum);

        var stored = Stored(report);

        Assert.Equal("", stored.FinalDiagnosis);
        Assert.Equal(ReportVersions.Amends(report), ReportVersions.Amends(stored));
        Assert.Equal(ReportVersions.TraitsOf(report), stored.TextTraits);
        // Whichever version the store keeps, a withdrawn LCNEC stays withdrawn and a detail-only addendum withdraws nothing.
        var original = Report("Lung, core biopsy: Large cell neuroendocrine carcinoma.", site: report.SpecimenSite!);
        Assert.Equal(
            ReportVersions.Diagnosing([original, report], PatientFacts.FindingFor) is null,
            ReportVersions.Diagnosing([original, stored], PatientFacts.FindingFor) is null);
    }

    [Fact]
    public void Add_EarlierDeliveryOfALeanReport_ReplacesTheLaterOneOnce()
    {
        var store = new TimelineStore();
        const string text = "Lung, core biopsy: Invasive adenocarcinoma, acinar predominant.";

        Assert.True(store.Add(Report(text, day: 5)));
        Assert.False(store.Add(Report(text, day: 6)));
        Assert.True(store.Add(Report(text, day: 1)));

        var stored = Assert.Single(store.Timeline("100001", DateOnly.MaxValue)!.Reports);
        Assert.Equal(Day0.AddDays(1), stored.KnownOn);
        Assert.Equal("", stored.FinalDiagnosis);
        Assert.Equal(1, store.EventCount);
    }
}
