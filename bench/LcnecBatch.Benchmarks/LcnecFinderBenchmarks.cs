using BenchmarkDotNet.Attributes;
using LcnecBatch.Core.CaseFinding;

namespace LcnecBatch.Benchmarks;

/// <summary>
/// The LCNEC finder on a realistic mix of signed-out reports, 200 to 2,000 characters: one report per
/// operation, so the mean is time per report on one core and the memory column is allocation per report.
/// </summary>
[MemoryDiagnoser]
public class LcnecFinderBenchmarks
{
    private static readonly string[] Diagnoses =
    [
        "Large cell neuroendocrine carcinoma.",
        "Consistent with large-cell neuroendocrine carcinoma; see comment.",
        "Negative for large cell neuroendocrine carcinoma; features of small cell carcinoma.",
        "Suspicious for large cell neuroendocrine carcinoma (limited sample).",
        "Adenocarcinoma, acinar predominant, with focal neuroendocrine differentiation.",
        "Large cell neuroendocrine carcinoma of the uterine cervix.",
        "Squamous cell carcinoma, keratinizing.",
        "History of large cell neuroendocrine carcinoma of the lung; now benign lymph node.",
    ];

    private static readonly string[] Filler =
    [
        "Sections show sheets and nests of large cells with moderate cytoplasm, vesicular chromatin and prominent nucleoli.",
        "Organoid nesting and peripheral palisading are present with rosette-like structures.",
        "Mitoses number more than 10 per 2 mm2 and there is extensive geographic necrosis.",
        "Immunostains: synaptophysin positive, chromogranin focally positive, CD56 positive, INSM1 positive, TTF-1 positive, p40 negative.",
        "Ki-67 proliferation index is approximately 80%.",
        "The bronchial margin is free of tumour; visceral pleural invasion is not identified.",
        "Lymph nodes: station 7 (0/3), station 10R (0/2), station 11R (1/4).",
        "Comment: the case was reviewed at the thoracic tumour board; ALK (D5F3) and PD-L1 (22C3) immunostains are ordered.",
    ];

    private string[] _reports = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20261129);
        _reports = new string[512];
        for (var i = 0; i < _reports.Length; i++)
        {
            var target = random.Next(200, 2001);
            var text = new System.Text.StringBuilder("FINAL DIAGNOSIS:\n1. Lung, right upper lobe, core biopsy:\n   - ");
            text.Append(Diagnoses[random.Next(Diagnoses.Length)]).Append('\n');
            var part = 2;
            while (text.Length < target)
            {
                text.Append(part % 3 == 0 ? $"{part}. Lymph node, station {part + 2}: negative for carcinoma.\n" : Filler[random.Next(Filler.Length)] + " ");
                part++;
            }
            _reports[i] = text.ToString(0, Math.Min(text.Length, 2000));
        }
    }

    [Benchmark(Description = "LcnecFinder.Assess, one report (200-2,000 chars)")]
    public LcnecFinding? AssessOneReport() => LcnecFinder.Assess(_reports[_next++ & 511], "8013/3", "C34.1", "Lung, right upper lobe");
}
