using LcnecBatch.Core.Events;
using LcnecBatch.Core.Genomics;

namespace LcnecBatch.Core.Screening;

/// <summary>
/// What a signed-out molecular ALK row says, read once by <see cref="AlkResultClassifier"/> for every rule: does it
/// report a fusion, deny one, or neither (a point mutation, a copy-number gain, expression)?
/// </summary>
public static class AlkAlteration
{
    /// <summary>
    /// The row's finding. A detected row with no alteration text is the export's "rearrangement identified" (screening.md);
    /// a FISH or RT-PCR detection whose text says nothing readable is a rearrangement too, since those assays find nothing else.
    /// </summary>
    public static AlkFinding Read(MolecularResulted row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var finding = AlkResultClassifier.Classify(row.Alteration);
        if (row.Result == MolecularResult.Detected && finding.Kind == AlkAlterationKind.Unknown
            && (string.IsNullOrWhiteSpace(row.Alteration) || row.Method is MolecularMethod.Fish or MolecularMethod.RtPcr))
        {
            return finding with { Kind = AlkAlterationKind.Rearrangement };
        }
        return finding;
    }

    /// <summary>A detected ALK row that says fusion or rearrangement: actionable, and it reports the raw file's fusion.</summary>
    public static bool ReportsFusion(MolecularResulted row) =>
        row is { IsAlk: true, Result: MolecularResult.Detected } && Read(row).IsFusion;

    /// <summary>
    /// A not-detected ALK row that speaks of fusions or of ALK as a whole ("not detected", "no ALK rearrangement"); a
    /// not-detected point mutation or amplification says nothing about a fusion.
    /// </summary>
    public static bool DeniesFusion(MolecularResulted row) =>
        row is { IsAlk: true, Result: MolecularResult.NotDetected }
        && Read(row).Kind is not (AlkAlterationKind.PointMutation or AlkAlterationKind.CopyNumberGain or AlkAlterationKind.ExpressionOnly);

    /// <summary>The row answers "is there an ALK fusion?" either way: an ALK test and a confirmation of IHC.</summary>
    public static bool AnswersFusion(MolecularResulted row) => ReportsFusion(row) || DeniesFusion(row);

    /// <summary>The fusion a detected ALK row reports, as alerts show it; null unless it reports one.</summary>
    public static FusionDetail? Fusion(MolecularResulted row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (!ReportsFusion(row))
        {
            return null;
        }
        var finding = Read(row);
        return new FusionDetail
        {
            Partner = finding.Partner,
            PartnerExon = finding.PartnerExonNumber,
            AlkExon = finding.AlkExon,
            Variant = finding.Variant is { } v ? v.Name ?? v.Notation : null,
            VariantClass = finding.Variant?.Class?.ToString().ToLowerInvariant(),
        };
    }

    /// <summary>Every resistance-table mutation the text names, once each, in the order written.</summary>
    public static IReadOnlyList<AlkResistanceEntry> ResistanceMutations(string? alteration) =>
        [.. AlkResultClassifier.Classify(alteration).ResistanceMutations];

    /// <summary>
    /// Details from the raw file win where they exist (breakpoints, caller, build); the report's exons and variant fill
    /// what the raw call lacks.
    /// </summary>
    public static FusionDetail Merge(FusionDetail reported, FusionDetail? raw)
    {
        ArgumentNullException.ThrowIfNull(reported);
        return raw is null ? reported : raw with
        {
            Partner = raw.Partner ?? reported.Partner,
            PartnerExon = raw.PartnerExon ?? reported.PartnerExon,
            AlkExon = raw.AlkExon ?? reported.AlkExon,
            Variant = raw.Variant ?? reported.Variant,
            VariantClass = raw.VariantClass ?? reported.VariantClass,
        };
    }

    /// <summary>The call of a raw file that best stands for the fusion: partner known first, then the earliest line.</summary>
    public static FusionDetail? Best(IEnumerable<FusionDetail> fusions, string? partner = null) =>
        fusions.Where(f => f.Counts && (partner is null || f.Partner is null || string.Equals(f.Partner, partner, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(f => f.Partner is null ? 1 : 0).ThenBy(f => f.Variant is null ? 1 : 0).ThenBy(f => f.Line)
            .FirstOrDefault();
}
