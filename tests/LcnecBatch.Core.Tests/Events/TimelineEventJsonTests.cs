using System.Text;
using System.Text.Json;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Events;

public class TimelineEventJsonTests
{
    private static readonly DateOnly Dx = PatientBuilder.Day0;

    public static TheoryData<TimelineEvent> EveryKind()
    {
        var source = new SourceRef("2026-01-05/pathology_reports.csv", 12);
        return new TheoryData<TimelineEvent>
        {
            new DemographicsRecorded { KnownOn = Dx, Source = source, Mrn = "100234", Sex = Sex.Female, BirthDate = new(1960, 2, 29), Smoking = SmokingStatus.Never, PackYears = 12.50m, CareTeam = "thoracic-onc-tj" },
            new DemographicsRecorded { KnownOn = Dx, Source = source, Mrn = "100234" },
            new PathologyReported
            {
                KnownOn = Dx, Source = source, Mrn = "100234", Accession = "S26-04417", ReportDate = Dx.AddDays(-2),
                FinalDiagnosis = "Lung, left hilum:\n- \"Large cell\" neuroendocrine carcinoma <LCNEC> & more", SpecimenSite = "Lung", Procedure = "core",
                Morphology = "8013/3", Topography = "C34.1", Stage = "IVB", Addendum = true, CareTeam = "team-b",
            },
            new IhcResulted { KnownOn = Dx, Source = source, Mrn = "100234", Accession = "S26-04417", ResultDate = Dx, Marker = "ALK", AntibodyClone = "D5F3", Result = IhcResult.Positive, Value = 0.0m, Comment = "strong" },
            new MolecularResulted
            {
                KnownOn = Dx, Source = source, Mrn = "100234", Accession = "M26-1", ResultDate = Dx, Method = MolecularMethod.RtPcr, Gene = "ALK",
                Result = MolecularResult.NotDetected, Alteration = "EML4-ALK fusion (E6:A20)", File = "2026-01-05/ngs/M26-1.vcf.gz",
            },
            new RawNgsFileArrived { KnownOn = Dx, Source = new SourceRef("2026-01-05/ngs/M26-1.vcf", 0), Accession = "M26-1", Kind = RawNgsKind.StarFusion, ContentHash = "ab12" },
            new RawNgsFileArrived
            {
                KnownOn = Dx, Source = new SourceRef("2026-01-05/ngs/M26-2.vcf.gz", 0), Accession = "M26-2", Kind = RawNgsKind.Vcf, ContentHash = "cd34",
                Fusions = [PatientBuilder.Eml4AlkV1, PatientBuilder.Eml4AlkV1 with { IsReciprocal = true, PassesFilter = false, Partner = null, Breakpoints = ["chr2:29224000"] }],
                Mutations = [PatientBuilder.G1202R], SampleMismatch = true,
            },
        };
    }

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void Parse_WhatToUtf8Wrote_IsTheSameFactWithTheSameId(TimelineEvent fact)
    {
        var parsed = TimelineEventJson.Parse(TimelineEventJson.ToUtf8(fact));

        Assert.Equal(fact.EventId, parsed.EventId);
        Assert.Equal(fact, parsed); // records compare every field, the cached id too: computed on both first
        Assert.Equal(fact.GetType(), parsed.GetType());
    }

    [Fact]
    public void ToUtf8_NamesTheKind_AndLeavesComputedMembersOut()
    {
        var ihc = new IhcResulted { KnownOn = Dx, Source = new SourceRef("f", 1), Mrn = "1", Accession = "S-1", ResultDate = Dx, Marker = "ALK", Result = IhcResult.Positive };

        var json = Encoding.UTF8.GetString(TimelineEventJson.ToUtf8(ihc));

        Assert.StartsWith("{\"type\":\"ihc\",", json, StringComparison.Ordinal);
        Assert.Contains("\"result\":\"Positive\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("eventId", json, StringComparison.Ordinal);
        Assert.DoesNotContain("isAlk", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"type\":\"unknown\",\"knownOn\":\"2026-01-05\"}")]
    [InlineData("{\"type\":\"ihc\",\"knownOn\":\"2026-01-05\",\"source\":{\"file\":\"f\",\"line\":1}}")]
    [InlineData("null")]
    public void Parse_NotAnEventWrittenByToUtf8_Throws(string json)
    {
        Assert.ThrowsAny<JsonException>(() => TimelineEventJson.Parse(Encoding.UTF8.GetBytes(json)));
    }
}
