namespace LcnecBatch.Core.Genomics;

/// <summary>
/// Short variants (EML4 breaks before the TAPE β-propeller: v3a/b, v5a/b) keep only the coiled-coil; long ones keep
/// a partial, misfolded TAPE domain and depend more on HSP90. Per-variant assignment is uncertain (genomics.md 2.4).
/// </summary>
public enum AlkVariantClass
{
    Short,
    Long,
}

/// <summary>
/// An EML4–ALK variant: its name when the literature gives one (v1, v3b, …), the junction notation
/// (<c>E13;A20</c>, <c>E14;ins11del49A20</c>) and the short/long class.
/// </summary>
public sealed record EmlAlkVariant(string? Name, string Notation, AlkVariantClass? Class)
{
    // Deleted and inserted base counts are tolerated this far off: callers shift junctions by microhomology.
    private const int Tolerance = AlkLocus.JunctionTolerance;

    /// <summary>The variants of genomics.md 2.4: EML4 exon, bases lost from its end, bases inserted, bases lost from ALK exon 20.</summary>
    private static readonly (string Name, string Eml4Exon, int Eml4Deleted, int Inserted, int AlkDeleted, string Notation)[] Known =
    [
        ("v1", "13", 0, 0, 0, "E13;A20"),
        ("v2", "20", 0, 0, 0, "E20;A20"),
        ("v3a", "6", 0, 0, 0, "E6a;A20"),
        ("v3b", "6b", 0, 0, 0, "E6b;A20"),
        ("v4", "14", 0, 11, 49, "E14;ins11del49A20"),
        ("v5a", "2", 0, 0, 0, "E2;A20"),
        ("v5b", "2", 0, 117, 0, "E2;ins117A20"),
        ("v5′", "18", 0, 0, 0, "E18;A20"),
        ("v6", "13", 0, 69, 0, "E13;ins69A20"),
        ("v7", "14", 0, 0, 12, "E14;del12A20"),
        ("v8a", "17", 0, 30, 0, "E17;ins30A20"),
        ("v8b", "17", 0, 61, 0, "E17;ins61A20"),
        ("v4′", "15", 19, 0, 20, "E15del19;del20A20"),
    ];

    /// <summary>
    /// The variant for a junction given by exon: EML4 exon label ("13", "6b"), ALK exon, and the bases lost or
    /// inserted at the junction when known. Unnamed junctions get a notation and the class their EML4 exon implies.
    /// </summary>
    public static EmlAlkVariant FromExons(string eml4Exon, int alkExon, int eml4Deleted = 0, int inserted = 0, int alkDeleted = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eml4Exon);
        var label = eml4Exon.Trim().TrimStart('E', 'e').ToLowerInvariant();
        label = label == "6a" ? "6" : label;
        if (alkExon == 20)
        {
            foreach (var known in Known)
            {
                if (known.Eml4Exon == label && Near(eml4Deleted, known.Eml4Deleted) && Near(inserted, known.Inserted) && Near(alkDeleted, known.AlkDeleted))
                {
                    return new EmlAlkVariant(known.Name, known.Notation, ClassOf(label));
                }
            }
        }
        var notation = $"E{label}{(eml4Deleted > 0 ? $"del{eml4Deleted}" : string.Empty)};"
            + $"{(inserted > 0 ? $"ins{inserted}" : string.Empty)}{(alkDeleted > 0 ? $"del{alkDeleted}" : string.Empty)}A{alkExon}";
        return new EmlAlkVariant(null, notation, ClassOf(label));
    }

    /// <summary>
    /// The variant for a junction given by coordinates on <paramref name="build"/>: the last EML4 base kept and the
    /// first ALK base kept (RNA junctions, or DNA breakpoints in introns), plus any non-template bases between them.
    /// Null when either position is outside its gene.
    /// </summary>
    public static EmlAlkVariant? FromBreakpoints(GenomeBuild build, long eml4Position, long alkPosition, int inserted = 0)
    {
        var eml4 = GeneModel.Eml4(build);
        var alk = GeneModel.Alk(build);
        if (eml4.LastExonKept(eml4Position) is not { } eml4Exon || alk.FirstExonKept(alkPosition) is not { } alkExon)
        {
            return null;
        }
        var label = eml4Exon.Label;
        var eml4Deleted = 0;
        if (eml4Exon.Contains(eml4Position))
        {
            eml4Deleted = (int)(eml4Exon.End - eml4Position);
        }
        else if (eml4Exon.Label == "6")
        {
            // A DNA break in intron 6 splices to exon 6 (v3a) and, when it lies past the cryptic exon 6b, to 6b too (v3b).
            var exon6b = eml4.Exons.Single(e => e.Label == "6b");
            if (Math.Abs(eml4Position - exon6b.End) <= Tolerance)
            {
                label = "6b";
            }
            else if (eml4Position > exon6b.End)
            {
                return new EmlAlkVariant(alkExon.Number == 20 ? "v3a/v3b" : null, $"E6a/b;A{alkExon.Number}", AlkVariantClass.Short);
            }
        }
        var alkDeleted = alkExon.Contains(alkPosition) ? (int)(alkExon.End - alkPosition) : 0;
        // Shifts within the tolerance are microhomology, not deletions: they do not belong in the notation.
        return FromExons(label, alkExon.Number, eml4Deleted > Tolerance ? eml4Deleted : 0, inserted, alkDeleted > Tolerance ? alkDeleted : 0);
    }

    /// <summary>
    /// The variant a report names ("v1", "variant 3a", "V3a/b"), or null for a name genomics.md 2.4 does not list.
    /// "v3" and "v3a/b" are one genomic event (v3a and v3b come from one intron-6 break); "v5" is v5a or v5b.
    /// </summary>
    public static EmlAlkVariant? FromName(string? name)
    {
        var label = (name ?? string.Empty).Trim().ToLowerInvariant().Replace("variant", string.Empty, StringComparison.Ordinal)
            .Replace(" ", string.Empty, StringComparison.Ordinal).TrimStart('v').Replace('\'', '′');
        switch (label)
        {
            case "3" or "3a/b" or "3ab" or "3a/3b" or "3a/v3b":
                return new EmlAlkVariant("v3a/v3b", "E6a/b;A20", AlkVariantClass.Short);
            case "5" or "5a/b":
                return new EmlAlkVariant("v5a/v5b", "E2;A20", AlkVariantClass.Short);
        }
        foreach (var known in Known)
        {
            if (known.Name == "v" + label)
            {
                return new EmlAlkVariant(known.Name, known.Notation, ClassOf(known.Eml4Exon));
            }
        }
        return null;
    }

    private static bool Near(int actual, int expected) => Math.Abs(actual - expected) <= Tolerance;

    // Exons 1–6 end before the TAPE domain (HELP motif from residue ~255); exon 6 ends at c.667.
    private static AlkVariantClass? ClassOf(string label) =>
        int.TryParse(label.TrimEnd('a', 'b'), out var number) ? number <= 6 ? AlkVariantClass.Short : AlkVariantClass.Long : null;
}
