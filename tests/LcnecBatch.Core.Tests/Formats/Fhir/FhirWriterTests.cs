using System.Text;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Formats.Fhir;
using LcnecBatch.Core.Tests.Formats.Hl7v2;

namespace LcnecBatch.Core.Tests.Formats.Fhir;

public class FhirWriterTests
{
    [Fact]
    public void Read_OfWrite_GivesTheSameFacts()
    {
        var facts = LabFacts.Sample();
        facts.Add(new DemographicsRecorded { KnownOn = LabCorpus.Batch, Source = new SourceRef("written", 0), Mrn = "900003" });
        var json = FhirWriter.Write(facts);
        var events = new List<TimelineEvent>();
        var rejections = new List<Rejection>();

        FhirExportReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "2026-11-27/written.json", LabCorpus.Batch, events.Add, rejections.Add, ndjson: false);

        Assert.Empty(rejections);
        Assert.Equal(LabCorpus.Facts(facts), LabCorpus.Facts(events));
        Assert.All(events, e => Assert.True(e.Source.Line > 1));
    }

    [Fact]
    public void Write_IsDeterministic()
    {
        var first = FhirWriter.Write(LabFacts.Sample());

        Assert.Equal(first, FhirWriter.Write(LabFacts.Sample()));
        Assert.Contains("\"type\": \"collection\"", first, StringComparison.Ordinal);
        Assert.DoesNotContain("timestamp", first, StringComparison.Ordinal);
    }
}
