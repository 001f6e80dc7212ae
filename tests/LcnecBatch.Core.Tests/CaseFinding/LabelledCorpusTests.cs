using System.Globalization;
using LcnecBatch.Core.CaseFinding;
using Xunit.Abstractions;

namespace LcnecBatch.Core.Tests.CaseFinding;

/// <summary>
/// Precision and recall of the finder on report texts written and labelled for this project
/// (<c>Corpus/lcnec-reports.tsv</c>), per assertion class.
/// </summary>
public class LabelledCorpusTests(ITestOutputHelper output)
{
    private sealed record LabelledText(int Line, string Label, string? Morphology, string? Topography, string? Site, string Text);

    private static List<LabelledText> Corpus()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "CaseFinding", "Corpus", "lcnec-reports.tsv");
        var texts = new List<LabelledText>();
        var line = 0;
        foreach (var row in File.ReadLines(path))
        {
            line++;
            if (row.Length == 0 || row.StartsWith('#'))
            {
                continue;
            }
            var cells = row.Split('\t');
            texts.Add(new LabelledText(line, cells[0], Empty(cells[1]), Empty(cells[2]), Empty(cells[3]), cells[4].Replace("\\n", "\n", StringComparison.Ordinal)));
        }
        return texts;

        static string? Empty(string cell) => cell.Length == 0 ? null : cell;
    }

    private static string Predict(LabelledText t) =>
        LcnecFinder.Assess(t.Text, t.Morphology, t.Topography, t.Site)?.Assertion.ToWire() ?? "none";

    private static string Expected(LabelledText t) => t.Label == "lookalike" ? "none" : t.Label;

    [Fact]
    public void Corpus_HasAtLeast150TextsCoveringEveryClass()
    {
        var corpus = Corpus();

        Assert.True(corpus.Count >= 150, $"{corpus.Count} texts");
        foreach (var label in new[] { "affirmed", "historical", "uncertain", "negated", "other_site", "lookalike", "none" })
        {
            Assert.True(corpus.Count(t => t.Label == label) >= 5, $"too few {label} texts");
        }
    }

    [Fact]
    public void Finder_OnTheLabelledCorpus_MeetsTheAccuracyBar()
    {
        var corpus = Corpus();
        var predictions = corpus.Select(t => (Text: t, Expected: Expected(t), Predicted: Predict(t))).ToList();

        output.WriteLine("class        n   precision recall  F1");
        var scores = new Dictionary<string, double>();
        foreach (var label in new[] { "affirmed", "historical", "uncertain", "negated", "other_site", "none" })
        {
            var tp = predictions.Count(p => p.Expected == label && p.Predicted == label);
            var fp = predictions.Count(p => p.Expected != label && p.Predicted == label);
            var fn = predictions.Count(p => p.Expected == label && p.Predicted != label);
            var precision = tp + fp == 0 ? 1 : (double)tp / (tp + fp);
            var recall = tp + fn == 0 ? 1 : (double)tp / (tp + fn);
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            scores[label] = f1;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label,-12} {tp + fn,3}   {precision,6:F3}   {recall,6:F3}  {f1,5:F3}"));
        }
        foreach (var miss in predictions.Where(p => p.Expected != p.Predicted))
        {
            output.WriteLine($"line {miss.Text.Line}: expected {miss.Expected}, got {miss.Predicted}: {miss.Text.Text.Replace('\n', ' ')}");
        }

        var falselyAffirmed = predictions
            .Where(p => p.Text.Label is "negated" or "other_site" or "lookalike" && p.Predicted is "affirmed" or "historical")
            .Select(p => $"line {p.Text.Line}")
            .ToList();
        Assert.Empty(falselyAffirmed);
        Assert.True(scores["affirmed"] >= 0.97, $"affirmed F1 {scores["affirmed"]:F3} < 0.97");
    }
}
