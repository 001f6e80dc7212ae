using LcnecBatch.Core.Genomics;

namespace LcnecBatch.Core.Events;

/// <summary>
/// An ALK fusion as alerts.md shows it (the <c>fusion</c> object): what a raw NGS file or a signed-out report says
/// about it. Unknown parts are null (or empty) and left out of the JSON.
/// </summary>
public sealed record FusionDetail
{
    /// <summary>The other gene (EML4, NPM1, KIF5B, …).</summary>
    public string? Partner { get; init; }

    public int? PartnerExon { get; init; }

    public int? AlkExon { get; init; }

    /// <summary>The EML4–ALK variant name (v1, v3a, …) or, for an unnamed junction, its notation (E14;del12A20).</summary>
    public string? Variant { get; init; }

    /// <summary>short or long (EML4–ALK only).</summary>
    public string? VariantClass { get; init; }

    /// <summary>The tool that called it (arriba, star-fusion, manta, …); null for a signed-out report.</summary>
    public string? Caller { get; init; }

    /// <summary><c>chrN:position</c>, 5′ partner first.</summary>
    public IReadOnlyList<string> Breakpoints { get; init; } = [];

    public string? Build { get; init; }

    /// <summary>The caller's own filter passed (VCF FILTER PASS or "."; fusion tables keep only calls above the configured thresholds).</summary>
    public bool PassesFilter { get; init; } = true;

    /// <summary>ALK is the 5′ gene: the kinase domain is not in the product (ALK–PTPN3). Reported, never counted as a fusion.</summary>
    public bool IsReciprocal { get; init; }

    /// <summary>The line of the call in its file, for evidence (0 when not from a file).</summary>
    public long Line { get; init; }

    /// <summary>A fusion that keeps ALK's kinase domain and that its caller let through: the only kind a rule acts on.</summary>
    public bool Counts => PassesFilter && !IsReciprocal;

    /// <summary>"EML4-ALK" or "ALK rearrangement (partner unknown)".</summary>
    public string Name => Partner is null ? "ALK rearrangement (partner unknown)" : $"{Partner}-ALK";

    /// <summary>"EML4-ALK v1 (long), E13;A20" — the words a clinician reads.</summary>
    public string Describe()
    {
        var text = Name;
        if (Variant is not null)
        {
            text += $" variant {Variant}";
        }
        if (VariantClass is not null)
        {
            text += $" ({VariantClass})";
        }
        if (PartnerExon is { } pe && AlkExon is { } ae)
        {
            text += $", {Partner ?? "partner"} exon {pe} to ALK exon {ae}";
        }
        return text;
    }

    // Value equality, the breakpoints included: a fact read back from storage equals the fact written.
    public bool Equals(FusionDetail? other) =>
        other is not null && Partner == other.Partner && PartnerExon == other.PartnerExon && AlkExon == other.AlkExon
        && Variant == other.Variant && VariantClass == other.VariantClass && Caller == other.Caller && Build == other.Build
        && PassesFilter == other.PassesFilter && IsReciprocal == other.IsReciprocal && Line == other.Line
        && Breakpoints.SequenceEqual(other.Breakpoints, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Partner, Variant, Line, Breakpoints.Count);

    /// <summary>The scanner's call in the event's terms.</summary>
    public static FusionDetail From(AlkFusionCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new FusionDetail
        {
            Partner = call.Partner,
            PartnerExon = call.PartnerExon,
            AlkExon = call.AlkExon,
            Variant = call.Variant is { } v ? v.Name ?? v.Notation : null,
            VariantClass = call.Variant?.Class?.ToString().ToLowerInvariant(),
            Caller = call.Caller == "vcf" ? null : call.Caller, // "vcf": the file does not name its caller
            Breakpoints = call.Breakpoints,
            Build = call.Build?.ToString(),
            PassesFilter = call.PassesFilter,
            IsReciprocal = call.IsReciprocal,
            Line = call.Line,
        };
    }
}

/// <summary>An ALK kinase-domain resistance mutation (the <c>mutations</c> items of alerts.md).</summary>
public sealed record MutationDetail
{
    /// <summary>One-letter protein change on NM_004304 numbering: G1202R.</summary>
    public required string Protein { get; init; }

    public IReadOnlyList<string> ResistantTo { get; init; } = [];

    public IReadOnlyList<string> SensitiveTo { get; init; } = [];

    /// <summary><c>chr2:29220765</c> when read from a VCF.</summary>
    public string? Position { get; init; }

    public string? Build { get; init; }

    public bool PassesFilter { get; init; } = true;

    /// <summary>The line of the record in its file (0 when not from a file).</summary>
    public long Line { get; init; }

    public bool Equals(MutationDetail? other) =>
        other is not null && Protein == other.Protein && Position == other.Position && Build == other.Build
        && PassesFilter == other.PassesFilter && Line == other.Line
        && ResistantTo.SequenceEqual(other.ResistantTo, StringComparer.Ordinal) && SensitiveTo.SequenceEqual(other.SensitiveTo, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Protein, Position, Line);

    public static MutationDetail From(AlkResistanceMutation mutation)
    {
        ArgumentNullException.ThrowIfNull(mutation);
        return new MutationDetail
        {
            Protein = mutation.Protein,
            ResistantTo = mutation.ResistantTo,
            SensitiveTo = mutation.SensitiveTo,
            Position = mutation.Position,
            Build = mutation.Build?.ToString(),
            PassesFilter = mutation.PassesFilter,
            Line = mutation.Line,
        };
    }

    public static MutationDetail From(AlkResistanceEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new MutationDetail { Protein = entry.Protein, ResistantTo = entry.ResistantTo, SensitiveTo = entry.SensitiveTo };
    }
}
