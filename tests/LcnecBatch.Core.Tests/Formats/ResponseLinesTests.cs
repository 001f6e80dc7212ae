using System.Text;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;

namespace LcnecBatch.Core.Tests.Formats;

/// <summary>The care-team response file (export-format.md, "Responses"): real bytes through the real reader.</summary>
public sealed class ResponseLinesTests
{
    private const string File = "responses/2026-11-27/inbox.jsonl";
    private const string AlertId = "0123456789abcdef0123456789abcdef";
    private static readonly DateOnly Recorded = new(2026, 11, 27);

    private sealed record Outcome(List<AlertResponded> Responses, List<Rejection> Rejections, int Read, int Accepted);

    private static Outcome Read(string text) => Read(Encoding.UTF8.GetBytes(text));

    private static Outcome Read(byte[] bytes)
    {
        var responses = new List<AlertResponded>();
        var rejections = new List<Rejection>();
        var (read, accepted) = ResponseLines.Read(new MemoryStream(bytes), File, Recorded, responses.Add, rejections.Add);
        return new Outcome(responses, rejections, read, accepted);
    }

    /// <summary>One response line; <paramref name="extra"/> is appended inside the object (<c>"kind":...</c> and its fields).</summary>
    private static string Line(string id, string extra, string mrn = "QX100001", string respondedOn = "2026-11-27") =>
        $"{{\"responseId\":\"{id}\",\"mrn\":\"{mrn}\",\"alertId\":\"{AlertId}\",\"respondedOn\":\"{respondedOn}\",{extra}}}";

    [Fact]
    public void Read_EveryKind_BecomesAResponseKnownOnTheFolderDate()
    {
        var text = string.Join("\n",
            Line("r-1", "\"kind\":\"acknowledged\",\"by\":\"oncologist\",\"channel\":\"inbox\""),
            Line("r-2", "\"kind\":\"testedElsewhere\",\"outsideTest\":{\"lab\":\"Outside Lab\",\"date\":\"2026-11-20\",\"method\":\"fish\",\"result\":\"negative\"}"),
            Line("r-3", "\"kind\":\"declined\""),
            Line("r-4", "\"kind\":\"notCandidate\",\"reason\":\"hospice\""),
            Line("r-5", "\"kind\":\"snoozed\",\"until\":\"2027-01-15\""),
            Line("r-6", "\"kind\":\"disagree\",\"disagreement\":\"notLcnec\"")) + "\n";

        var outcome = Read(text);

        Assert.Empty(outcome.Rejections);
        Assert.Equal((6, 6), (outcome.Read, outcome.Accepted));
        Assert.Equal(
            [ResponseKind.Acknowledged, ResponseKind.TestedElsewhere, ResponseKind.Declined, ResponseKind.NotCandidate, ResponseKind.Snoozed, ResponseKind.Disagree],
            outcome.Responses.Select(r => r.Kind));
        Assert.All(outcome.Responses, r => Assert.Equal(Recorded, r.KnownOn));
        Assert.Equal([1, 2, 3, 4, 5, 6], outcome.Responses.Select(r => r.Source.Line));
        Assert.Equal(new OutsideTest("Outside Lab", new DateOnly(2026, 11, 20), OutsideTestMethod.Fish, OutsideTestResult.Negative), outcome.Responses[1].OutsideTest);
        Assert.Equal(NotCandidateReason.Hospice, outcome.Responses[3].Reason);
        Assert.Equal(new DateOnly(2027, 1, 15), outcome.Responses[4].Until);
        Assert.Equal(Disagreement.NotLcnec, outcome.Responses[5].Disagreement);
        Assert.Equal(("oncologist", "inbox"), (outcome.Responses[0].By, outcome.Responses[0].Channel));
    }

    [Fact]
    public void Read_BomCrlfAndBlankLines_AreNotRows()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Line("r-1", "\"kind\":\"declined\"") + "\r\n\r\n   \r\n" + Line("r-2", "\"kind\":\"declined\""))).ToArray();

        var outcome = Read(bytes);

        Assert.Empty(outcome.Rejections);
        Assert.Equal((2, 2), (outcome.Read, outcome.Accepted));
        Assert.Equal([1, 4], outcome.Responses.Select(r => r.Source.Line));
    }

    public static TheoryData<string, string?, string> BadLines => new()
    {
        { "{\"responseId\":", null, "not valid JSON" },
        { "[1,2]", null, "not a JSON object" },
        { Line("r-1", "\"kind\":\"declined\"").Replace("\"mrn\":\"QX100001\",", "", StringComparison.Ordinal), "mrn", "missing" },
        { Line("r-1", "\"kind\":\"declined\"").Replace("\"responseId\":\"r-1\"", "\"responseId\":7", StringComparison.Ordinal), "responseId", "not a string" },
        { Line("r-1", "\"kind\":\"declined\"").Replace(AlertId, "not-an-alert", StringComparison.Ordinal), "alertId", "not an alert id" },
        { Line("r-1", "\"kind\":\"declined\"", respondedOn: "2026-11-31"), "respondedOn", "not a date" },
        { Line("r-1", "\"kind\":\"declined\"", respondedOn: "2026-11-28"), "respondedOn", "after the day the response was recorded" },
        { Line("r-1", "\"kind\":\"ignored\""), "kind", "not one of: acknowledged, testedElsewhere" },
        { Line("r-1", "\"kind\":\"notCandidate\""), "reason", "missing" },
        { Line("r-1", "\"kind\":\"notCandidate\",\"reason\":\"bored\""), "reason", "not one of: hospice, deceased, comfortCare, other" },
        { Line("r-1", "\"kind\":\"snoozed\""), "until", "missing" },
        { Line("r-1", "\"kind\":\"snoozed\",\"until\":\"2026-11-01\""), "until", "before the day of the response" },
        { Line("r-1", "\"kind\":\"disagree\",\"disagreement\":\"NotLcnec\""), "disagreement", "not one of" },
        { Line("r-1", "\"kind\":\"testedElsewhere\""), "outsideTest", "missing" },
        { Line("r-1", "\"kind\":\"testedElsewhere\",\"outsideTest\":\"FISH negative\""), "outsideTest", "not a JSON object" },
        { Line("r-1", "\"kind\":\"testedElsewhere\",\"outsideTest\":{\"date\":\"2026-11-20\",\"method\":\"fish\",\"result\":\"negative\"}"), "outsideTest.lab", "missing" },
        { Line("r-1", "\"kind\":\"testedElsewhere\",\"outsideTest\":{\"lab\":\"L\",\"date\":\"2026-12-20\",\"method\":\"fish\",\"result\":\"negative\"}"), "outsideTest.date", "after the day" },
        { Line("r-1", "\"kind\":\"testedElsewhere\",\"outsideTest\":{\"lab\":\"L\",\"date\":\"2026-11-20\",\"method\":\"sanger\",\"result\":\"negative\"}"), "outsideTest.method", "not one of: ihc, fish, ngs, pcr" },
        { Line("r-1", "\"kind\":\"testedElsewhere\",\"outsideTest\":{\"lab\":\"L\",\"date\":\"2026-11-20\",\"method\":\"fish\",\"result\":\"maybe\"}"), "outsideTest.result", "not one of: positive, negative, equivocal, failed" },
        { Line("r-1", "\"kind\":\"declined\",\"by\":\"dr\\u0007x\""), "by", "control character" },
        { Line("r-1", "\"kind\":\"declined\",\"by\":\"dr\\uD800x\""), "by", "not valid text" },
    };

    [Theory]
    [MemberData(nameof(BadLines))]
    public void Read_BadLine_IsARejectionWithLineAndColumn_AndNeverItsText(string bad, string? column, string reason)
    {
        var outcome = Read(Line("r-0", "\"kind\":\"declined\"") + "\n" + bad + "\n" + Line("r-9", "\"kind\":\"declined\"") + "\n");

        var rejection = Assert.Single(outcome.Rejections);
        Assert.Equal((File, 2, column), (rejection.File, rejection.Line, rejection.Column));
        Assert.Contains(reason, rejection.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("QX100001", rejection.ToString(), StringComparison.Ordinal);
        Assert.Equal((3, 2), (outcome.Read, outcome.Accepted));
        Assert.Equal(["r-0", "r-9"], outcome.Responses.Select(r => r.ResponseId));
    }

    [Fact]
    public void Read_InvalidUtf8InsideAString_IsARejectionOfItsLine()
    {
        var bytes = Encoding.UTF8.GetBytes(Line("r-1", "\"kind\":\"declined\",\"by\":\"d#r\"") + "\n" + Line("r-2", "\"kind\":\"declined\""));
        bytes[Array.IndexOf(bytes, (byte)'#')] = 0xD5;

        var outcome = Read(bytes);

        Assert.Equal((1, null, "not valid UTF-8"), (Assert.Single(outcome.Rejections).Line, outcome.Rejections[0].Column, outcome.Rejections[0].Reason));
        Assert.Equal("r-2", Assert.Single(outcome.Responses).ResponseId);
    }

    [Fact]
    public void Read_LineOverTheBound_IsRejectedUnread_AndTheNextLineIsRead()
    {
        var huge = Line("r-1", $"\"kind\":\"declined\",\"by\":\"{new string('x', ResponseLines.MaxLineBytes)}\"");

        var outcome = Read(huge + "\n" + Line("r-2", "\"kind\":\"declined\""));

        Assert.Equal((1, null), (Assert.Single(outcome.Rejections).Line, outcome.Rejections[0].Column));
        Assert.Equal(2, Assert.Single(outcome.Responses).Source.Line);
    }

    [Fact]
    public void Read_SameResponseTwice_IsOneFact_ButTheSameIdWithOtherContentIsRejected()
    {
        var line = Line("r-1", "\"kind\":\"declined\"");

        var outcome = Read(line + "\n" + line + "\n" + Line("r-1", "\"kind\":\"acknowledged\"") + "\n");

        Assert.Equal((3, 2), (outcome.Read, outcome.Accepted));
        Assert.Single(outcome.Responses.Select(r => r.EventId).Distinct());
        var rejection = Assert.Single(outcome.Rejections);
        Assert.Equal((3, "responseId"), (rejection.Line, rejection.Column));
    }

    [Fact]
    public void Read_FuzzedRealLines_NeverThrow_CountsReconcile_AndRereadIsTheSame()
    {
        var seed = Encoding.UTF8.GetBytes(string.Join("\n",
            Line("r-1", "\"kind\":\"testedElsewhere\",\"outsideTest\":{\"lab\":\"Outside Lab\",\"date\":\"2026-11-20\",\"method\":\"ngs\",\"result\":\"positive\",\"alteration\":\"EML4-ALK\"}"),
            Line("r-2", "\"kind\":\"notCandidate\",\"reason\":\"comfortCare\""),
            Line("r-3", "\"kind\":\"snoozed\",\"until\":\"2027-01-15\""),
            Line("r-4", "\"kind\":\"disagree\",\"disagreement\":\"notLcnec\"")) + "\n");
        var random = new Random(1717);
        for (var i = 0; i < 400; i++)
        {
            var bytes = seed.ToList();
            for (var m = random.Next(1, 6); m > 0; m--)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(5))
                {
                    case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                    case 1: bytes.Insert(at, (byte)random.Next(256)); break;
                    case 2: bytes.RemoveAt(at); break;
                    case 3: bytes.RemoveRange(at, bytes.Count - at); break;
                    default: bytes.InsertRange(at, bytes.Take(at).Skip(Math.Max(0, at - 40))); break;
                }
                if (bytes.Count == 0)
                {
                    break;
                }
            }
            var first = Read([.. bytes]);
            var second = Read([.. bytes]);
            Assert.Equal(first.Read, first.Accepted + first.Rejections.Count);
            Assert.Equal(first.Responses, second.Responses);
            Assert.Equal(first.Rejections, second.Rejections);
        }
    }
}
