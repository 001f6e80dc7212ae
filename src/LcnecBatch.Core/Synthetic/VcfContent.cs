using System.Globalization;
using System.Text;

namespace LcnecBatch.Core.Synthetic;

/// <summary>A small-variant hotspot on GRCh38 with its SnpEff-style annotation.</summary>
internal sealed record VcfVariant(string Chrom, int Pos, string Ref, string Alt, string Gene, string GeneId, string Transcript, string Hgvsc, string Hgvsp);

/// <summary>
/// Raw NGS output as a small VCF 4.2: small variants only (no ALK breakends and no ALK kinase-domain
/// mutations, so a raw file never raises a fusion or resistance finding of its own).
/// </summary>
internal static class VcfContent
{
    public static readonly VcfVariant Tp53R273H = new("chr17", 7673802, "C", "T", "TP53", "ENSG00000141510", "ENST00000269305", "c.818G>A", "p.Arg273His");
    public static readonly VcfVariant Tp53R248Q = new("chr17", 7674220, "C", "T", "TP53", "ENSG00000141510", "ENST00000269305", "c.743G>A", "p.Arg248Gln");
    public static readonly VcfVariant Tp53R175H = new("chr17", 7675088, "C", "T", "TP53", "ENSG00000141510", "ENST00000269305", "c.524G>A", "p.Arg175His");
    public static readonly VcfVariant KrasG12C = new("chr12", 25245351, "C", "A", "KRAS", "ENSG00000133703", "ENST00000311936", "c.34G>T", "p.Gly12Cys");
    public static readonly VcfVariant KrasG12D = new("chr12", 25245350, "C", "T", "KRAS", "ENSG00000133703", "ENST00000311936", "c.35G>A", "p.Gly12Asp");
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
        text.Append("##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Total read depth\">\n");
        text.Append("##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO'\">\n");
        text.Append("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n");
        text.Append("##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths for the ref and alt alleles\">\n");
        text.Append("##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth\">\n");
        text.Append("##FORMAT=<ID=AF,Number=A,Type=Float,Description=\"Allele fraction\">\n");
        text.Append("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t").Append(file.Specimen.Accession).Append('\n');
        var order = Contigs.Select(c => c.Id).ToList();
        foreach (var call in file.Calls.OrderBy(c => order.IndexOf(c.Variant.Chrom)).ThenBy(c => c.Variant.Pos))
        {
            var v = call.Variant;
            var fraction = ((decimal)call.AltReads / call.Depth).ToString("0.000", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"{v.Chrom}\t{v.Pos}\t.\t{v.Ref}\t{v.Alt}\t{call.Quality}\t{(call.Passing ? "PASS" : "LowVAF")}\t");
            text.Append(CultureInfo.InvariantCulture, $"DP={call.Depth};ANN={v.Alt}|missense_variant|MODERATE|{v.Gene}|{v.GeneId}|transcript|{v.Transcript}|protein_coding||{v.Hgvsc}|{v.Hgvsp}|||||\t");
            text.Append(CultureInfo.InvariantCulture, $"GT:AD:DP:AF\t0/1:{call.Depth - call.AltReads},{call.AltReads}:{call.Depth}:{fraction}\n");
        }
        return text.ToString();
    }
}
