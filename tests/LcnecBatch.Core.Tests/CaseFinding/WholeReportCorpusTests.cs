using System.Globalization;
using LcnecBatch.Core.CaseFinding;
using Xunit.Abstractions;

namespace LcnecBatch.Core.Tests.CaseFinding;

/// <summary>
/// The finder measured on whole labelled reports (issue 14): per-class precision and recall, every miss,
/// affirmed recall of at least 0.97 and no affirmation of a negated, uncertain, other-site, look-alike or
/// family-history report.
/// </summary>
public class WholeReportCorpusTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, int> MinimumPerLabel = new(StringComparer.Ordinal)
    {
        ["affirmed"] = 65,
        ["historical"] = 15,
        ["negated"] = 32,
        ["uncertain"] = 35,
        ["other_site"] = 32,
        ["lookalike"] = 35,
        ["family"] = 30,
        ["none"] = 10,
    };

    private static readonly string[] Predictions = ["affirmed", "historical", "uncertain", "negated", "other_site", "family", "none"];

    private sealed record Scored(WholeReport Report, string Predicted, LcnecFinding? Finding)
    {
        public bool Right => WholeReportCorpus.Accepted[Report.Label].Contains(Predicted);
    }

    private static List<Scored> Score() =>
        WholeReportCorpus.Load()
            .Select(r =>
            {
                var finding = LcnecFinder.Assess(r.Text, r.Morphology, r.Topography, r.Site);
                return new Scored(r, finding?.Assertion.ToWire() ?? "none", finding);
            })
            .ToList();

    [Fact]
    public void Corpus_EveryFileParsesWithTheRequiredHeaderKeys()
    {
        var reports = WholeReportCorpus.Load();

        Assert.NotEmpty(reports);
        Assert.All(reports, r => Assert.Contains(r.Label, WholeReportCorpus.Labels));
        Assert.All(reports.Where(r => r.Label is "affirmed" or "historical"), r => Assert.False(string.IsNullOrEmpty(r.Section), r.File));
    }

    [Theory]
    [InlineData("001-x.txt", "label: affirmed\nmorphology:\ntopography:\nsite:\ntemplate: t\nwhy: w\nreport with no separator\n")]
    [InlineData("001-x.txt", "label: affirmed\nmorphology:\ntopography:\nsite:\ntemplate: t\nwhy: w\n---\ntext\n")]
    [InlineData("001-x.txt", "label: maybe\nmorphology:\ntopography:\nsite:\ntemplate: t\nwhy: w\n---\ntext\n")]
    [InlineData("001-x.txt", "label: negated\nmorphology:\ntopography:\nsite:\ntemplate: t\n---\ntext\n")]
    [InlineData("001-x.txt", "label: negated\nmorphology:\ntopography:\nsite:\ntemplate: t\nwhy: w\nwhy: again\n---\ntext\n")]
    [InlineData("001-x.txt", "label: negated\nmorphology:\ntopography:\nsite:\ntemplate: t\nwhy: w\nno colon here\n---\ntext\n")]
    [InlineData("001-x.txt", "label: negated\nmorphology:\ntopography:\nsite:\ntemplate: t\nwhy: w\n---\n  \n")]
    [InlineData("report.txt", "label: negated\nmorphology:\ntopography:\nsite:\ntemplate: t\nwhy: w\n---\ntext\n")]
    public void Parse_MalformedFile_FailsLoudly(string file, string content) =>
        Assert.Throws<InvalidDataException>(() => WholeReportCorpus.Parse(file, content));

    [Fact]
    public void Parse_WellFormedFile_KeepsTheReportTextExactly()
    {
        var report = WholeReportCorpus.Parse("007-ok.txt",
            "label: historical\nmorphology: 8013/3\ntopography:\nsite: Lung\nsection: CLINICAL HISTORY\npart:\ntemplate: t\nwhy: w\n---\nLine one\r\nLine two\n");

        Assert.Equal(("historical", "8013/3", null, "Lung", "CLINICAL HISTORY", null), (report.Label, report.Morphology, report.Topography, report.Site, report.Section, report.Part));
        Assert.Equal("Line one\r\nLine two\n", report.Text);
    }

    [Fact]
    public void Corpus_HasTheRequiredNumberOfReportsPerLabel()
    {
        var counts = WholeReportCorpus.Load().GroupBy(r => r.Label).ToDictionary(g => g.Key, g => g.Count());

        foreach (var (label, minimum) in MinimumPerLabel)
        {
            output.WriteLine($"{label,-11} {counts.GetValueOrDefault(label),4}");
            Assert.True(counts.GetValueOrDefault(label) >= minimum, $"{label}: {counts.GetValueOrDefault(label)} < {minimum}");
        }
        Assert.True(counts.Values.Sum() >= 260, $"{counts.Values.Sum()} reports < 260");
    }

    [Fact]
    public void Corpus_HasNoNearDuplicateReports()
    {
        var duplicates = WholeReportCorpus.Load()
            .GroupBy(r => WholeReportCorpus.Skeleton(r.Text), StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => string.Join(" = ", g.Select(r => r.File)))
            .ToList();

        Assert.Empty(duplicates);
    }

    [Fact]
    public void Finder_FindsAffirmedWholeReports_WithRecallOfAtLeast097()
    {
        var scored = Score();
        PrintTable(scored);

        var affirmed = scored.Where(s => s.Report.Label == "affirmed").ToList();
        var found = affirmed.Count(s => s.Predicted is "affirmed" or "historical");
        var recall = (double)found / affirmed.Count;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"affirmed recall {recall:F3} ({found}/{affirmed.Count}; {affirmed.Count(s => s.Predicted == "historical")} of them found as historical)"));
        Assert.True(recall >= 0.97, string.Create(CultureInfo.InvariantCulture, $"affirmed recall {recall:F3} < 0.97"));
    }

    [Fact]
    public void Finder_NeverAffirmsANegatedUncertainOtherSiteLookalikeOrFamilyReport()
    {
        var scored = Score();

        var falselyAffirmed = scored
            .Where(s => s.Report.Label is "negated" or "uncertain" or "other_site" or "lookalike" or "family")
            .Where(s => s.Predicted is "affirmed" or "historical")
            .ToList();
        foreach (var s in falselyAffirmed)
        {
            output.WriteLine($"FALSE {s.Predicted.ToUpperInvariant()}: {s.Report.File} ({s.Report.Label}) evidence: {Evidence(s.Finding)}");
        }
        Assert.True(falselyAffirmed.Count == 0,
            $"{falselyAffirmed.Count} reports falsely affirmed: {string.Join(", ", falselyAffirmed.Select(s => s.Report.File))}");
    }

    private void PrintTable(List<Scored> scored)
    {
        output.WriteLine("label        n  right  recall   | predicted: " + string.Join(" ", Predictions.Select(p => $"{p,10}")));
        foreach (var label in WholeReportCorpus.Labels)
        {
            var rows = scored.Where(s => s.Report.Label == label).ToList();
            var right = rows.Count(s => s.Right);
            var recall = rows.Count == 0 ? 1 : (double)right / rows.Count;
            var spread = string.Join(" ", Predictions.Select(p => $"{rows.Count(s => s.Predicted == p),10}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label,-11}{rows.Count,4} {right,6}  {recall,6:F3}   |            {spread}"));
        }
        output.WriteLine("");
        output.WriteLine("predicted      n  precision (share of these predictions that the report's label accepts)");
        foreach (var prediction in Predictions)
        {
            var rows = scored.Where(s => s.Predicted == prediction).ToList();
            var precision = rows.Count == 0 ? 1 : (double)rows.Count(s => s.Right) / rows.Count;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{prediction,-11}{rows.Count,4}  {precision,6:F3}"));
        }
        output.WriteLine("");
        foreach (var miss in scored.Where(s => !s.Right))
        {
            output.WriteLine($"MISS {miss.Report.File}: expected {miss.Report.Label}, got {miss.Predicted}; evidence: {Evidence(miss.Finding)}");
        }
    }

    private static string Evidence(LcnecFinding? finding) =>
        finding is null ? "-" : $"{finding.Basis} \"{Flatten(finding.Evidence)}\" cue \"{Flatten(finding.Cue ?? "")}\"";

    private static string Flatten(string text)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length > 120 ? flat[..120] + "…" : flat;
    }
}
