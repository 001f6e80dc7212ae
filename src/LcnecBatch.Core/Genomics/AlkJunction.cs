using System.Globalization;

namespace LcnecBatch.Core.Genomics;

/// <summary>One side of a fusion junction as a file gives it.</summary>
internal readonly record struct JunctionSide(string Contig, long Position)
{
    public bool IsChr2 => AlkLocus.IsChr2(Contig);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{AlkLocus.CanonicalContig(Contig)}:{Position}");
}

/// <summary>A junction as a reader found it, before build, exons and variant are worked out.</summary>
/// <param name="Reciprocal">ALK is the 5′ partner.</param>
/// <param name="AlkExon">An exon number the caller wrote, if any; otherwise it comes from coordinates.</param>
/// <param name="NotCountedReason">Why the call cannot count whatever its caller said (see <see cref="AlkFusionCall.NotCountedReason"/>).</param>
internal sealed record JunctionEvidence(
    JunctionSide Alk,
    JunctionSide? Partner,
    string? PartnerName,
    bool Reciprocal,
    int InsertedBases,
    string Caller,
    bool PassesFilter,
    long Line,
    int? AlkExon = null,
    int? PartnerExon = null,
    string? NotCountedReason = null)
{
    public bool PartnerIsEml4 => string.Equals(PartnerName, "EML4", StringComparison.OrdinalIgnoreCase);

    /// <summary>The only build whose ALK (or EML4) fusion windows these breakpoints fit, or null (always null for a call that cannot count).</summary>
    public GenomeBuild? ImpliedBuild => NotCountedReason is not null ? null :
        AlkLocus.BuildFromAlkBreakpoint(Alk.Position) ?? (PartnerIsEml4 && Partner is { } p ? AlkLocus.BuildFromEml4Breakpoint(p.Position) : null);
}

/// <summary>
/// Turns junctions found by any reader into <see cref="AlkFusionCall"/>s: one build for the file (given, declared,
/// or the only one the breakpoints fit), the exons each side keeps, and the EML4–ALK variant.
/// </summary>
internal static class AlkJunction
{
    public static List<AlkFusionCall> Calls(IReadOnlyCollection<JunctionEvidence> junctions, GenomeBuild? build)
    {
        // Once per file, not once per call: a table of many ALK rows stays linear.
        var fileBuild = build ?? FileBuild(junctions);
        return [.. junctions.Select(j => Call(j, fileBuild))];
    }

    /// <summary>The build every junction that implies one agrees on, or null.</summary>
    public static GenomeBuild? FileBuild(IEnumerable<JunctionEvidence> junctions) =>
        junctions.Select(j => j.ImpliedBuild).OfType<GenomeBuild>().Distinct().ToList() is [var only] ? only : null;

    public static AlkFusionCall Call(JunctionEvidence junction, GenomeBuild? build)
    {
        var (alk, partner, partnerName, reciprocal, insertedBases, caller, passesFilter, line, alkExon, partnerExon, notCounted) = junction;
        var isEml4 = junction.PartnerIsEml4;
        build ??= junction.ImpliedBuild;
        if (build is { } b)
        {
            var model = GeneModel.Alk(b);
            alkExon ??= (reciprocal ? model.LastExonKept(alk.Position) : model.FirstExonKept(alk.Position))?.Number;
            if (isEml4 && partner is { } eml4 && eml4.IsChr2)
            {
                var emlModel = GeneModel.Eml4(b);
                partnerExon ??= (reciprocal ? emlModel.FirstExonKept(eml4.Position) : emlModel.LastExonKept(eml4.Position))?.Number;
            }
        }
        EmlAlkVariant? variant = null;
        if (isEml4 && !reciprocal)
        {
            variant = build is { } vb && partner is { } eml4 && eml4.IsChr2
                ? EmlAlkVariant.FromBreakpoints(vb, eml4.Position, alk.Position, insertedBases)
                : null;
            if (variant is null && partnerExon is { } pe && alkExon is { } ae)
            {
                variant = EmlAlkVariant.FromExons(pe.ToString(CultureInfo.InvariantCulture), ae, inserted: insertedBases);
            }
        }
        return new AlkFusionCall(
            partnerName,
            partner?.ToString(),
            alk.ToString(),
            partnerExon,
            alkExon,
            variant,
            caller,
            build,
            passesFilter && notCounted is null,
            reciprocal,
            line,
            notCounted);
    }

    /// <summary>Gene names from a caller's gene field: comma, semicolon or ampersand lists; intergenic "GENE(distance)" entries left out.</summary>
    public static IEnumerable<string> Genes(string? field) =>
        string.IsNullOrEmpty(field)
            ? []
            : field.Split([',', ';', '&', '/'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(g => !g.Contains('(', StringComparison.Ordinal) && g != ".");

    public static bool IsAlk(string? gene) => string.Equals(gene, "ALK", StringComparison.OrdinalIgnoreCase);
}
