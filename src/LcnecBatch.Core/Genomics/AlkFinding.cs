namespace LcnecBatch.Core.Genomics;

/// <summary>What an ALK result says, in the order a molecular pathologist ranks it when one text says several things.</summary>
public enum AlkAlterationKind
{
    /// <summary>An ALK fusion with a named partner (EML4-ALK, KIF5B::ALK, NPM1-ALK).</summary>
    Fusion,

    /// <summary>An ALK rearrangement whose partner is not named (break-apart FISH, "ALK fusion", inv(2), t(2;5)).</summary>
    Rearrangement,

    /// <summary>Sequence variants only (G1202R, p.Gly1269Ala, c.3604G>A, exon 23 deletion): no fusion said or denied.</summary>
    PointMutation,

    /// <summary>Amplification or copy-number gain: not an actionable fusion.</summary>
    CopyNumberGain,

    /// <summary>Protein or mRNA expression only: IHC over-calls ALK in neuroendocrine tumours; not a fusion.</summary>
    ExpressionOnly,

    /// <summary>The text says there is no ALK alteration (wild type, no rearrangement).</summary>
    NoAlteration,

    /// <summary>Nothing the classifier can read (empty, "ALK VUS", "see report").</summary>
    Unknown,
}

/// <summary>One ALK sequence variant a text names, normalised: one-letter protein change, or the c. change when no p. is given.</summary>
/// <param name="Name">G1202R, T1151_L1152insT, G1202del, c.3604G>A, exon 23 deletion.</param>
/// <param name="Resistance">Its row in the resistance table, or null (R1275Q, F1245V and other activating or unlisted changes).</param>
public sealed record AlkSequenceVariant(string Name, AlkResistanceEntry? Resistance);

/// <summary>
/// What one ALK result text says: its class, the fusion's partner, exons and EML4–ALK variant when given, every
/// sequence variant named, and whether it also speaks of copy number or expression. Built by <see cref="AlkResultClassifier"/>.
/// </summary>
public sealed record AlkFinding
{
    public required AlkAlterationKind Kind { get; init; }

    /// <summary>The 5′ partner gene (EML4, KIF5B, NPM1, ...), canonical spelling; null when not named.</summary>
    public string? Partner { get; init; }

    /// <summary>The last partner exon kept, as written: "13", "6a", "6b", "6a/b".</summary>
    public string? PartnerExon { get; init; }

    /// <summary>The first ALK exon kept (20 for nearly every lung fusion).</summary>
    public int? AlkExon { get; init; }

    /// <summary>The EML4–ALK variant (v1, v3a/v3b, E14;del12A20) when the text gives exons or a name.</summary>
    public EmlAlkVariant? Variant { get; init; }

    /// <summary>Every ALK sequence variant named, once each, in the order written.</summary>
    public IReadOnlyList<AlkSequenceVariant> Mutations { get; init; } = [];

    /// <summary>The text (also) reports amplification or a copy-number gain.</summary>
    public bool CopyNumberGain { get; init; }

    /// <summary>The text (also) speaks of ALK expression (protein, mRNA, IHC).</summary>
    public bool Expression { get; init; }

    /// <summary>The text calls its mutations compound (on one allele).</summary>
    public bool SaysCompound { get; init; }

    /// <summary>A fusion or a rearrangement: the only classes that report an ALK fusion.</summary>
    public bool IsFusion => Kind is AlkAlterationKind.Fusion or AlkAlterationKind.Rearrangement;

    /// <summary>More than one class in one text: a fusion with mutations, a fusion with amplification, mutations with a gain.</summary>
    public bool IsMixed => (IsFusion ? 1 : 0) + (Mutations.Count > 0 ? 1 : 0) + (CopyNumberGain ? 1 : 0) > 1;

    /// <summary>Two or more mutations, or one the text calls compound.</summary>
    public bool IsCompound => Mutations.Count > 1 || (SaysCompound && Mutations.Count > 0);

    /// <summary>The mutations that are in the resistance table.</summary>
    public IEnumerable<AlkResistanceEntry> ResistanceMutations => Mutations.Select(m => m.Resistance).OfType<AlkResistanceEntry>();

    /// <summary>The partner exon as a number ("6a" → 6), when there is one.</summary>
    public int? PartnerExonNumber =>
        PartnerExon is { } label && int.TryParse(label.Split('/')[0].TrimEnd('a', 'b'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
}
