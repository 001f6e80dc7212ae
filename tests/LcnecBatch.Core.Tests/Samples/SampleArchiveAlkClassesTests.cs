using LcnecBatch.Core.Genomics;
using LcnecBatch.Core.Synthetic;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Samples;

/// <summary>Issue 15: the sample archive holds signed-out ALK rows of every non-fusion class, and truth says what they do.</summary>
public class SampleArchiveAlkClassesTests
{
    private static readonly TruthFile Truth = TruthFile.Load(Path.Combine(RepositoryRoot.SampleArchive, TruthFile.FileName));

    /// <summary>Detected ALK rows as (mrn, what the classifier reads), from the archive's molecular_results.csv files.</summary>
    private static List<(string Mrn, AlkFinding Finding)> DetectedAlkRows() =>
    [
        .. Directory.GetFiles(RepositoryRoot.SampleArchive, "molecular_results.csv", SearchOption.AllDirectories)
            .SelectMany(File.ReadLines)
            .Where(line => line.Contains(",ALK,detected,", StringComparison.Ordinal))
            .Select(line =>
            {
                var cells = line.Split(',');
                var alteration = line[(line.IndexOf(",ALK,detected,", StringComparison.Ordinal) + 14)..line.LastIndexOf(',')];
                return (cells[1], AlkResultClassifier.Classify(alteration.Trim('"')));
            }),
    ];

    [Theory]
    [InlineData(AlkAlterationKind.PointMutation, "ALK_TEST_MISSING")]
    [InlineData(AlkAlterationKind.CopyNumberGain, "ALK_IHC_UNCONFIRMED")]
    public void Truth_NonFusionRowWithoutAFusion_IsNeitherActionableNorResistance(AlkAlterationKind kind, string stillOpen)
    {
        var patients = DetectedAlkRows().GroupBy(r => r.Mrn).Where(g => g.All(r => r.Finding.Kind == kind)).Select(g => g.Key).ToList();

        var mrn = Assert.Single(patients);
        var alerts = Truth.Cases.Single(c => c.Mrn == mrn).Alerts;
        Assert.DoesNotContain(alerts, a => a.RuleId is "ALK_FUSION_ACTIONABLE" or "ALK_RESISTANCE_MUTATION");
        Assert.Contains(alerts, a => a.RuleId == stillOpen && a.ResolvedOn is null);
    }
}
