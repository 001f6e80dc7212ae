using System.Globalization;
using System.Text;

namespace LcnecBatch.Core.Synthetic;

/// <summary>A small-variant hotspot on GRCh38 with its SnpEff-style annotation.</summary>
internal sealed record VcfVariant(string Chrom, int Pos, string Ref, string Alt, string Gene, string GeneId, string Transcript, string Hgvsc, string Hgvsp);

/// <summary>
/// Raw NGS output as a small VCF 4.2, SnpEff-annotated small variants on GRCh38 and, where the plan says so, an
/// EML4–ALK v1 breakend pair as Manta writes it (ALK intron 19 / EML4 intron 13) or the ALK G1202R resistance mutation.
/// </summary>
internal static class VcfContent
{
    public static readonly VcfVariant Tp53R273H = new("chr17", 7673802, "C", "T", "TP53", "ENSG00000141510", "ENST00000269305", "c.818G>A", "p.Arg273His");
    public static readonly VcfVariant Tp53R248Q = new("chr17", 7674220, "C", "T", "TP53", "ENSG00000141510", "ENST00000269305", "c.743G>A", "p.Arg248Gln");
    public static readonly VcfVariant Tp53R175H = new("chr17", 7675088, "C", "T", "TP53", "ENSG00000141510", "ENST00000269305", "c.524G>A", "p.Arg175His");
    public static readonly VcfVariant KrasG12C = new("chr12", 25245351, "C", "A", "KRAS", "ENSG00000133703", "ENST00000311936", "c.34G>T", "p.Gly12Cys");
    public static readonly VcfVariant KrasG12D = new("chr12", 25245350, "C", "T", "KRAS", "ENSG00000133703", "ENST00000311936", "c.35G>A", "p.Gly12Asp");
    public static readonly VcfVariant AlkG1202R = new("chr2", 29220765, "C", "T", "ALK", "ENSG00000171094", "ENST00000389048", "c.3604G>A", "p.Gly1202Arg");
    public static readonly VcfVariant EgfrL858R = new("chr7", 55191822, "T", "G", "EGFR", "ENSG00000146648", "ENST00000275493", "c.2573T>G", "p.Leu858Arg");

    private static readonly (string Id, int Length)[] Contigs = [("chr2", 242193529), ("chr7", 159345973), ("chr12", 133275309), ("chr17", 83257441)];

    public static readonly VcfVariant[] Tp53Hotspots = [Tp53R273H, Tp53R248Q, Tp53R175H];

    /// <summary>A call with drawn depth and allele fraction; low-fraction calls are written as filtered.</summary>
    public static VcfCall Call(ArchiveBuilder b, VcfVariant variant, bool passing = true)
    {
        var depth = b.Next(250, 1600);
        var fraction = passing ? b.Next(12, 61) : b.Next(1, 4);
        var alt = Math.Max(2, depth * fraction / 100);
        return new VcfCall(variant, depth, alt, passing ? b.Next(200, 3000) : b.Next(8, 30), passing);
    }

    public static string Write(RawNgsFile file)
    {
        var text = new StringBuilder();
        text.Append("##fileformat=VCFv4.2\n");
        text.Append("##fileDate=").Append(file.SequencedOn.ToString("yyyyMMdd", CultureInfo.InvariantCulture)).Append('\n');
        text.Append("##source=LisNgsPanel-v3.1\n");
        text.Append("##reference=GRCh38\n");
        foreach (var (id, length) in Contigs)
        {
            text.Append("##contig=<ID=").Append(id).Append(",length=").Append(length.ToString(CultureInfo.InvariantCulture)).Append(",assembly=GRCh38>\n");
        }
        text.Append("##FILTER=<ID=PASS,Description=\"All filters passed\">\n");
        text.Append("##FILTER=<ID=LowVAF,Description=\"Variant allele fraction below 5%\">\n");
        text.Append("##FILTER=<ID=MinSomaticScore,Description=\"Somatic score below 30\">\n");
        text.Append("##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Total read depth\">\n");
        text.Append("##INFO=<ID=SVTYPE,Number=1,Type=String,Description=\"Type of structural variant\">\n");
        text.Append("##INFO=<ID=MATEID,Number=.,Type=String,Description=\"ID of mate breakend\">\n");
        text.Append("##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO'\">\n");
        text.Append("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n");
        text.Append("##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths for the ref and alt alleles\">\n");
        text.Append("##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth\">\n");
        text.Append("##FORMAT=<ID=AF,Number=A,Type=Float,Description=\"Allele fraction\">\n");
        text.Append("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t").Append(file.Specimen.Accession).Append('\n');
        var order = Contigs.Select(c => c.Id).ToList();
        var records = new List<(int Contig, int Pos, string Line)>();
        foreach (var call in file.Calls)
        {
            var v = call.Variant;
            var fraction = ((decimal)call.AltReads / call.Depth).ToString("0.000", CultureInfo.InvariantCulture);
            records.Add((order.IndexOf(v.Chrom), v.Pos, string.Create(CultureInfo.InvariantCulture,
                $"{v.Chrom}\t{v.Pos}\t.\t{v.Ref}\t{v.Alt}\t{call.Quality}\t{(call.Passing ? "PASS" : "LowVAF")}\t"
                + $"DP={call.Depth};ANN={v.Alt}|missense_variant|MODERATE|{v.Gene}|{v.GeneId}|transcript|{v.Transcript}|protein_coding||{v.Hgvsc}|{v.Hgvsp}|||||\t"
                + $"GT:AD:DP:AF\t0/1:{call.Depth - call.AltReads},{call.AltReads}:{call.Depth}:{fraction}\n")));
        }
        if (file.AlkFusionFilter is { } filter)
        {
            // EML4 intron 13 joined to ALK intron 19: the v1 genomic junction, as a mate pair of Manta breakends.
            const int Alk = 29224000, Eml4 = 42296000;
            records.Add((0, Alk, $"chr2\t{Alk}\tMantaBND:1:0:1:0:0:0:0\tT\tT]chr2:{Eml4}]\t412\t{filter}\tSVTYPE=BND;MATEID=MantaBND:1:0:1:0:0:0:1\tGT:AD:DP:AF\t0/1:38,14:52:0.269\n"));
            records.Add((0, Eml4, $"chr2\t{Eml4}\tMantaBND:1:0:1:0:0:0:1\tG\tG]chr2:{Alk}]\t412\t{filter}\tSVTYPE=BND;MATEID=MantaBND:1:0:1:0:0:0:0\tGT:AD:DP:AF\t0/1:41,14:55:0.255\n"));
        }
        foreach (var record in records.OrderBy(r => r.Contig).ThenBy(r => r.Pos))
        {
            text.Append(record.Line);
        }
        return text.ToString();
    }
}
