using LcnecBatch.Core.CaseFinding;
using Xunit.Abstractions;

namespace LcnecBatch.Core.Tests.CaseFinding;

/// <summary>Runs only when <c>LCNEC_OUTSIDE_REPORTS</c> names a folder of outside report texts.</summary>
public sealed class OutsideReportsFactAttribute : FactAttribute
{
    public const string Variable = "LCNEC_OUTSIDE_REPORTS";

    public OutsideReportsFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"set {Variable} to a folder of real public report texts (*.txt) to run";
        }
    }
}

/// <summary>
/// The finder on real public pathology reports no one here wrote (not stored in the repository: licence).
/// Nothing is labelled; it prints how many reports each assertion took, and names and evidence of the
/// affirmed and historical ones so that each can be read by hand.
/// </summary>
public class OutsideReportCheck(ITestOutputHelper output)
{
    [OutsideReportsFact]
    public void Finder_OnOutsideReports_PrintsWhatItAffirms()
    {
        var folder = Environment.GetEnvironmentVariable(OutsideReportsFactAttribute.Variable)!;
        Assert.True(Directory.Exists(folder), $"{folder} is not a folder");
        var files = Directory.GetFiles(folder, "*.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);

        var results = files
            .Select(f => (File: Path.GetRelativePath(folder, f), Finding: LcnecFinder.Assess(File.ReadAllText(f))))
            .ToList();

        output.WriteLine($"{results.Count} reports");
        foreach (var group in results.GroupBy(r => r.Finding?.Assertion.ToWire() ?? "none").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{group.Key,-11} {group.Count(),5}");
        }
        foreach (var (file, finding) in results.Where(r => r.Finding?.IsPulmonaryLcnec == true))
        {
            output.WriteLine($"{finding!.Assertion.ToWire()}: {file}: {finding.Basis} \"{finding.Evidence.ReplaceLineEndings(" ")}\" cue \"{finding.Cue}\"");
        }
    }
}
