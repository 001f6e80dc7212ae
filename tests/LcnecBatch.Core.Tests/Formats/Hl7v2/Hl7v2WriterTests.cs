using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Formats.Hl7v2;

namespace LcnecBatch.Core.Tests.Formats.Hl7v2;

public class Hl7v2WriterTests
{
    [Theory]
    [InlineData("\r")]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Read_OfWrite_GivesTheSameFacts(string separator)
    {
        var facts = LabFacts.Sample();
        var text = Hl7v2Writer.Write(facts, separator);
        var events = new List<TimelineEvent>();
        var rejections = new List<Rejection>();

        var counts = Hl7v2ExportReader.Read(LabCorpus.Text(text), "2026-11-27/written.hl7", LabCorpus.Batch, events.Add, rejections.Add);

        Assert.Empty(rejections);
        Assert.Equal(new Hl7v2FileCounts(2, 2, 0), counts);
        Assert.Equal(LabCorpus.Facts(facts), LabCorpus.Facts(events));
        Assert.All(events, e => Assert.True(e.Source.Line > 0));
    }

    [Fact]
    public void Write_IsDeterministic_AndFramedAsABatch()
    {
        var first = Hl7v2Writer.Write(LabFacts.Sample());
        var second = Hl7v2Writer.Write(LabFacts.Sample());

        Assert.Equal(first, second);
        Assert.StartsWith("BHS|^~\\&|", first, StringComparison.Ordinal);
        Assert.EndsWith("BTS|2\r", first, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', first);
    }
}
