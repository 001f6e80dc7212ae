using System.Globalization;
using System.Text;

namespace LcnecBatch.Benchmarks;

/// <summary>
/// A whole-genome-like single-sample VCF (GRCh38) with GATK-style INFO and SnpEff ANN, deterministic for a record
/// count. chr2 carries what the ALK scan must find: an EML4–ALK v1 breakend pair and ALK G1202R.
/// </summary>
public static class SyntheticVcf
{
    private static readonly (string Name, long Length)[] Contigs =
    [
        ("chr1", 248956422), ("chr2", 242193529), ("chr3", 198295559), ("chr4", 190214555), ("chr5", 181538259),
        ("chr6", 170805979), ("chr7", 159345973), ("chr8", 145138636), ("chr9", 138394717), ("chr10", 133797422),
        ("chr11", 135086622), ("chr12", 133275309), ("chr13", 114364328), ("chr14", 107043718), ("chr15", 101991189),
        ("chr16", 90338345), ("chr17", 83257441), ("chr18", 80373285), ("chr19", 58617616), ("chr20", 64444167),
        ("chr21", 46709983), ("chr22", 50818468), ("chrX", 156040895),
    ];

    private static readonly string[] Effects =
        ["missense_variant|MODERATE", "synonymous_variant|LOW", "intron_variant|MODIFIER", "upstream_gene_variant|MODIFIER",
         "downstream_gene_variant|MODIFIER", "3_prime_UTR_variant|MODIFIER", "splice_region_variant&intron_variant|LOW", "stop_gained|HIGH"];

    private static readonly string[] Amino = ["Ala", "Arg", "Asn", "Asp", "Cys", "Gln", "Glu", "Gly", "His", "Ile", "Leu", "Lys", "Met", "Phe", "Pro", "Ser", "Thr", "Trp", "Tyr", "Val"];

    private static readonly string[] Bases = ["A", "C", "G", "T"];

    /// <summary>Writes the VCF as UTF-8 text.</summary>
    public static void Write(Stream output, int records)
    {
        using var text = new StreamWriter(output, new UTF8Encoding(false), 1 << 20, leaveOpen: true) { NewLine = "\n" };
        WriteHeader(text);
        var random = new Random(20261127);
        var total = Contigs.Sum(c => c.Length);
        var written = 0;
        var sb = new StringBuilder(1024);
        foreach (var (contig, length) in Contigs)
        {
            var count = contig == Contigs[^1].Name ? records - written : (int)(records * (double)length / total);
            var step = length / (count + 1);
            var special = contig == "chr2" ? AlkEvents.Length : 0;
            var next = 0;
            long position = 10_000;
            for (var i = 0; i < count; i++)
            {
                position += 1 + random.NextInt64(Math.Max(1, step * 2 - 1));
                while (next < special && AlkEvents[next].Position < position)
                {
                    text.WriteLine(AlkEvents[next++].Line);
                }
                sb.Clear();
                Record(sb, random, contig, position);
                text.WriteLine(sb);
            }
            written += count;
        }
    }

    // ALK exon 23 p.Gly1202Arg (solvent front), and the two breakends of EML4 exon 13 :: ALK exon 20 (v1).
    private static readonly (long Position, string Line)[] AlkEvents =
    [
        (29220765, "chr2\t29220765\t.\tC\tT\t812.6\tPASS\tAC=1;AF=0.5;AN=2;DP=88;FS=1.2;MQ=60.00;QD=9.23;SOR=0.71;"
            + "ANN=T|missense_variant|MODERATE|ALK|ENSG00000171094|transcript|ENST00000389048.8|protein_coding|23/29|c.3604G>A|p.Gly1202Arg|3991/6222|3604/4863|1202/1620||"
            + "\tGT:AD:DP:GQ:PL\t0/1:44,44:88:99:812,0,790"),
        (29223528, "chr2\t29223528\tbnd_1a\tG\tG]chr2:42295516]\t310\tPASS\tSVTYPE=BND;MATEID=bnd_1b;EVENT=eml4_alk;"
            + "ANN=G]chr2:42295516]|gene_fusion|HIGH|ALK&EML4|ENSG00000171094&ENSG00000143924|gene_variant|ENSG00000171094|||n.29223528_42295516inv||||||"
            + "\tGT:AD:DP:GQ:PL\t0/1:30,21:51:99:310,0,402"),
        (42295516, "chr2\t42295516\tbnd_1b\tA\tA]chr2:29223528]\t310\tPASS\tSVTYPE=BND;MATEID=bnd_1a;EVENT=eml4_alk;"
            + "ANN=A]chr2:29223528]|gene_fusion|HIGH|EML4&ALK|ENSG00000143924&ENSG00000171094|gene_variant|ENSG00000143924|||n.29223528_42295516inv||||||"
            + "\tGT:AD:DP:GQ:PL\t0/1:28,21:49:99:310,0,380"),
    ];

    private static void Record(StringBuilder sb, Random random, string contig, long position)
    {
        var reference = Bases[random.Next(4)];
        var alt = Bases[(Array.IndexOf(Bases, reference) + 1 + random.Next(3)) % 4];
        if (random.Next(10) == 0)
        {
            alt = reference + Bases[random.Next(4)] + Bases[random.Next(4)];
        }
        var depth = 10 + random.Next(80);
        var altDepth = random.Next(depth + 1);
        var gene = random.Next(20000);
        var inv = CultureInfo.InvariantCulture;
        sb.Append(contig).Append('\t').Append(position.ToString(inv)).Append("\trs").Append(random.Next(1, 900_000_000).ToString(inv))
            .Append('\t').Append(reference).Append('\t').Append(alt).Append('\t').Append((random.NextDouble() * 3000).ToString("0.##", inv))
            .Append(random.Next(20) == 0 ? "\tLowQual\t" : "\tPASS\t")
            .Append("AC=1;AF=0.5;AN=2;BaseQRankSum=").Append((random.NextDouble() * 4 - 2).ToString("0.000", inv))
            .Append(";DP=").Append(depth.ToString(inv)).Append(";ExcessHet=3.0103;FS=").Append((random.NextDouble() * 10).ToString("0.000", inv))
            .Append(";MLEAC=1;MLEAF=0.5;MQ=60.00;MQRankSum=0.000;QD=").Append((random.NextDouble() * 30).ToString("0.00", inv))
            .Append(";ReadPosRankSum=").Append((random.NextDouble() * 2 - 1).ToString("0.000", inv))
            .Append(";SOR=").Append((random.NextDouble() * 3).ToString("0.000", inv)).Append(";ANN=");
        var annotations = 1 + random.Next(3);
        for (var a = 0; a < annotations; a++)
        {
            var effect = Effects[random.Next(Effects.Length)];
            var codon = 1 + random.Next(1500);
            var exon = 1 + random.Next(20);
            sb.Append(a > 0 ? "," : string.Empty).Append(alt).Append('|').Append(effect).Append("|GENE").Append((gene + a).ToString(inv))
                .Append("|ENSG").Append((100000 + gene + a).ToString("D11", inv)).Append("|transcript|ENST")
                .Append((200000 + gene + a).ToString("D11", inv)).Append(".1|protein_coding|").Append(exon.ToString(inv)).Append("/21|c.")
                .Append((codon * 3).ToString(inv)).Append(reference).Append('>').Append(alt).Append("|p.")
                .Append(Amino[random.Next(20)]).Append(codon.ToString(inv)).Append(Amino[random.Next(20)]).Append('|')
                .Append((codon * 3 + 120).ToString(inv)).Append("/4200|").Append((codon * 3).ToString(inv)).Append("/4500|")
                .Append(codon.ToString(inv)).Append("/1500||");
        }
        sb.Append("\tGT:AD:DP:GQ:PL\t0/1:").Append((depth - altDepth).ToString(inv)).Append(',').Append(altDepth.ToString(inv))
            .Append(':').Append(depth.ToString(inv)).Append(':').Append(random.Next(100).ToString(inv)).Append(':')
            .Append(random.Next(1000).ToString(inv)).Append(",0,").Append(random.Next(1000).ToString(inv));
    }

    private static void WriteHeader(StreamWriter text)
    {
        text.WriteLine("##fileformat=VCFv4.2");
        text.WriteLine("##source=GATK HaplotypeCaller + Manta (synthetic benchmark data)");
        text.WriteLine("##reference=file:///ref/GRCh38/Homo_sapiens_assembly38.fasta");
        foreach (var (name, length) in Contigs)
        {
            text.WriteLine($"##contig=<ID={name},length={length.ToString(CultureInfo.InvariantCulture)}>");
        }
        text.WriteLine("##FILTER=<ID=LowQual,Description=\"Low quality\">");
        foreach (var (id, number, type) in new[]
        {
            ("AC", "A", "Integer"), ("AF", "A", "Float"), ("AN", "1", "Integer"), ("BaseQRankSum", "1", "Float"), ("DP", "1", "Integer"),
            ("ExcessHet", "1", "Float"), ("FS", "1", "Float"), ("MLEAC", "A", "Integer"), ("MLEAF", "A", "Float"), ("MQ", "1", "Float"),
            ("MQRankSum", "1", "Float"), ("QD", "1", "Float"), ("ReadPosRankSum", "1", "Float"), ("SOR", "1", "Float"),
            ("SVTYPE", "1", "String"), ("MATEID", ".", "String"), ("EVENT", "1", "String"),
        })
        {
            text.WriteLine($"##INFO=<ID={id},Number={number},Type={type},Description=\"{id}\">");
        }
        text.WriteLine("##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO' \">");
        text.WriteLine("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">");
        text.WriteLine("##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths\">");
        text.WriteLine("##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">");
        text.WriteLine("##FORMAT=<ID=GQ,Number=1,Type=Integer,Description=\"Genotype quality\">");
        text.WriteLine("##FORMAT=<ID=PL,Number=G,Type=Integer,Description=\"Phred-scaled genotype likelihoods\">");
        text.WriteLine("##SnpEffVersion=\"5.1d (build 2022-04-19 15:49), by Pablo Cingolani\"");
        text.WriteLine("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS26-BENCH");
    }
}
