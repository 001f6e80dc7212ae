using System.Text;

namespace LcnecBatch.Core.Tests.CaseFinding;

/// <summary>
/// Report texts built to make case finding work hard: one endless sentence (no period, no semicolon,
/// no line that starts a new item) packed with LCNEC mentions, ConText cues and organ words, or long
/// gaps between them. Deterministic for a seed. Shared with the benchmarks (linked source).
/// </summary>
public static class HostileReportText
{
    public enum Shape
    {
        /// <summary>Mentions, every cue category, terminators and organ words, interleaved.</summary>
        MentionsAndCues,
        /// <summary>Nothing but LCNEC mentions in their spellings.</summary>
        OnlyMentions,
        /// <summary>Nothing but cues: every segment has triggers and no mention.</summary>
        OnlyCues,
        /// <summary>A few cues and mentions separated by long runs of blanks, very long words and wrapped lines.</summary>
        LongGaps,
        /// <summary>Mentions with organ words and "primary", a non-lung specimen: the other-site checks on every mention.</summary>
        OrganWords,
    }

    private static readonly string[] Mentions =
    [
        "large cell neuroendocrine carcinoma", "LCNEC", "lcnecs", "large-cell neuro-endocrine ca",
        "high grade neuroendocrine carcinoma, possibly large cell type", "large cell type neuroendocrine carcinoma",
        "neuroendocrine carcinoma of large cell type", "large cell neuroendocrine tumour",
    ];

    private static readonly string[] Cues =
    [
        "no", "negative for", "not", "cannot exclude", "possible", "history of", "mother had", "but", "however",
        "suspicious for", "is excluded", "ruled out", "without", "prior", "family history of", "differential diagnosis includes",
    ];

    private static readonly string[] Organs = ["cervix", "of the uterine", "colonic primary", "bladder", "primary", "lung", "metastatic"];

    public static string Build(Shape shape, int length, int seed = 13)
    {
        var random = new Random(seed);
        var text = new StringBuilder(length + 200);
        while (text.Length < length)
        {
            switch (shape)
            {
                case Shape.MentionsAndCues:
                    text.Append(Cues[random.Next(Cues.Length)]).Append(' ');
                    text.Append(Mentions[random.Next(Mentions.Length)]).Append(random.Next(4) == 0 ? ", " : " ");
                    if (random.Next(5) == 0)
                    {
                        text.Append(Organs[random.Next(Organs.Length)]).Append(' ');
                    }
                    break;
                case Shape.OnlyMentions:
                    text.Append(Mentions[random.Next(Mentions.Length)]).Append(' ');
                    break;
                case Shape.OnlyCues:
                    text.Append(Cues[random.Next(Cues.Length)]).Append(' ');
                    break;
                case Shape.LongGaps:
                    // Gaps of a few thousand: long against a scope window of ten words, short enough that a 10 KB text
                    // already holds several of them.
                    text.Append(Cues[random.Next(Cues.Length)]).Append(' ', random.Next(1, 3_000));
                    text.Append('x', random.Next(1, 3_000)).Append("\n  ");
                    for (var i = random.Next(1, 30); i > 0; i--)
                    {
                        text.Append(Mentions[random.Next(Mentions.Length)]).Append(' ');
                    }
                    text.Append("neuroendocrine carcinoma").Append(' ', random.Next(1, 3_000)).Append('\n').Append(' ', random.Next(1, 1_000));
                    break;
                case Shape.OrganWords:
                    text.Append(Mentions[random.Next(Mentions.Length)]).Append(' ');
                    text.Append(Organs[random.Next(Organs.Length)]).Append(' ');
                    break;
            }
        }
        return text.ToString(0, length);
    }

    /// <summary>The specimen site that makes the finder ask whether a tumour belongs to another organ.</summary>
    public static string? SpecimenSite(Shape shape) => shape == Shape.OrganWords ? "Uterine cervix, biopsy" : null;
}
