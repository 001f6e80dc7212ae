using System.Globalization;

namespace LcnecBatch.Core.Genomics;

/// <summary>
/// Whether a breakpoint lies on its contig: 1 to the contig's length, the length a VCF header declares
/// (<c>##contig=&lt;ID=chr2,length=…&gt;</c>) or else the primary chromosome's length on the build (on either build
/// when it is unknown). A contig of unknown length is only checked for a position below 1.
/// </summary>
internal sealed class ContigBounds
{
    private readonly Dictionary<string, long> _declared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _declaredCanonical = new(StringComparer.Ordinal);
    private readonly GenomeBuild? _build;

    public ContigBounds(IEnumerable<KeyValuePair<string, long?>> declared, GenomeBuild? build)
    {
        _build = build;
        foreach (var (contig, length) in declared)
        {
            if (length is { } l)
            {
                _declared[contig] = l;
                _declaredCanonical.TryAdd(AlkLocus.CanonicalContig(contig), l);
            }
        }
    }

    public long? LengthOf(string contig) =>
        _declared.TryGetValue(contig, out var exact) ? exact
        : _declaredCanonical.TryGetValue(AlkLocus.CanonicalContig(contig), out var canonical) ? canonical
        : GenomeBuilds.ChromosomeLength(contig, _build);

    /// <summary>Null when the side is on its contig; otherwise why not, naming <paramref name="what"/> ("mate position").</summary>
    public string? Problem(JunctionSide side, string what)
    {
        if (side.Position < 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{what} {side} is before the start of its contig");
        }
        return LengthOf(side.Contig) is { } length && side.Position > length
            ? string.Create(CultureInfo.InvariantCulture, $"{what} {side} is beyond the end of {AlkLocus.CanonicalContig(side.Contig)} ({length} bases)")
            : null;
    }
}
