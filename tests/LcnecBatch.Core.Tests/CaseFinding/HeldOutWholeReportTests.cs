using System.Globalization;
using LcnecBatch.Core.CaseFinding;
using Xunit.Abstractions;

namespace LcnecBatch.Core.Tests.CaseFinding;

/// <summary>
/// A second set of 80 whole reports (<c>WholeReportsHeldOut/</c>), written after the finder was tuned on the first set,
/// by a writer who saw neither the finder nor the first set: the honest measure of the finder on reports it was not
/// shaped by. Prints the table and every miss.
/// </summary>
public class HeldOutWholeReportTests(ITestOutputHelper output)
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "CaseFinding", "WholeReportsHeldOut");

    [Fact]
    public void Finder_OnTheHeldOutReports_AffirmsNoReportThatIsNotLcnec_AndFindsTheLcnecOnes()
    {
        var scored = WholeReportCorpus.Load(Folder)
            .Select(r => (Report: r, Finding: LcnecFinder.Assess(r.Text, r.Morphology, r.Topography, r.Site)))
            .Select(s => (s.Report, s.Finding, Predicted: s.Finding?.Assertion.ToWire() ?? "none"))
            .ToList();
        foreach (var label in WholeReportCorpus.Labels)
        {
            var rows = scored.Where(s => s.Report.Label == label).ToList();
            var right = rows.Count(s => WholeReportCorpus.Accepted[label].Contains(s.Predicted));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label,-11} {rows.Count,3} {right,3} {(rows.Count == 0 ? 1 : (double)right / rows.Count),6:F3}"));
        }
        foreach (var miss in scored.Where(s => !WholeReportCorpus.Accepted[s.Report.Label].Contains(s.Predicted)))
        {
            output.WriteLine($"MISS {miss.Report.File}: expected {miss.Report.Label}, got {miss.Predicted} ({miss.Finding?.Mention?.Where}; cue {miss.Finding?.Cue})");
        }

        Assert.Equal(80, scored.Count);
        var falselyAffirmed = scored
            .Where(s => s.Report.Label is "negated" or "uncertain" or "other_site" or "lookalike" or "family" or "none" && s.Predicted is "affirmed" or "historical")
            .Select(s => s.Report.File).ToList();
        var lcnec = scored.Where(s => s.Report.Label is "affirmed").ToList();
        var found = lcnec.Count(s => s.Predicted is "affirmed" or "historical");
        output.WriteLine($"affirmed recall {found}/{lcnec.Count}; falsely affirmed: {falselyAffirmed.Count}");
        Assert.Empty(falselyAffirmed);
        Assert.True(found >= 0.95 * lcnec.Count, $"affirmed recall {found}/{lcnec.Count}");
    }
}
