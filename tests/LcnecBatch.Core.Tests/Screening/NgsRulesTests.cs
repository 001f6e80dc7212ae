using System.Text;
using System.Text.Json;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Screening;

/// <summary>What the fusion and mutation alerts say: the fusion and mutations objects of alerts.md, evidence and text.</summary>
public class NgsRulesTests
{
    private static readonly DateOnly Dx = PatientBuilder.Day0;

    private static JsonElement Json(Alert alert) => JsonDocument.Parse(AlertJson.ToUtf8(alert)).RootElement;

    private static MolecularResulted DetectedAlk(string? alteration) => new()
    {
        KnownOn = Dx,
        Source = new SourceRef("f", 1),
        Mrn = "1",
        Accession = "M-1",
        ResultDate = Dx,
        Method = MolecularMethod.Ngs,
        Gene = "ALK",
        Result = MolecularResult.Detected,
        Alteration = alteration,
    };

    [Fact]
    public void FusionUnreported_CarriesTheRawCall_TheEvidenceAndTheDueDate()
    {
        var alert = Assert.Single(new PatientBuilder().Demographics().Report(Dx)
            .Molecular(Dx.AddDays(10), MolecularResult.NotDetected)
            .RawFile(Dx.AddDays(10), "M26-00001", [PatientBuilder.Eml4AlkV1])
            .Screen(Dx.AddDays(30), "ALK_FUSION_UNREPORTED"));

        Assert.Equal(("M26-00001", Dx.AddDays(17)), (alert.Subject, alert.Finding.DueSince));
        Assert.Equal(
            """{"partner":"EML4","partnerExon":13,"alkExon":20,"variant":"v1","variantClass":"long","caller":"manta","breakpoints":["chr2:42296000","chr2:29224000"],"build":"GRCh38"}""",
            Json(alert).GetProperty("fusion").GetRawText());
        Assert.Equal(["diagnosis", "ngs", "molecular"], alert.Finding.Evidence.Select(e => e.Kind));
        var ngs = alert.Finding.Evidence[1];
        Assert.Equal(("2026-01-15/ngs/M26-00001.vcf", 9), (ngs.Source.File, ngs.Source.Line));
        Assert.Contains("EML4-ALK variant v1 (long)", alert.Finding.Recommendation, StringComparison.Ordinal);
        Assert.Contains("says ALK not detected", alert.Finding.Recommendation, StringComparison.Ordinal);
        Assert.False(Json(alert).TryGetProperty("mutations", out _));
    }

    [Fact]
    public void FusionUnreported_OneAlertPerAccession_EvidenceFromEveryFile()
    {
        var arriba = PatientBuilder.Eml4AlkV1 with { Caller = "arriba", Breakpoints = ["chr2:42295516", "chr2:29223528"], Line = 2 };
        var alerts = new PatientBuilder().Demographics().Report(Dx)
            .Molecular(Dx.AddDays(10), MolecularResult.NotDetected)
            .RawFile(Dx.AddDays(10), "M26-00001", [PatientBuilder.Eml4AlkV1])
            .RawFile(Dx.AddDays(11), "M26-00001", [arriba], kind: RawNgsKind.Arriba)
            .Screen(Dx.AddDays(30), "ALK_FUSION_UNREPORTED");

        var alert = Assert.Single(alerts);
        Assert.Equal(2, alert.Finding.Evidence.Count(e => e.Kind == "ngs"));
        Assert.Equal(Dx.AddDays(17), alert.Finding.DueSince); // the first file's arrival starts the window
    }

    [Fact]
    public void FusionUnreported_SampleMismatch_IsSaidInTheEvidence()
    {
        var patient = new PatientBuilder().Demographics().Report(Dx).Molecular(Dx.AddDays(10), MolecularResult.NotDetected);
        var store = patient.Store();
        store.Add(new RawNgsFileArrived
        {
            KnownOn = Dx.AddDays(10),
            Source = new SourceRef("2026-01-15/ngs/M26-00001.vcf", 0),
            Accession = "M26-00001",
            Kind = RawNgsKind.Vcf,
            ContentHash = "x",
            Fusions = [PatientBuilder.Eml4AlkV1],
            SampleMismatch = true,
        });

        var alert = Assert.Single(new Screener(new ScreeningOptions()).Screen(store, Dx.AddDays(30)), a => a.RuleId == "ALK_FUSION_UNREPORTED");

        Assert.Contains("sample column does not name this accession", alert.Finding.Evidence.Single(e => e.Kind == "ngs").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void FusionActionable_FromTheReportAlone_HasPartnerExonsAndVariant()
    {
        var alert = Assert.Single(new PatientBuilder().Demographics().Report(Dx)
            .Molecular(Dx.AddDays(8), MolecularResult.Detected, MolecularMethod.RtPcr, alteration: "EML4-ALK fusion (E6:A20)")
            .Screen(Dx.AddDays(8), "ALK_FUSION_ACTIONABLE"));

        Assert.Equal("""{"partner":"EML4","partnerExon":6,"alkExon":20,"variant":"v3a","variantClass":"short"}""", Json(alert).GetProperty("fusion").GetRawText());
        Assert.Contains("EML4-ALK variant v3a (short)", alert.Finding.Recommendation, StringComparison.Ordinal);
        Assert.Contains("brain", alert.Finding.Recommendation, StringComparison.Ordinal);
    }

    [Fact]
    public void FusionActionable_WithTheRawFileOfTheAccession_AddsBreakpointsCallerAndBuild()
    {
        var alert = Assert.Single(new PatientBuilder().Demographics().Report(Dx)
            .Molecular(Dx.AddDays(8), MolecularResult.Detected, alteration: "EML4-ALK fusion")
            .RawFile(Dx.AddDays(8), "M26-00001", [PatientBuilder.Eml4AlkV1])
            .Screen(Dx.AddDays(8), "ALK_FUSION_ACTIONABLE"));

        var fusion = alert.Finding.Fusion!;
        Assert.Equal(("EML4", 13, 20, "v1", "manta", "GRCh38"), (fusion.Partner, fusion.PartnerExon, fusion.AlkExon, fusion.Variant, fusion.Caller, fusion.Build));
        Assert.Equal(["chr2:42296000", "chr2:29224000"], fusion.Breakpoints);
        Assert.Equal(["diagnosis", "molecular", "ngs"], alert.Finding.Evidence.Select(e => e.Kind));
    }

    [Fact]
    public void ResistanceMutation_CompoundMutations_ListEachWithItsInhibitorsAndWarn()
    {
        var alert = Assert.Single(new PatientBuilder().Demographics().Report(Dx)
            .Molecular(Dx.AddDays(8), MolecularResult.Detected, alteration: "EML4-ALK fusion (E13:A20)")
            .Molecular(Dx.AddDays(200), MolecularResult.Detected, alteration: "ALK p.Gly1202Arg + L1196M", accession: "M26-00002")
            .Screen(Dx.AddDays(200), "ALK_RESISTANCE_MUTATION"));

        Assert.Equal("M26-00002", alert.Subject);
        Assert.Null(alert.Finding.DueSince);
        var mutations = Json(alert).GetProperty("mutations");
        Assert.Equal(
            """[{"protein":"G1202R","resistantTo":["crizotinib","ceritinib","alectinib"],"sensitiveTo":["lorlatinib"]},{"protein":"L1196M","resistantTo":["crizotinib"],"sensitiveTo":["ceritinib","alectinib","brigatinib","lorlatinib"]}]""",
            mutations.GetRawText());
        Assert.Contains("G1202R is reported to confer resistance to crizotinib, ceritinib, alectinib", alert.Finding.Recommendation, StringComparison.Ordinal);
        Assert.Contains("compound", alert.Finding.Recommendation, StringComparison.Ordinal);
        Assert.Equal(["diagnosis", "molecular", "molecular"], alert.Finding.Evidence.Select(e => e.Kind));
    }

    [Fact]
    public void ResistanceMutation_FromReportAndRawFile_IsOneMutationWithItsPosition()
    {
        var alert = Assert.Single(new PatientBuilder().Demographics().Report(Dx)
            .Molecular(Dx.AddDays(8), MolecularResult.Detected, alteration: "EML4-ALK fusion (E13:A20)")
            .Molecular(Dx.AddDays(200), MolecularResult.Detected, alteration: "ALK G1202R", accession: "M26-00002")
            .RawFile(Dx.AddDays(200), "M26-00002", mutations: [PatientBuilder.G1202R])
            .Screen(Dx.AddDays(200), "ALK_RESISTANCE_MUTATION"));

        var mutation = Assert.Single(alert.Finding.Mutations!);
        Assert.Equal(("G1202R", "chr2:29220765"), (mutation.Protein, mutation.Position));
        Assert.Contains("Consider switching to lorlatinib", alert.Finding.Recommendation, StringComparison.Ordinal);
        Assert.Equal(["diagnosis", "molecular", "molecular", "ngs"], alert.Finding.Evidence.Select(e => e.Kind));
    }

    [Theory]
    [InlineData("EML4-ALK fusion (E13:A20)", "EML4", 13, 20, "v1", "long")]
    [InlineData("EML4-ALK fusion (E6:A20)", "EML4", 6, 20, "v3a", "short")]
    [InlineData("EML4-ALK E6b;A20", "EML4", 6, 20, "v3b", "short")]
    [InlineData("EML4-ALK E20;A20", "EML4", 20, 20, "v2", "long")]
    [InlineData("EML4-ALK E13;ins69A20", "EML4", 13, 20, "v6", "long")]
    [InlineData("EML4-ALK E14;ins11del49A20", "EML4", 14, 20, "v4", "long")]
    [InlineData("KIF5B-ALK: KIF5B exon 24 :: ALK exon 20", "KIF5B", 24, 20, null, null)]
    [InlineData("NPM1-ALK fusion", "NPM1", null, null, null, null)]
    [InlineData("ALK rearrangement (break-apart)", null, null, null, null, null)]
    public void Alteration_Fusion_ReadsPartnerExonsAndVariant(string text, string? partner, int? partnerExon, int? alkExon, string? variant, string? variantClass)
    {
        var fusion = AlkAlteration.Fusion(DetectedAlk(text))!;

        Assert.Equal((partner, partnerExon, alkExon, variant, variantClass), (fusion.Partner, fusion.PartnerExon, fusion.AlkExon, fusion.Variant, fusion.VariantClass));
    }

    [Theory]
    [InlineData("ALK G1202R", "G1202R")]
    [InlineData("p.(Gly1202Arg)", "G1202R")]
    [InlineData("L1196M/G1202R compound mutation", "L1196M G1202R")]
    [InlineData("EML4-ALK v3 with ALK T1151_L1152insT", "T1151_L1152insT")]
    [InlineData("ALK R1275Q", "")]
    [InlineData("EML4-ALK fusion (E13:A20)", "")]
    public void Alteration_ResistanceMutations_FindsEveryTableEntryNamed(string text, string expected)
    {
        Assert.Equal(expected, string.Join(' ', AlkAlteration.ResistanceMutations(text).Select(e => e.Protein)));
    }

    [Theory]
    [InlineData("ALK G1202R", false)]
    [InlineData("p.Gly1202Arg", false)]
    [InlineData("ALK p.(G1202R) mutation", false)]
    [InlineData("L1196M and G1202R compound mutations", false)]
    [InlineData("EML4-ALK fusion with G1202R", true)]
    [InlineData("ALK rearrangement", true)]
    [InlineData(null, true)]
    public void IsFusion_PointMutationsOnly_AreNotAFusion(string? alteration, bool fusion)
    {
        Assert.Equal(fusion, AlkFusionActionableRule.IsFusion(DetectedAlk(alteration)));
    }

    [Fact]
    public void AlertJson_ReportTextInFusionFields_IsEncoded()
    {
        var alert = Assert.Single(new PatientBuilder().Demographics().Report(Dx)
            .Molecular(Dx.AddDays(8), MolecularResult.Detected, alteration: "<script>X</script>-ALK fusion")
            .Screen(Dx.AddDays(8), "ALK_FUSION_ACTIONABLE"));

        var json = Encoding.UTF8.GetString(AlertJson.ToUtf8(alert));

        Assert.DoesNotContain("<script>", json, StringComparison.Ordinal);
        Assert.Equal("<script>X</script>-ALK fusion", JsonDocument.Parse(json).RootElement.GetProperty("evidence")[1].GetProperty("text").GetString()![^29..]);
    }
}
