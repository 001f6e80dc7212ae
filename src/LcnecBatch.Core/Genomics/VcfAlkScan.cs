using System.Buffers;
using LcnecBatch.Core.Formats.Vcf;

namespace LcnecBatch.Core.Genomics;

/// <summary>
/// ALK fusions and resistance mutations in one VCF, in a single forward pass. Most records of a large VCF are
/// small variants far from ALK: for those only CHROM, POS and ALT are looked at. Breakend records touching ALK (by
/// coordinates or by a gene annotation) are kept, then paired into junctions at the end.
/// </summary>
internal sealed class VcfAlkScan
{
    private static readonly SearchValues<byte> StructuralMarks = SearchValues.Create("[]<"u8);

    private static readonly string[] SnpEffFields =
        ["Allele", "Annotation", "Annotation_Impact", "Gene_Name", "Gene_ID", "Feature_Type", "Feature_ID", "Transcript_BioType", "Rank", "HGVS.c", "HGVS.p"];

    private readonly VcfReader _reader;
    private readonly NgsScanOptions _options;
    private readonly GenomeBuild? _build;
    private readonly string _caller;
    private readonly VcfAnnotationFormat? _ann;
    private readonly VcfAnnotationFormat? _csq;
    private readonly List<BreakendRecord> _breakends = [];
    private readonly List<AlkResistanceMutation> _mutations = [];

    public VcfAlkScan(VcfReader reader, NgsScanOptions options)
    {
        _reader = reader;
        _options = options;
        var header = reader.Header;
        _build = options.GenomeBuild ?? header.Build;
        _caller = CallerOf(header);
        // ANN without a header line still follows SnpEff's fixed layout.
        _ann = VcfAnnotationFormat.From("ANN", header.AnnotationFields("ANN") ?? SnpEffFields, "Gene_Name", "HGVS.p", "Feature_ID");
        _csq = header.Info.ContainsKey("CSQ") && header.AnnotationFields("CSQ") is { } csq ? VcfAnnotationFormat.From("CSQ", csq, "SYMBOL", "HGVSp", "Feature") : null;
    }

    /// <summary>The build given or declared; after <see cref="Run"/>, else the one the ALK breakpoints imply.</summary>
    public GenomeBuild? Build { get; private set; }

    public int Dropped { get; private set; }

    public (List<AlkFusionCall> Fusions, List<AlkResistanceMutation> Mutations) Run()
    {
        while (_reader.Read())
        {
            var record = _reader.Current;
            var chr2 = IsChr2(record.ChromBytes);
            var alt = record.AltBytes;
            if (alt.IndexOfAny(StructuralMarks) >= 0 || IsSingleBreakendLike(alt))
            {
                ReadStructural(record, chr2);
            }
            else if (chr2 && AlkLocus.InAlk(record.Position, _build))
            {
                ReadSmallVariant(record);
            }
        }
        var junctions = Pair();
        if (!_options.ReportFilteredVcfCalls)
        {
            Dropped += junctions.RemoveAll(j => !j.PassesFilter);
        }
        Build = _build ?? AlkJunction.FileBuild(junctions);
        return (AlkJunction.Calls(junctions, Build), [.. _mutations.Select(m => m with { Build = Build })]);
    }

    private static bool IsChr2(ReadOnlySpan<byte> chrom) =>
        chrom is [(byte)'2'] || (chrom.Length == 4 && (chrom[0] | 0x20) == 'c' && (chrom[1] | 0x20) == 'h' && (chrom[2] | 0x20) == 'r' && chrom[3] == '2')
        || chrom.StartsWith("NC_000002."u8);

    private static bool IsSingleBreakendLike(ReadOnlySpan<byte> alt) =>
        alt.Length > 1 && alt.Contains((byte)'.');

    private void ReadSmallVariant(VcfRecord record)
    {
        var alts = record.Alts;
        var passes = record.PassesFilter;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var format in new[] { _ann, _csq })
        {
            if (format is null || record.GetInfoString(format.Key) is not { } value)
            {
                continue;
            }
            var alk = format.Split(value).Where(a => AlkJunction.IsAlk(a.Gene)).ToList();
            // Protein numbering is NM_004304's: prefer its annotations when the file has them.
            var canonical = alk.Where(a => a.Feature is { } f && (f.StartsWith("ENST00000389048", StringComparison.Ordinal) || f.StartsWith("NM_004304", StringComparison.Ordinal))).ToList();
            foreach (var annotation in canonical.Count > 0 ? canonical : alk)
            {
                if (AlkResistance.Find(annotation.Protein) is not { } entry || !seen.Add(entry.Protein))
                {
                    continue;
                }
                if (!passes && !_options.ReportFilteredVcfCalls)
                {
                    Dropped++;
                    continue;
                }
                var allele = annotation.Allele is { } a && alts.Contains(a) ? a : alts.Count > 0 ? alts[0] : ".";
                _mutations.Add(new AlkResistanceMutation(entry.Protein, entry.ResistantTo, entry.SensitiveTo, entry.Exon,
                    new JunctionSide(record.Chrom, record.Position).ToString(), record.Ref, allele, _build, passes, record.LineNumber));
            }
        }
    }

    private void ReadStructural(VcfRecord record, bool chr2)
    {
        var alts = record.Alts;
        for (var i = 0; i < alts.Count; i++)
        {
            var alt = alts[i];
            Breakend? breakend;
            if (Breakend.LooksLikeBreakend(alt))
            {
                if (!Breakend.TryParse(alt, out breakend))
                {
                    throw record.Error(5, "ALT", $"allele {i + 1} is not a valid breakend (t[p[, t]p], ]p]t, [p[t, t. or .t)");
                }
            }
            else if (Symbolic(record, alt) is { } symbolic)
            {
                breakend = symbolic;
            }
            else
            {
                continue;
            }
            var localAlk = chr2 && AlkLocus.InAlk(record.Position, _build);
            var mateAlk = breakend!.MateContig is { } mate && AlkLocus.IsChr2(mate) && AlkLocus.InAlk(breakend.MatePosition, _build);
            if (!localAlk && !mateAlk && record.Line.IndexOf("ALK"u8) < 0)
            {
                continue;
            }
            var genes = GenesOf(record, alt);
            if (!localAlk && !mateAlk && !genes.Mentions("ALK"))
            {
                continue;
            }
            _breakends.Add(new BreakendRecord(record.LineNumber, record.Id, record.GetInfoString("MATEID"), record.GetInfoString("EVENT"),
                new JunctionSide(record.Chrom, record.Position), breakend, record.PassesFilter, genes, localAlk, mateAlk));
        }
    }

    /// <summary>DELLY and nf-core style symbolic records: <c>&lt;INV&gt;</c>, <c>&lt;TRA&gt;</c>, <c>&lt;BND&gt;</c> with the mate in CHR2/POS2/END (or CHRB/POSB).</summary>
    private static Breakend? Symbolic(VcfRecord record, string alt)
    {
        if (!(alt.StartsWith("<INV", StringComparison.Ordinal) || alt.StartsWith("<TRA", StringComparison.Ordinal) || alt.StartsWith("<BND", StringComparison.Ordinal)))
        {
            return null;
        }
        var mateContig = record.GetInfoString("CHR2") ?? record.GetInfoString("CHRB") ?? record.Chrom;
        var matePosition = Integer(record, "POS2") ?? Integer(record, "POSB") ?? Integer(record, "END");
        if (matePosition is null)
        {
            return null;
        }
        // An inversion makes both junctions; without CT the one that joins the lower ends (EML4–ALK's) is assumed.
        var orientation = Breakend.FromConnectionType(record.GetInfoString("CT"));
        var (localLeft, mateLeft) = orientation ?? (true, alt.StartsWith("<INV", StringComparison.Ordinal) ? true : (bool?)null);
        return new Breakend(mateContig, matePosition.Value, localLeft, mateLeft, string.Empty);
    }

    // Some callers declare END as a String (FusionCatcher's END=5|3); read integers only when they are integers.
    private static long? Integer(VcfRecord record, string key) =>
        record.GetInfoString(key) is { } text && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;

    private RecordGenes GenesOf(VcfRecord record, string alt)
    {
        var genes = new RecordGenes
        {
            // Arriba's converter: the gene at this breakend; FusionCatcher: 5′/3′ genes and which end this record is.
            Local = [.. AlkJunction.Genes(record.GetInfoString("GENE_NAME"))],
            Gene5 = record.GetInfoString("GENE5") ?? record.GetInfoString("GENEA"),
            Gene3 = record.GetInfoString("GENE3") ?? record.GetInfoString("GENEB"),
            End = record.GetInfoString("END") is "5" or "3" ? record.GetInfoString("END") : null,
            LocalExon = Integer(record, "EXON_NUMBER"),
        };
        if (_csq is not null && record.GetInfoString("CSQ") is { } csq)
        {
            // VEP annotates each breakend with the gene at its own position.
            genes.Local.AddRange(_csq.Split(csq).Where(a => a.Allele is null || a.Allele == alt || a.Allele.Length <= 2).Select(a => a.Gene).OfType<string>());
        }
        if (_ann is not null && record.GetInfoString("ANN") is { } ann)
        {
            // SnpEff names a fusion's two genes "GENE1&GENE2" without saying which is where.
            genes.Either.AddRange(_ann.Split(ann).Where(a => a.Allele is null || a.Allele == alt).SelectMany(a => AlkJunction.Genes(a.Gene)));
        }
        return genes;
    }

    private List<JunctionEvidence> Pair()
    {
        var calls = new List<JunctionEvidence>();
        var used = new bool[_breakends.Count];
        for (var i = 0; i < _breakends.Count; i++)
        {
            if (used[i])
            {
                continue;
            }
            used[i] = true;
            var a = _breakends[i];
            var j = FindMate(a, used);
            BreakendRecord? b = null;
            if (j >= 0)
            {
                used[j] = true;
                b = _breakends[j];
            }
            if (Junction(a, b) is { } call)
            {
                calls.Add(call);
            }
        }
        return calls;
    }

    // Mates: ID ↔ MATEID first, then a shared EVENT, then each pointing at the other's position.
    private int FindMate(BreakendRecord a, bool[] used)
    {
        int Find(Func<BreakendRecord, bool> match)
        {
            for (var k = 0; k < _breakends.Count; k++)
            {
                if (!used[k] && match(_breakends[k]))
                {
                    return k;
                }
            }
            return -1;
        }
        if (a.MateId is { } mateId && a.Id is { } id)
        {
            var byId = Find(b => b.Id == mateId && (b.MateId is null || b.MateId == id));
            if (byId >= 0)
            {
                return byId;
            }
        }
        if (a.MateId is null && a.Event is { } ev)
        {
            var byEvent = Find(b => b.MateId is null && b.Event == ev);
            if (byEvent >= 0)
            {
                return byEvent;
            }
        }
        return a.Breakend.MateContig is { } contig
            ? Find(b => b.Breakend.MateContig is { } bc && b.Local.Position == a.Breakend.MatePosition && Same(b.Local.Contig, contig)
                && b.Breakend.MatePosition == a.Local.Position && Same(bc, a.Local.Contig))
            : -1;
    }

    private static bool Same(string x, string y) => AlkLocus.CanonicalContig(x) == AlkLocus.CanonicalContig(y);

    private JunctionEvidence? Junction(BreakendRecord a, BreakendRecord? b)
    {
        var breakend = a.Breakend;
        JunctionSide? mate = breakend.MateContig is { } contig ? new JunctionSide(contig, breakend.MatePosition) : null;

        // Which side is ALK: the gene named at a position, else coordinates, else FusionCatcher's END with GENE5/GENE3.
        var localNamed = a.Genes.Local.Count > 0 ? a.Genes.Local.Any(AlkJunction.IsAlk) : (bool?)null;
        var mateNamed = b is { Genes.Local.Count: > 0 } ? b.Genes.Local.Any(AlkJunction.IsAlk) : (bool?)null;
        var endNamed = a.Genes.End switch
        {
            "5" => AlkJunction.IsAlk(a.Genes.Gene5),
            "3" => AlkJunction.IsAlk(a.Genes.Gene3),
            _ => (bool?)null,
        };
        var byCoordinates = a.LocalInAlk == a.MateInAlk ? (bool?)null : a.LocalInAlk;
        var alkIsLocal = localNamed ?? (mateNamed is { } m ? !m : (bool?)null) ?? endNamed ?? byCoordinates;
        if (alkIsLocal is not { } local || (!local && mate is null))
        {
            return null;
        }
        var alk = local ? a.Local : mate!.Value;
        JunctionSide? partner = local ? mate : a.Local;
        var alkKeepsLeft = local ? breakend.LocalKeepsLeft : breakend.MateKeepsLeft;

        // 5′/3′ named by the caller beats brackets (FusionCatcher writes its 3′ records' brackets reversed).
        bool reciprocal;
        if (AlkJunction.IsAlk(a.Genes.Gene3) || AlkJunction.IsAlk(a.Genes.Gene5))
        {
            reciprocal = AlkJunction.IsAlk(a.Genes.Gene5);
        }
        else
        {
            // ALK is on the minus strand: keeping the bases below the breakpoint keeps exons 20–29 and the kinase.
            reciprocal = alkKeepsLeft == false;
        }

        var partnerName = PartnerName(a, b, local, partner);
        var alkExon = local ? a.Genes.LocalExon : b?.Genes.LocalExon;
        var partnerExon = local ? b?.Genes.LocalExon : a.Genes.LocalExon;
        return new JunctionEvidence(alk, partner, partnerName, reciprocal, breakend.InsertedBases.Length, _caller,
            a.Passes && (b?.Passes ?? true), a.Line, (int?)alkExon, (int?)partnerExon);
    }

    private string? PartnerName(BreakendRecord a, BreakendRecord? b, bool alkIsLocal, JunctionSide? partner)
    {
        string? Other(IEnumerable<string?> genes) => genes.FirstOrDefault(g => g is { Length: > 0 } && !AlkJunction.IsAlk(g));
        var named = Other([a.Genes.Gene5, a.Genes.Gene3])
            ?? Other(alkIsLocal ? b?.Genes.Local ?? [] : a.Genes.Local)
            ?? Other(a.Genes.Either.Concat(b?.Genes.Either ?? []));
        if (named is not null)
        {
            return named;
        }
        return partner is { IsChr2: true } p && AlkLocus.InEml4(p.Position, _build) ? "EML4" : null;
    }

    private static string CallerOf(VcfHeader header)
    {
        var source = (header.Value("source") ?? string.Empty).ToLowerInvariant();
        string[] known = ["fusioncatcher", "arriba", "manta", "generatesvcandidates", "delly", "gridss", "svaba", "lumpy", "dragen", "star-fusion", "starfusion", "rnafusion"];
        if (known.FirstOrDefault(source.Contains) is { } tool)
        {
            // Manta's VCFs name its candidate generator, not Manta.
            return tool switch { "generatesvcandidates" => "manta", "starfusion" => "star-fusion", _ => tool };
        }
        if (header.Meta.Any(m => m.Key.StartsWith("DRAGEN", StringComparison.OrdinalIgnoreCase)))
        {
            return "dragen";
        }
        return header.Info.ContainsKey("GENE5") ? "fusioncatcher"
            : header.Info.ContainsKey("GENE_NAME") && header.Info.ContainsKey("GENE_ID") ? "arriba"
            : header.Info.ContainsKey("CT") && header.Info.ContainsKey("CHR2") ? "delly"
            : header.Info.ContainsKey("GENEA") ? "rnafusion"
            : "vcf";
    }

    private sealed record BreakendRecord(
        long Line, string? Id, string? MateId, string? Event, JunctionSide Local, Breakend Breakend, bool Passes, RecordGenes Genes, bool LocalInAlk, bool MateInAlk);

    private sealed class RecordGenes
    {
        public List<string> Local { get; init; } = [];

        public List<string> Either { get; } = [];

        public string? Gene5 { get; init; }

        public string? Gene3 { get; init; }

        public string? End { get; init; }

        public long? LocalExon { get; init; }

        public bool Mentions(string gene) =>
            Local.Concat(Either).Append(Gene5).Append(Gene3).Any(g => string.Equals(g, gene, StringComparison.OrdinalIgnoreCase));
    }
}
