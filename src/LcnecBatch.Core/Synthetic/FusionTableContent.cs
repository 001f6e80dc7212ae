using System.Text;

namespace LcnecBatch.Core.Synthetic;

/// <summary>
/// RNA fusion callers' tables as labs deliver them (GRCh38): Arriba <c>fusions.tsv</c> (v2 columns) and STAR-Fusion
/// abridged predictions. Each holds a read-through decoy and, when planned, the EML4–ALK junction: EML4 exon 13 (v1)
/// or exon 6 (v3a) joined to the first base of ALK exon 20. A call planned as not passing is written below the
/// caller's default threshold (Arriba confidence <c>low</c>, STAR-Fusion FFPM 0.02).
/// </summary>
internal static class FusionTableContent
{
    private const string AlkExon20 = "chr2:29223528";

    private const string ArribaHeader = "#gene1\tgene2\tstrand1(gene/fusion)\tstrand2(gene/fusion)\tbreakpoint1\tbreakpoint2\tsite1\tsite2\ttype\tsplit_reads1\tsplit_reads2\tdiscordant_mates\tcoverage1\tcoverage2\tconfidence\treading_frame\ttags\tretained_protein_domains\tclosest_genomic_breakpoint1\tclosest_genomic_breakpoint2\tgene_id1\tgene_id2\ttranscript_id1\ttranscript_id2\tdirection1\tdirection2\tfilters\tfusion_transcript\tpeptide_sequence\tread_identifiers";

    private const string StarFusionHeader = "#FusionName\tJunctionReadCount\tSpanningFragCount\test_J\test_S\tSpliceType\tLeftGene\tLeftBreakpoint\tRightGene\tRightBreakpoint\tLargeAnchorSupport\tFFPM\tLeftBreakDinuc\tLeftBreakEntropy\tRightBreakDinuc\tRightBreakEntropy\tannots";

    private static string Eml4End(RawNgsFile file) => file.Eml4Exon == 6 ? "chr2:42264731" : "chr2:42295516";

    public static string Arriba(RawNgsFile file)
    {
        var text = new StringBuilder(ArribaHeader).Append('\n');
        if (file.AlkFusionFilter is { } filter)
        {
            var confidence = filter == "PASS" ? "high" : "low";
            text.Append($"EML4\tALK\t+/+\t-/-\t{Eml4End(file)}\t{AlkExon20}\tsplice-site\tsplice-site\tinversion\t38\t21\t17\t212\t96\t{confidence}\tin-frame\tMitelman\tWD40|Pkinase_Tyr\t.\t.\tENSG00000143924.19\tENSG00000171094.18\tENST00000318522.10\tENST00000389048.8\tdownstream\tdownstream\tduplicates(12)\t.\t.\t.\n");
        }
        text.Append("SLC45A3\tELK4\t+/+\t-/-\tchr1:205657221\tchr1:205629620\tsplice-site\tsplice-site\tdeletion/read-through\t4\t2\t1\t88\t61\tlow\tin-frame\tduplicate\t.\t.\t.\tENSG00000158715.6\tENSG00000158711.14\tENST00000367145.4\tENST00000357992.9\tdownstream\tupstream\t.\t.\t.\t.\n");
        return text.ToString();
    }

    public static string StarFusion(RawNgsFile file)
    {
        var text = new StringBuilder(StarFusionHeader).Append('\n');
        if (file.AlkFusionFilter is { } filter)
        {
            var ffpm = filter == "PASS" ? "0.4210" : "0.0200";
            text.Append($"EML4--ALK\t14\t29\t14.00\t29.00\tONLY_REF_SPLICE\tEML4^ENSG00000143924.19\t{Eml4End(file)}:+\tALK^ENSG00000171094.18\t{AlkExon20}:-\tYES_LDAS\t{ffpm}\tGT\t1.8295\tAG\t1.9086\t[\"Cosmic\",\"Mitelman\"]\n");
        }
        text.Append("SLC45A3--ELK4\t3\t1\t3.00\t1.00\tONLY_REF_SPLICE\tSLC45A3^ENSG00000158715.6\tchr1:205657221:-\tELK4^ENSG00000158711.14\tchr1:205629620:-\tNO_LDAS\t0.0410\tGT\t1.9\tAG\t1.8\t[\"INTRACHROMOSOMAL[chr1:0.01Mb]\"]\n");
        return text.ToString();
    }
}
