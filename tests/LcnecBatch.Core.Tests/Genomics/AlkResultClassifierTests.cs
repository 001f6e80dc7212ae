using LcnecBatch.Core.Genomics;
using static LcnecBatch.Core.Genomics.AlkAlterationKind;

namespace LcnecBatch.Core.Tests.Genomics;

/// <summary>
/// ALK result texts as laboratories write them (report alteration cells, HL7/FHIR value text, vendor names), each with
/// the class, partner, exons, EML4–ALK variant and mutations a molecular pathologist reads in it.
/// </summary>
public class AlkResultClassifierTests
{
    [Theory]
    // Fusions: every partner notation.
    [InlineData("EML4-ALK", Fusion, "EML4", null, null, null, "")]
    [InlineData("EML4::ALK", Fusion, "EML4", null, null, null, "")]
    [InlineData("EML4–ALK fusion", Fusion, "EML4", null, null, null, "")]
    [InlineData("EML4--ALK", Fusion, "EML4", null, null, null, "")]
    [InlineData("eml4-alk fusion detected", Fusion, "EML4", null, null, null, "")]
    [InlineData("EML4-ALK fusion (E13:A20)", Fusion, "EML4", "13", 20, "v1", "")]
    [InlineData("EML4-ALK fusion (E6:A20)", Fusion, "EML4", "6", 20, "v3a", "")]
    [InlineData("EML4-ALK E6b;A20", Fusion, "EML4", "6b", 20, "v3b", "")]
    [InlineData("EML4-ALK E20;A20", Fusion, "EML4", "20", 20, "v2", "")]
    [InlineData("EML4-ALK E13;ins69A20", Fusion, "EML4", "13", 20, "v6", "")]
    [InlineData("EML4-ALK (E14;ins11del49A20)", Fusion, "EML4", "14", 20, "v4", "")]
    [InlineData("EML4-ALK E14;del12A20", Fusion, "EML4", "14", 20, "v7", "")]
    [InlineData("EML4 exon 13 - ALK exon 20", Fusion, "EML4", "13", 20, "v1", "")]
    [InlineData("EML4 exon 6 – ALK exon 20", Fusion, "EML4", "6", 20, "v3a", "")]
    [InlineData("EML4 exon 20 :: ALK exon 20", Fusion, "EML4", "20", 20, "v2", "")]
    [InlineData("EML4 (exon 13)::ALK (exon 20)", Fusion, "EML4", "13", 20, "v1", "")]
    [InlineData("EML4(NM_019063.4)-ALK(NM_004304.4) fusion (E13;A20)", Fusion, "EML4", "13", 20, "v1", "")]
    [InlineData("EML4-ALK.E6aA20.AB374361", Fusion, "EML4", "6a", 20, "v3a", "")]
    [InlineData("E6a/b;A20", Fusion, "EML4", "6a/b", 20, "v3a/v3b", "")]
    [InlineData("E13;A20", Fusion, "EML4", "13", 20, "v1", "")]
    [InlineData("EML4-ALK v3a/b", Fusion, "EML4", "6a/b", 20, "v3a/v3b", "")]
    [InlineData("EML4-ALK variant 1", Fusion, "EML4", "13", 20, "v1", "")]
    [InlineData("EML4-ALK v2", Fusion, "EML4", "20", 20, "v2", "")]
    [InlineData("EML4-ALK V5a", Fusion, "EML4", "2", 20, "v5a", "")]
    [InlineData("EML4-ALK variant 3", Fusion, "EML4", "6a/b", 20, "v3a/v3b", "")]
    [InlineData("KIF5B exon 24 :: ALK exon 20", Fusion, "KIF5B", "24", 20, null, "")]
    [InlineData("KIF5B-ALK: KIF5B exon 24 :: ALK exon 20", Fusion, "KIF5B", "24", 20, null, "")]
    [InlineData("KIF5B-ALK (K24;A20)", Fusion, "KIF5B", "24", 20, null, "")]
    [InlineData("KLC1-ALK (K9:A20)", Fusion, "KLC1", "9", 20, null, "")]
    [InlineData("HIP1-ALK fusion (H21;A20)", Fusion, "HIP1", "21", 20, null, "")]
    [InlineData("TFG-ALK fusion", Fusion, "TFG", null, null, null, "")]
    [InlineData("STRN-ALK", Fusion, "STRN", null, null, null, "")]
    [InlineData("C2orf44-ALK", Fusion, "C2orf44", null, null, null, "")]
    [InlineData("PLB1-ALK fusion", Fusion, "PLB1", null, null, null, "")]
    [InlineData("t(2;5)(p23;q35) NPM1-ALK", Fusion, "NPM1", null, null, null, "")]
    [InlineData("NPM1::ALK", Fusion, "NPM1", null, null, null, "")]
    // Rearrangements: no partner named.
    [InlineData("ALK rearranged, partner unknown", Rearrangement, null, null, null, null, "")]
    [InlineData("ALK gene rearrangement, partner gene not identified", Rearrangement, null, null, null, null, "")]
    [InlineData("ALK break-apart positive", Rearrangement, null, null, null, null, "")]
    [InlineData("ALK rearrangement (break-apart)", Rearrangement, null, null, null, null, "")]
    [InlineData("ALK rearrangement detected by FISH (54% of nuclei)", Rearrangement, null, null, null, null, "")]
    [InlineData("Positive for ALK rearrangement; 27/50 (54%) nuclei with split/isolated 3' signals", Rearrangement, null, null, null, null, "")]
    [InlineData("ALK fusion detected", Rearrangement, null, null, null, null, "")]
    [InlineData("ALK translocation", Rearrangement, null, null, null, null, "")]
    [InlineData("inv(2)(p21p23)", Rearrangement, null, null, null, null, "")]
    [InlineData("t(2;5)(p23;q35)", Rearrangement, null, null, null, null, "")]
    // Point mutations: every HGVS spelling, legacy names, del/ins/dup, exon-level.
    [InlineData("ALK G1202R", PointMutation, null, null, null, null, "G1202R")]
    [InlineData("p.G1202R", PointMutation, null, null, null, null, "G1202R")]
    [InlineData("p.Gly1202Arg", PointMutation, null, null, null, null, "G1202R")]
    [InlineData("G1202R", PointMutation, null, null, null, null, "G1202R")]
    [InlineData("ALK G1202R (VAF 12%)", PointMutation, null, null, null, null, "G1202R")]
    [InlineData("c.3604G>A", PointMutation, null, null, null, null, "c.3604G>A")]
    [InlineData("ALK c.3604G>A (p.Gly1202Arg)", PointMutation, null, null, null, null, "G1202R")]
    [InlineData("ALK c.3586C>A", PointMutation, null, null, null, null, "c.3586C>A")]
    [InlineData("L1196M", PointMutation, null, null, null, null, "L1196M")]
    [InlineData("ENSP00000375495.3:p.Leu1196Met", PointMutation, null, null, null, null, "L1196M")]
    [InlineData("ALK p.I1171N", PointMutation, null, null, null, null, "I1171N")]
    [InlineData("ALK I1171T; V1180L", PointMutation, null, null, null, null, "I1171T V1180L")]
    [InlineData("ALK F1174L", PointMutation, null, null, null, null, "F1174L")]
    [InlineData("ALK R1275Q", PointMutation, null, null, null, null, "R1275Q")]
    [InlineData("ALK p.Phe1245Val", PointMutation, null, null, null, null, "F1245V")]
    [InlineData("p.(Gly1269Ala)", PointMutation, null, null, null, null, "G1269A")]
    [InlineData("ALK p.(E1210K)", PointMutation, null, null, null, null, "E1210K")]
    [InlineData("ALK D1203N", PointMutation, null, null, null, null, "D1203N")]
    [InlineData("ALK p.G1202del", PointMutation, null, null, null, null, "G1202del")]
    [InlineData("ALK p.Gly1202del", PointMutation, null, null, null, null, "G1202del")]
    [InlineData("ALK p.T1151_L1152insT", PointMutation, null, null, null, null, "T1151_L1152insT")]
    [InlineData("ALK p.Thr1151_Leu1152insThr", PointMutation, null, null, null, null, "T1151_L1152insT")]
    [InlineData("ALK 1151Tins", PointMutation, null, null, null, null, "T1151_L1152insT")]
    [InlineData("ALK p.L1152_E1154dup", PointMutation, null, null, null, null, "L1152_E1154dup")]
    [InlineData("ALK exon 23 deletion", PointMutation, null, null, null, null, "exon 23 deletion")]
    [InlineData("ALK L1196M/G1202R compound mutation", PointMutation, null, null, null, null, "L1196M G1202R")]
    [InlineData("ALK VUS p.R1192W", PointMutation, null, null, null, null, "R1192W")]
    // Copy number.
    [InlineData("ALK amplification", CopyNumberGain, null, null, null, null, "")]
    [InlineData("ALK copy number gain (CN=8)", CopyNumberGain, null, null, null, null, "")]
    [InlineData("ALK amp", CopyNumberGain, null, null, null, null, "")]
    [InlineData("ALK amplified (ALK/CEP2 ratio 2.5)", CopyNumberGain, null, null, null, null, "")]
    [InlineData("ALK polysomy, no rearrangement", CopyNumberGain, null, null, null, null, "")]
    // Expression only.
    [InlineData("ALK protein overexpression", ExpressionOnly, null, null, null, null, "")]
    [InlineData("ALK expression (IHC)", ExpressionOnly, null, null, null, null, "")]
    [InlineData("ALK mRNA overexpression", ExpressionOnly, null, null, null, null, "")]
    [InlineData("ALK overexpressed", ExpressionOnly, null, null, null, null, "")]
    // Mixed rows: the fusion leads, the rest is kept.
    [InlineData("EML4-ALK (E6;A20); ALK G1202R", Fusion, "EML4", "6", 20, "v3a", "G1202R")]
    [InlineData("EML4-ALK v1 with L1196M and G1202R (compound)", Fusion, "EML4", "13", 20, "v1", "L1196M G1202R")]
    [InlineData("EML4-ALK E13;A20, ALK p.Gly1202Arg (VAF 8%)", Fusion, "EML4", "13", 20, "v1", "G1202R")]
    [InlineData("EML4-ALK fusion with ALK amplification", Fusion, "EML4", null, null, null, "")]
    [InlineData("ALK G1202R and ALK amplification", PointMutation, null, null, null, null, "G1202R")]
    [InlineData("EML4-ALK not detected; ALK G1202R", PointMutation, null, null, null, null, "G1202R")]
    [InlineData("EML4-ALK v3 without resistance mutations", Fusion, "EML4", "6a/b", 20, "v3a/v3b", "")]
    [InlineData("ALK rearrangement detected (negative for G1202R)", Rearrangement, null, null, null, null, "")]
    // Negatives and unknowns.
    [InlineData("ALK wild type", NoAlteration, null, null, null, null, "")]
    [InlineData("no ALK alteration", NoAlteration, null, null, null, null, "")]
    [InlineData("ALK rearrangement not detected", NoAlteration, null, null, null, null, "")]
    [InlineData("Negative for ALK rearrangement", NoAlteration, null, null, null, null, "")]
    [InlineData("ALK break-apart negative", NoAlteration, null, null, null, null, "")]
    [InlineData("ALK non-amplified", NoAlteration, null, null, null, null, "")]
    [InlineData("ALK VUS", Unknown, null, null, null, null, "")]
    [InlineData("ALK positive", Unknown, null, null, null, null, "")]
    [InlineData("see scanned report", Unknown, null, null, null, null, "")]
    [InlineData("", Unknown, null, null, null, null, "")]
    [InlineData(null, Unknown, null, null, null, null, "")]
    public void Classify_RealWorldText_GivesClassPartnerExonsVariantAndMutations(
        string? text, AlkAlterationKind kind, string? partner, string? partnerExon, int? alkExon, string? variant, string mutations)
    {
        var finding = AlkResultClassifier.Classify(text);

        Assert.Equal(
            (kind, partner, partnerExon, alkExon, variant, mutations),
            (finding.Kind, finding.Partner, finding.PartnerExon, finding.AlkExon, finding.Variant?.Name ?? finding.Variant?.Notation, string.Join(' ', finding.Mutations.Select(m => m.Name))));
    }

    [Theory]
    [InlineData("EML4-ALK (E6;A20); ALK G1202R", true, false, false)]
    [InlineData("EML4-ALK v1 with L1196M and G1202R (compound)", true, true, false)]
    [InlineData("EML4-ALK fusion with ALK amplification", true, false, true)]
    [InlineData("ALK G1202R and ALK amplification", true, false, true)]
    [InlineData("ALK L1196M/G1202R compound mutation", false, true, false)]
    [InlineData("ALK G1202R", false, false, false)]
    [InlineData("EML4-ALK E13;A20", false, false, false)]
    public void Classify_MixedRows_AreFlagged(string text, bool mixed, bool compound, bool copyNumberGain)
    {
        var finding = AlkResultClassifier.Classify(text);

        Assert.Equal((mixed, compound, copyNumberGain), (finding.IsMixed, finding.IsCompound, finding.CopyNumberGain));
    }

    [Theory]
    [InlineData("ALK G1202R", "G1202R")]
    [InlineData("ALK F1174L", "F1174L")]
    [InlineData("ALK R1275Q", "")]
    [InlineData("ALK p.Phe1245Val", "")]
    [InlineData("ALK c.3604G>A", "")]
    [InlineData("EML4-ALK v1 with L1196M and G1202R (compound)", "L1196M G1202R")]
    public void Classify_ResistanceTableRows_AreLinkedOnlyForTableEntries(string text, string expected)
    {
        Assert.Equal(expected, string.Join(' ', AlkResultClassifier.Classify(text).ResistanceMutations.Select(e => e.Protein)));
    }

    [Theory]
    [InlineData("EML4-ALK", true)]
    [InlineData("ALK break-apart positive", true)]
    [InlineData("ALK G1202R", false)]
    [InlineData("ALK amplification", false)]
    [InlineData("ALK protein overexpression", false)]
    [InlineData("ALK wild type", false)]
    [InlineData("ALK VUS", false)]
    public void IsFusion_OnlyFusionAndRearrangement(string text, bool fusion)
    {
        Assert.Equal(fusion, AlkResultClassifier.Classify(text).IsFusion);
    }

    [Fact]
    public void Classify_HostileText_NeverThrowsAndStaysLinear()
    {
        var random = new Random(15);
        const string alphabet = "EML4-ALK:;,.()[] exon13A20pGly1202ArgG1202R c.3604G>A no not amp v3a/b\n";
        for (var i = 0; i < 500; i++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 200)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var finding = AlkResultClassifier.Classify(text);
            Assert.Equal(finding, AlkResultClassifier.Classify(text) with { Mutations = finding.Mutations });
        }
        var started = System.Diagnostics.Stopwatch.StartNew();
        AlkResultClassifier.Classify(string.Concat(Enumerable.Repeat("EML4 exon 13 - ", 20_000)) + "ALK");
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }
}
