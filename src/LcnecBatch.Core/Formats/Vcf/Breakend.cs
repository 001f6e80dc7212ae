using System.Globalization;

namespace LcnecBatch.Core.Formats.Vcf;

/// <summary>
/// A breakend ALT allele (VCF 4.3/4.5 §5.4) read for its meaning. With s the REF base, t the replacement and p the
/// mate position:
/// <list type="bullet">
/// <item><c>t[p[</c>: the piece extending right of p is joined after t (local keeps ≤POS, mate keeps ≥p);</item>
/// <item><c>t]p]</c>: the reverse-complemented piece extending left of p is joined after t (local ≤POS, mate ≤p);</item>
/// <item><c>]p]t</c>: the piece extending left of p is joined before t (local ≥POS, mate ≤p);</item>
/// <item><c>[p[t</c>: the reverse-complemented piece extending right of p is joined before t (local ≥POS, mate ≥p);</item>
/// <item><c>t.</c> / <c>.t</c>: single breakends, the sequence continues into the unknown after / before t.</item>
/// </list>
/// Bases of t beyond the REF base are inserted between the two pieces.
/// </summary>
/// <param name="MateContig">The mate's contig as written, or null for a single breakend.</param>
/// <param name="LocalKeepsLeft">The local piece is the sequence ending at POS (else the one starting at POS).</param>
/// <param name="MateKeepsLeft">The mate piece is the sequence ending at p (else the one starting at p); null for a single breakend.</param>
public sealed record Breakend(string? MateContig, long MatePosition, bool LocalKeepsLeft, bool? MateKeepsLeft, string InsertedBases)
{
    public bool IsSingle => MateContig is null;

    /// <summary>True when the allele uses breakend syntax at all: brackets, or a leading or trailing ".".</summary>
    public static bool LooksLikeBreakend(ReadOnlySpan<char> alt) =>
        alt.ContainsAny('[', ']') || (alt.Length > 1 && (alt[0] == '.' || alt[^1] == '.'));

    /// <summary>Reads a breakend allele; false when it is not one or its syntax is broken.</summary>
    public static bool TryParse(ReadOnlySpan<char> alt, out Breakend? breakend)
    {
        breakend = null;
        if (alt.Length < 2)
        {
            return false;
        }
        if (!alt.ContainsAny('[', ']'))
        {
            if (alt[^1] == '.' && alt[0] != '.' && IsBases(alt[..^1]))
            {
                breakend = new Breakend(null, 0, true, null, alt[1..^1].ToString());
                return true;
            }
            if (alt[0] == '.' && alt[^1] != '.' && IsBases(alt[1..]))
            {
                breakend = new Breakend(null, 0, false, null, alt[1..^1].ToString());
                return true;
            }
            return false;
        }
        var bracket = alt[0] is '[' or ']' ? alt[0] : alt[^1];
        if (alt[0] is '[' or ']')
        {
            // ]p]t or [p[t: the joined piece comes before t.
            var close = alt[1..].IndexOf(bracket) + 1;
            if (close <= 1 || !TryMate(alt[1..close], out var contig, out var position) || !IsBases(alt[(close + 1)..]))
            {
                return false;
            }
            var t = alt[(close + 1)..];
            breakend = new Breakend(contig, position, false, bracket == ']', t[..^1].ToString());
            return true;
        }
        var open = alt.IndexOfAny('[', ']');
        // t[ alone (open bracket last) has no mate between brackets.
        if (alt[^1] != alt[open] || open == 0 || open == alt.Length - 1)
        {
            return false;
        }
        var after = alt[open];
        if (!TryMate(alt[(open + 1)..^1], out var mateContig, out var matePosition) || !IsBases(alt[..open]))
        {
            return false;
        }
        // t[p[ or t]p]: the joined piece comes after t.
        breakend = new Breakend(mateContig, matePosition, true, after == ']', alt[1..open].ToString());
        return true;
    }

    /// <summary>The orientation a DELLY <c>CT</c> value (3to5, 3to3, 5to5, 5to3) gives symbolic records: (local keeps left, mate keeps left).</summary>
    public static (bool LocalKeepsLeft, bool MateKeepsLeft)? FromConnectionType(string? ct) => ct switch
    {
        "3to5" => (true, false),
        "3to3" => (true, true),
        "5to5" => (false, false),
        "5to3" => (false, true),
        _ => null,
    };

    private static bool TryMate(ReadOnlySpan<char> mate, out string contig, out long position)
    {
        // Contig names may hold ':' (HLA alleles) or sit in angle brackets; the position follows the last ':'.
        var colon = mate.LastIndexOf(':');
        contig = colon > 0 ? mate[..colon].Trim("<>").ToString() : string.Empty;
        position = 0;
        return colon > 0 && contig.Length > 0
            && long.TryParse(mate[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out position);
    }

    private static bool IsBases(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }
        foreach (var c in text)
        {
            if (c is not ('A' or 'C' or 'G' or 'T' or 'N' or 'a' or 'c' or 'g' or 't' or 'n'))
            {
                return false;
            }
        }
        return true;
    }
}
