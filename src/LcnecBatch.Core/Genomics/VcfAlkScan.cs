using System.Buffers;
using System.Globalization;
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
    private readonly ContigBounds _bounds;
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
        _bounds = new ContigBounds(header.Contigs, _build);
        CallsStructuralVariants = DeclaresStructuralVariants(header);
    }

    private static readonly string[] StructuralInfo = ["SVTYPE", "MATEID", "EVENT", "SVCLAIM"];

    private static bool DeclaresStructuralVariants(VcfHeader header) =>
        StructuralInfo.Any(header.Info.ContainsKey)
        || header.Meta.Any(m => m.Key == "ALT" && m.Value.StartsWith("<ID=", StringComparison.Ordinal) && IsStructuralSymbol(m.Value.AsSpan(4)));

    // VCF's reserved structural symbols (and the TRA some callers use), with their subtypes (DEL:ME, DUP:TANDEM).
    private static bool IsStructuralSymbol(ReadOnlySpan<char> id) =>
        id.StartsWith("DEL") || id.StartsWith("INS") || id.StartsWith("DUP") || id.StartsWith("INV") || id.StartsWith("CNV")
        || id.StartsWith("BND") || id.StartsWith("TRA");

    /// <summary>The build given or declared; after <see cref="Run"/>, else the one the ALK breakpoints imply.</summary>
    public GenomeBuild? Build { get; private set; }

    public int Dropped { get; private set; }

    /// <summary>
    /// The file can show a fusion: its header declares structural-variant calling (an SVTYPE, MATEID, EVENT or SVCLAIM
    /// INFO field, or a BND/DEL/INS/DUP/INV/CNV/TRA ALT), or a record is a breakend or symbolic SV. A small-variant-only VCF
    /// (gVCF <c>&lt;NON_REF&gt;</c> and <c>&lt;*&gt;</c> included) is not an ALK fusion test.
    /// </summary>
    public bool CallsStructuralVariants { get; private set; }

    public (List<AlkFusionCall> Fusions, List<AlkResistanceMutation> Mutations) Run()
    {
        while (_reader.Read())
        {
            var record = _reader.Current;
            var chr2 = IsChr2(record.ChromBytes);
            var alt = record.AltBytes;
            if (alt.IndexOfAny(StructuralMarks) >= 0 || IsSingleBreakendLike(alt))
            {
                CallsStructuralVariants = CallsStructuralVariants || IsStructuralAlt(alt);
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

    // A bracket or a single breakend, or a structural symbol; not gVCF's <NON_REF> or <*>.
    private static bool IsStructuralAlt(ReadOnlySpan<byte> alt)
    {
        if (alt.IndexOfAny("[]"u8) >= 0 || (IsSingleBreakendLike(alt) && !alt.Contains((byte)',')))
        {
            return true;
        }
        var rest = alt;
        while (rest.IndexOf((byte)'<') is var at and >= 0)
        {
            rest = rest[(at + 1)..];
            if (rest.StartsWith("DEL"u8) || rest.StartsWith("INS"u8) || rest.StartsWith("DUP"u8) || rest.StartsWith("INV"u8)
                || rest.StartsWith("CNV"u8) || rest.StartsWith("BND"u8) || rest.StartsWith("TRA"u8))
            {
                return true;
            }
        }
        return false;
    }

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

    // Everything a record's alleles share (INFO values, annotations, whether the line names ALK) is read once per
    // record, not once per allele: a record of many alleles stays linear in its length.
    private void ReadStructural(VcfRecord record, bool chr2)
    {
        var alts = record.Alts;
        var localAlk = chr2 && AlkLocus.InAlk(record.Position, _build);
        bool? lineMentionsAlk = null;
        SymbolicMate? symbolicMate = null;
        RecordAnnotations? annotations = null;
        BreakendRecord? shared = null;
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
            else if (IsSymbolicJunction(alt))
            {
                symbolicMate ??= SymbolicMate.Of(record);
                breakend = symbolicMate.For(alt);
                if (breakend is null)
                {
                    continue;
                }
            }
            else
            {
                continue;
            }
            var mateAlk = breakend!.MateContig is { } mate && AlkLocus.IsChr2(mate) && AlkLocus.InAlk(breakend.MatePosition, _build);
            lineMentionsAlk ??= record.Line.IndexOf("ALK"u8) >= 0;
            if (!localAlk && !mateAlk && lineMentionsAlk == false)
            {
                continue;
            }
            annotations ??= RecordAnnotations.Of(record, _ann, _csq);
            var genes = annotations.For(alt);
            if (!localAlk && !mateAlk && !genes.MentionsAlk)
            {
                continue;
            }
            shared ??= new BreakendRecord(record.LineNumber, record.Id, record.GetInfoString("MATEID"), record.GetInfoString("EVENT"),
                new JunctionSide(record.Chrom, record.Position), breakend, record.PassesFilter, genes, localAlk, mateAlk);
            _breakends.Add(shared with { Breakend = breakend, Genes = genes, MateInAlk = mateAlk });
        }
    }

    /// <summary>DELLY and nf-core style symbolic records: <c>&lt;INV&gt;</c>, <c>&lt;TRA&gt;</c>, <c>&lt;BND&gt;</c> with the mate in CHR2/POS2/END (or CHRB/POSB).</summary>
    private static bool IsSymbolicJunction(string alt) =>
        alt.StartsWith("<INV", StringComparison.Ordinal) || alt.StartsWith("<TRA", StringComparison.Ordinal) || alt.StartsWith("<BND", StringComparison.Ordinal);

    /// <summary>Where a symbolic record's INFO puts the mate, and the orientation DELLY's CT gives.</summary>
    private sealed record SymbolicMate(string Contig, long? Position, (bool LocalKeepsLeft, bool MateKeepsLeft)? Orientation)
    {
        public static SymbolicMate Of(VcfRecord record) => new(
            record.GetInfoString("CHR2") ?? record.GetInfoString("CHRB") ?? record.Chrom,
            Integer(record, "POS2") ?? Integer(record, "POSB") ?? Integer(record, "END"),
            Breakend.FromConnectionType(record.GetInfoString("CT")));

        public Breakend? For(string alt)
        {
            if (Position is not { } position)
            {
                return null;
            }
            // An inversion makes both junctions; without CT the one that joins the lower ends (EML4–ALK's) is assumed.
            var (localLeft, mateLeft) = Orientation ?? (true, alt.StartsWith("<INV", StringComparison.Ordinal) ? true : (bool?)null);
            return new Breakend(Contig, position, localLeft, mateLeft, string.Empty);
        }
    }

    // Some callers declare END as a String (FusionCatcher's END=5|3); read integers only when they are integers.
    private static long? Integer(VcfRecord record, string key) =>
        record.GetInfoString(key) is { } text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    // Mates: ID ↔ MATEID first, then a shared EVENT, then each pointing at the other's position. Each way is a
    // lookup by key (the first unused breakend with it, in file order), so pairing stays linear in the breakends.
    private List<JunctionEvidence> Pair()
    {
        var byIds = new FirstUnused<(string Id, string? MateId)>();
        var byEvent = new FirstUnused<string>();
        var byPosition = new FirstUnused<(string Contig, long Position, string MateContig, long MatePosition)>();
        for (var k = 0; k < _breakends.Count; k++)
        {
            var b = _breakends[k];
            if (b.Id is { } id)
            {
                byIds.Add((id, b.MateId), k);
            }
            if (b.MateId is null && b.Event is { } ev)
            {
                byEvent.Add(ev, k);
            }
            if (b.Breakend.MateContig is { } mate)
            {
                byPosition.Add((AlkLocus.CanonicalContig(b.Local.Contig), b.Local.Position, AlkLocus.CanonicalContig(mate), b.Breakend.MatePosition), k);
            }
        }
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
            var j = FindMate(a, used, byIds, byEvent, byPosition);
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

    private static int FindMate(
        BreakendRecord a,
        bool[] used,
        FirstUnused<(string, string?)> byIds,
        FirstUnused<string> byEvent,
        FirstUnused<(string, long, string, long)> byPosition)
    {
        if (a.MateId is { } mateId && a.Id is { } id)
        {
            // The mate names a back or names no mate.
            var named = byIds.Find((mateId, id), used);
            var unnamed = byIds.Find((mateId, null), used);
            var byId = named < 0 ? unnamed : unnamed < 0 ? named : Math.Min(named, unnamed);
            if (byId >= 0)
            {
                return byId;
            }
        }
        if (a.MateId is null && a.Event is { } ev)
        {
            var sameEvent = byEvent.Find(ev, used);
            if (sameEvent >= 0)
            {
                return sameEvent;
            }
        }
        return a.Breakend.MateContig is { } contig
            ? byPosition.Find((AlkLocus.CanonicalContig(contig), a.Breakend.MatePosition, AlkLocus.CanonicalContig(a.Local.Contig), a.Local.Position), used)
            : -1;
    }

    private JunctionEvidence? Junction(BreakendRecord a, BreakendRecord? b)
    {
        var breakend = a.Breakend;
        JunctionSide? mate = breakend.MateContig is { } contig ? new JunctionSide(contig, breakend.MatePosition) : null;

        // Which side is ALK: the gene named at a position, else coordinates, else FusionCatcher's END with GENE5/GENE3.
        var localNamed = a.Genes.NamesLocal ? a.Genes.LocalHasAlk : (bool?)null;
        var mateNamed = b is { Genes.NamesLocal: true } ? b.Genes.LocalHasAlk : (bool?)null;
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
        // A position off its contig is a broken record, not a fusion: kept for review, never counted.
        var offContig = _bounds.Problem(a.Local, "position")
            ?? (mate is { } m2 ? _bounds.Problem(m2, "mate position") : null)
            ?? (b is not null ? _bounds.Problem(b.Local, "mate record's position") : null);
        return new JunctionEvidence(alk, partner, partnerName, reciprocal, breakend.InsertedBases.Length, _caller,
            a.Passes && (b?.Passes ?? true), a.Line, alkExon, partnerExon, offContig);
    }

    private string? PartnerName(BreakendRecord a, BreakendRecord? b, bool alkIsLocal, JunctionSide? partner)
    {
        var named = GeneList.IsOther(a.Genes.Gene5) ? a.Genes.Gene5 : GeneList.IsOther(a.Genes.Gene3) ? a.Genes.Gene3 : null;
        named ??= alkIsLocal ? b?.Genes.LocalOther : a.Genes.LocalOther;
        named ??= a.Genes.EitherOther ?? b?.Genes.EitherOther;
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

    /// <summary>
    /// The genes a breakend record names: at its position (Arriba's GENE_NAME, VEP's CSQ), somewhere in the fusion
    /// (SnpEff's ANN), and FusionCatcher's 5′/3′ genes. Annotations of one allele apply to that ALT only.
    /// </summary>
    private sealed class RecordGenes
    {
        public required GeneList[] Local { get; init; }

        public required GeneList[] Either { get; init; }

        public string? Gene5 { get; init; }

        public string? Gene3 { get; init; }

        public string? End { get; init; }

        public int? LocalExon { get; init; }

        public bool NamesLocal => Local.Any(l => l.Count > 0);

        public bool LocalHasAlk => Local.Any(l => l.HasAlk);

        /// <summary>The first non-ALK gene at this position, in the record's order.</summary>
        public string? LocalOther => GeneList.FirstOther(Local);

        public string? EitherOther => GeneList.FirstOther(Either);

        public bool MentionsAlk => Local.Concat(Either).Any(l => l.HasAlk) || AlkJunction.IsAlk(Gene5) || AlkJunction.IsAlk(Gene3);
    }

    /// <summary>A record's annotation genes, grouped once: the ones for every allele, and the ones for each ALT.</summary>
    private sealed class RecordAnnotations
    {
        private static readonly GeneList None = new();

        private readonly GeneList _geneName = new();
        private readonly GeneList _csqAny = new();
        private readonly GeneList _annAny = new();
        private readonly Dictionary<string, GeneList> _csqByAllele = new(StringComparer.Ordinal);
        private readonly Dictionary<string, GeneList> _annByAllele = new(StringComparer.Ordinal);
        private string? _gene5;
        private string? _gene3;
        private string? _end;
        private int? _exon;

        public static RecordAnnotations Of(VcfRecord record, VcfAnnotationFormat? ann, VcfAnnotationFormat? csq)
        {
            var result = new RecordAnnotations
            {
                // Arriba's converter: the gene at this breakend; FusionCatcher: 5′/3′ genes and which end this record is.
                _gene5 = record.GetInfoString("GENE5") ?? record.GetInfoString("GENEA"),
                _gene3 = record.GetInfoString("GENE3") ?? record.GetInfoString("GENEB"),
                _end = record.GetInfoString("END") is "5" or "3" ? record.GetInfoString("END") : null,
                // An exon number beyond int is no exon: it is left unknown rather than wrapped round.
                _exon = record.GetInfoString("EXON_NUMBER") is { } exon && int.TryParse(exon, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null,
            };
            var order = 0;
            foreach (var gene in AlkJunction.Genes(record.GetInfoString("GENE_NAME")))
            {
                result._geneName.Add(gene, order++);
            }
            if (csq is not null && record.GetInfoString("CSQ") is { } csqValue)
            {
                // VEP annotates each breakend with the gene at its own position; a short allele ("-", "N") is any ALT's.
                foreach (var (allele, gene, _, _) in csq.Split(csqValue))
                {
                    if (gene is not null)
                    {
                        var list = allele is null || allele.Length <= 2 ? result._csqAny : ListFor(result._csqByAllele, allele);
                        list.Add(gene, order++);
                    }
                }
            }
            if (ann is not null && record.GetInfoString("ANN") is { } annValue)
            {
                // SnpEff names a fusion's two genes "GENE1&GENE2" without saying which is where.
                foreach (var (allele, gene, _, _) in ann.Split(annValue))
                {
                    var list = allele is null ? result._annAny : ListFor(result._annByAllele, allele);
                    foreach (var one in AlkJunction.Genes(gene))
                    {
                        list.Add(one, order++);
                    }
                }
            }
            return result;
        }

        public RecordGenes For(string alt) => new()
        {
            Local = [_geneName, _csqAny, _csqByAllele.GetValueOrDefault(alt) ?? None],
            Either = [_annAny, _annByAllele.GetValueOrDefault(alt) ?? None],
            Gene5 = _gene5,
            Gene3 = _gene3,
            End = _end,
            LocalExon = _exon,
        };

        private static GeneList ListFor(Dictionary<string, GeneList> lists, string allele)
        {
            if (!lists.TryGetValue(allele, out var list))
            {
                lists[allele] = list = new GeneList();
            }
            return list;
        }
    }

    /// <summary>Genes in record order, summarised as they are added: how many, whether ALK is one, the first other.</summary>
    private sealed class GeneList
    {
        public int Count { get; private set; }

        public bool HasAlk { get; private set; }

        private (int Order, string Gene)? First { get; set; }

        public static bool IsOther(string? gene) => gene is { Length: > 0 } && !AlkJunction.IsAlk(gene);

        public static string? FirstOther(IEnumerable<GeneList> lists) =>
            lists.Select(l => l.First).Where(f => f is not null).MinBy(f => f!.Value.Order)?.Gene;

        public void Add(string gene, int order)
        {
            Count++;
            HasAlk |= AlkJunction.IsAlk(gene);
            if (First is null && IsOther(gene))
            {
                First = (order, gene);
            }
        }
    }

    /// <summary>Breakend indexes under one key, handing out the first one not yet paired.</summary>
    private sealed class FirstUnused<TKey>
        where TKey : notnull
    {
        private readonly Dictionary<TKey, Slot> _slots = new();

        public void Add(TKey key, int index)
        {
            if (!_slots.TryGetValue(key, out var slot))
            {
                _slots[key] = slot = new Slot();
            }
            slot.Items.Add(index);
        }

        public int Find(TKey key, bool[] used)
        {
            if (!_slots.TryGetValue(key, out var slot))
            {
                return -1;
            }
            // Paired breakends are passed over once, then never looked at again.
            while (slot.Next < slot.Items.Count && used[slot.Items[slot.Next]])
            {
                slot.Next++;
            }
            return slot.Next < slot.Items.Count ? slot.Items[slot.Next] : -1;
        }

        private sealed class Slot
        {
            public List<int> Items { get; } = [];

            public int Next { get; set; }
        }
    }
}
