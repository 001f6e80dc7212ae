using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Formats.Vcf;

namespace LcnecBatch.Core.Genomics;

/// <summary>The kinds of raw NGS output the scanner reads, told apart by content.</summary>
public enum NgsFileFormat
{
    Vcf,
    Arriba,
    StarFusion,
}

/// <summary>
/// An ALK fusion (or a reciprocal product) found in one file. Breakpoints are <c>chrN:position</c>, 1-based, on
/// <see cref="Build"/>; the ALK one is the first ALK base kept (RNA: exon 20's first base; DNA: a base in the intron).
/// </summary>
/// <param name="Partner">The other gene (EML4, NPM1, …), or null when the file does not say and coordinates cannot.</param>
/// <param name="PartnerBreakpoint">Null for a single breakend, whose other side is unknown.</param>
/// <param name="PartnerExon">The last partner exon kept (first kept, for a reciprocal call), when known.</param>
/// <param name="AlkExon">The first ALK exon kept (last kept, for a reciprocal call), when known.</param>
/// <param name="Variant">For EML4–ALK: the variant name, junction notation and short/long class.</param>
/// <param name="Caller">Lower-case tool name: arriba, star-fusion, fusioncatcher, manta, delly, … or vcf when unknown.</param>
/// <param name="PassesFilter">
/// The caller's own filter passed (VCF FILTER PASS or "."; a fusion table's confidence or FFPM at the threshold), and
/// nothing in <paramref name="NotCountedReason"/>. Dropped calls never appear.
/// </param>
/// <param name="IsReciprocal">ALK is the 5′ partner: its kinase domain is not in the product (ALK–PTPN3); report, do not count as a fusion.</param>
/// <param name="Line">The file line of the call (the first record of a breakend pair), for evidence.</param>
/// <param name="NotCountedReason">
/// Why a call its caller may have passed does not count: a filter value that is missing or not a finite number, a
/// breakpoint off its contig. Such a call has <paramref name="PassesFilter"/> false. Null otherwise.
/// </param>
public sealed record AlkFusionCall(
    string? Partner,
    string? PartnerBreakpoint,
    string AlkBreakpoint,
    int? PartnerExon,
    int? AlkExon,
    EmlAlkVariant? Variant,
    string Caller,
    GenomeBuild? Build,
    bool PassesFilter,
    bool IsReciprocal,
    long Line,
    string? NotCountedReason = null)
{
    /// <summary>The breakpoints 5′ partner first, as alerts show them.</summary>
    public IReadOnlyList<string> Breakpoints =>
        PartnerBreakpoint is null ? [AlkBreakpoint] : IsReciprocal ? [AlkBreakpoint, PartnerBreakpoint] : [PartnerBreakpoint, AlkBreakpoint];
}

/// <summary>An ALK kinase-domain mutation from the resistance table, with the inhibitors it defeats.</summary>
/// <param name="Protein">One-letter protein change on NM_004304 numbering: G1202R, T1151_L1152insT.</param>
/// <param name="Position">Where the variant is: <c>chr2:29420542</c>.</param>
public sealed record AlkResistanceMutation(
    string Protein,
    IReadOnlyList<string> ResistantTo,
    IReadOnlyList<string> SensitiveTo,
    int Exon,
    string Position,
    string Ref,
    string Alt,
    GenomeBuild? Build,
    bool PassesFilter,
    long Line);

/// <summary>
/// What one NGS file holds about ALK, or why it could not be read. A failed scan has <see cref="Failure"/> set
/// (line and reason for the quarantine sidecar; the reason names the column when there is one) and reports
/// nothing found: a file read halfway is not evidence of absence.
/// </summary>
/// <param name="Accession">The accession the file name carries (<c>{accession}.vcf.gz</c>), or null.</param>
/// <param name="SampleNames">VCF sample columns, in order. Identifiers: never put them in a log or an error.</param>
/// <param name="RecordsRead">Records (VCF) or rows (fusion tables) read.</param>
/// <param name="CallsFilteredOut">ALK calls dropped by the options' filters (low Arriba confidence, low FFPM, FILTER).</param>
public sealed record AlkNgsScan(
    string FileName,
    string? Accession,
    NgsFileFormat? Format,
    NgsCompression Compression,
    GenomeBuild? Build,
    IReadOnlyList<string> SampleNames,
    IReadOnlyList<AlkFusionCall> Fusions,
    IReadOnlyList<AlkResistanceMutation> Mutations,
    long RecordsRead,
    int CallsFilteredOut,
    FileFailure? Failure,
    int? FailureColumn)
{
    public bool Succeeded => Failure is null;

    /// <summary>A VCF whose header declares structural-variant calling, or that holds breakend or symbolic SV records.</summary>
    public bool CallsStructuralVariants { get; init; }

    /// <summary>
    /// The file can show an ALK fusion, so it is an ALK test: a fusion table (Arriba, STAR-Fusion), or a VCF that calls
    /// structural variants or holds a fusion call. A small-variant-only VCF cannot show one.
    /// </summary>
    public bool IsFusionCapable => Succeeded && (Format is NgsFileFormat.Arriba or NgsFileFormat.StarFusion || CallsStructuralVariants || Fusions.Count > 0);

    /// <summary>Fusions that keep ALK's kinase domain: the ones that count.</summary>
    public IEnumerable<AlkFusionCall> FunctionalFusions => Fusions.Where(f => !f.IsReciprocal);

    /// <summary>
    /// The file has sample columns and none of them carries the accession its name gives: the file may belong to
    /// another specimen. (A tumour/normal VCF names its samples; one of them should match.)
    /// </summary>
    public bool SampleMismatch =>
        Accession is { Length: > 0 } accession && SampleNames.Count > 0
        && !SampleNames.Any(s => s.Contains(accession, StringComparison.OrdinalIgnoreCase));
}
