using System.Text;
using LcnecBatch.Core.CaseFinding;

namespace LcnecBatch.Core.Tests.CaseFinding;

/// <summary>
/// The finder on mutated whole reports (seeded, bounded): line breaks, headers, question marks and boxes inserted,
/// text cut at random places. Whatever the text, it never throws and says the same thing twice. (A term running
/// past its segment's end once threw here.)
/// </summary>
public class FinderFuzzTests
{
    private static readonly string[] Inserts =
    [
        "\n", "\r\n", "\n\n", "?", " ? ", "FINAL DIAGNOSIS:\n", "\nCOMMENT:", "*** ", "[ ] ", "[x] ", ": no", ";", ".", " - ",
        "large cell\nneuroendocrine carcinoma", "LCNEC", "neuroendocrine carcinoma, ", "not ", "mother ", "(", ")", "\t", "A. ",
    ];

    [Fact]
    public void Assess_MutatedWholeReports_NeverThrowsAndIsDeterministic()
    {
        var reports = WholeReportCorpus.Load().Select(r => r.Text).ToList();
        var random = new Random(1414);
        for (var round = 0; round < 1_500; round++)
        {
            var text = new StringBuilder(reports[random.Next(reports.Count)]);
            for (var edits = random.Next(1, 8); edits > 0 && text.Length > 0; edits--)
            {
                var at = random.Next(text.Length);
                switch (random.Next(3))
                {
                    case 0:
                        text.Insert(at, Inserts[random.Next(Inserts.Length)]);
                        break;
                    case 1:
                        text.Remove(at, Math.Min(random.Next(1, 40), text.Length - at));
                        break;
                    default:
                        text.Length = Math.Max(0, at);
                        break;
                }
            }
            var mutated = text.ToString();

            var site = random.Next(4) == 0 ? "Liver, core biopsy" : null;

            var first = LcnecFinder.Assess(mutated, null, null, site);
            var again = LcnecFinder.Assess(mutated, null, null, site);

            Assert.Equal(first, again);
            Assert.Equal(LcnecFinder.SaysMetastatic(mutated), LcnecFinder.SaysMetastatic(mutated));
        }
    }
}
