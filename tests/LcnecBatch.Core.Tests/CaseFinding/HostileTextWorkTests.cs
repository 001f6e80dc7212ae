using LcnecBatch.Core.CaseFinding;

namespace LcnecBatch.Core.Tests.CaseFinding;

/// <summary>
/// Case finding on hostile report texts does work linear in the text: counted in elementary steps
/// (<see cref="FinderWork"/>), not timed, so the bound holds on any machine.
/// </summary>
public class HostileTextWorkTests
{
    // Steps per character the finder may spend on any text (implementation-notes.md, "Case finding work"):
    // six scans of the text, at most 20 word-window walks over a character, organ neighbourhoods.
    private const double MaxStepsPerChar = 48;

    public static TheoryData<HostileReportText.Shape> Shapes() => [.. Enum.GetValues<HostileReportText.Shape>()];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void FindMentions_HostileText_WorkPerCharacterDoesNotGrowWithSize(HostileReportText.Shape shape)
    {
        var perChar = new[] { 10_000, 100_000, 1_000_000 }.Select(size => StepsPerChar(shape, size, FindMentions)).ToArray();

        Assert.All(perChar, ratio => Assert.InRange(ratio, 0.5, MaxStepsPerChar));
        Assert.True(perChar[2] <= 1.5 * perChar[0], $"{shape}: {perChar[0]:F2} steps/char at 10 KB, {perChar[2]:F2} at 1 MB");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SaysMetastatic_HostileText_WorkPerCharacterDoesNotGrowWithSize(HostileReportText.Shape shape)
    {
        var perChar = new[] { 10_000, 100_000, 1_000_000 }.Select(size => StepsPerChar(shape, size, SaysMetastatic)).ToArray();

        Assert.All(perChar, ratio => Assert.InRange(ratio, 0.5, MaxStepsPerChar));
        Assert.True(perChar[2] <= 1.5 * perChar[0], $"{shape}: {perChar[0]:F2} steps/char at 10 KB, {perChar[2]:F2} at 1 MB");
    }

    [Fact]
    public void FindMentions_OneCueBeforeAMegabyteOfMentions_WalksOnlyTheWordWindow()
    {
        // The old count walked from "no" to every mention: one mention more, the whole gap again.
        var text = "no " + new string(' ', 200_000) + string.Concat(Enumerable.Repeat("lcnec ", 100_000));
        var work = new FinderWork();

        var mentions = LcnecFinder.FindMentions(text, null, work);

        Assert.Equal(100_000, mentions.Count);
        Assert.Equal(Assertion.Negated, mentions[0].Assertion);
        Assert.Equal(Assertion.Negated, mentions[10].Assertion); // ten words (mentions) between: the window's last
        Assert.Equal(Assertion.Affirmed, mentions[11].Assertion);
        Assert.InRange(work.Steps, text.Length, (long)(MaxStepsPerChar * text.Length));
    }

    [Fact]
    public void Decide_EverySpanOfHostileSegments_AgreesWithTheNestedLoopItReplaced()
    {
        var random = new Random(1313);
        for (var round = 0; round < 40; round++)
        {
            var text = HostileReportText.Build((HostileReportText.Shape)(round % 5), random.Next(200, 1_500), seed: round);
            var triggers = ContextRules.Default.Find(text, 0, text.Length);
            for (var start = 0; start < text.Length; start += random.Next(1, 12))
            {
                var end = Math.Min(text.Length, start + random.Next(1, 40));

                var (assertion, cue) = ContextRules.Decide(text, triggers, start, end);

                Assert.Equal(NestedLoopDecide(text, triggers, start, end), (assertion, cue));
            }
        }
    }

    [Theory]
    [InlineData("Large cell neuroendocrine carcinoma, pT1a(m)N2.", "IIIA")]
    [InlineData("pT3(2 foci) pN1 M0", "IIIA")]
    public void FindInText_TnmWithABracketNoteAfterT_StillReadsNAndM(string text, string group)
    {
        Assert.Equal(group, StageParser.FindInText(text)?.Group);
    }

    private static double StepsPerChar(HostileReportText.Shape shape, int size, Func<string, string?, FinderWork, object> find)
    {
        var text = HostileReportText.Build(shape, size);
        var work = new FinderWork();
        find(text, HostileReportText.SpecimenSite(shape), work);
        return (double)work.Steps / size;
    }

    private static object FindMentions(string text, string? site, FinderWork work) => LcnecFinder.FindMentions(text, site, work);

    private static object SaysMetastatic(string text, string? site, FinderWork work) => LcnecFinder.SaysMetastatic(text, work);

    // ContextRules.Decide as it was before it was made linear: every trigger of the segment per mention, and
    // every character between trigger and mention counted. The oracle for the faster one.
    private static (Assertion, TriggerMatch?) NestedLoopDecide(string text, List<TriggerMatch> triggers, int mentionStart, int mentionEnd)
    {
        TriggerMatch? before = null;
        TriggerMatch? after = null;
        foreach (var t in triggers)
        {
            if (t.End <= mentionStart)
            {
                before = t;
            }
            else if (t.Start >= mentionEnd && after is null)
            {
                after = t;
            }
        }
        var candidates = new List<TriggerMatch>();
        if (before is { } b && b.Trigger.Direction != TriggerDirection.Backward && b.Trigger.Category != TriggerCategory.Terminate
            && (Words(text, b.End, mentionStart) <= 10 || (b.Trigger.Category == TriggerCategory.Negated && Words(text, b.End, mentionStart) <= 24 && IsList(text[b.End..mentionStart]))))
        {
            candidates.Add(b);
        }
        if (after is { } a && a.Trigger.Direction != TriggerDirection.Forward && a.Trigger.Category != TriggerCategory.Terminate
            && Words(text, mentionEnd, a.Start) <= 6)
        {
            candidates.Add(a);
        }
        TriggerMatch? cue = null;
        foreach (var c in candidates)
        {
            if (cue is null || Rank(c.Trigger.Category) < Rank(cue.Trigger.Category))
            {
                cue = c;
            }
        }
        return cue?.Trigger.Category switch
        {
            TriggerCategory.Negated => (Assertion.Negated, cue),
            TriggerCategory.Uncertain => (Assertion.Uncertain, cue),
            TriggerCategory.Historical => (Assertion.Historical, cue),
            TriggerCategory.Affirmed => (Assertion.Affirmed, cue),
            TriggerCategory.Family => (Assertion.Family, cue),
            _ => (Assertion.Affirmed, null),
        };
    }

    // A negation reaches through a coordinated list ("no A, B or C"): the gap holds a list separator.
    private static bool IsList(string gap) =>
        gap.Contains(',', StringComparison.Ordinal) || gap.Contains('/', StringComparison.Ordinal)
        || gap.Contains(" or ", StringComparison.OrdinalIgnoreCase) || gap.Contains(" nor ", StringComparison.OrdinalIgnoreCase) || gap.Contains(" and ", StringComparison.OrdinalIgnoreCase);

    private static int Words(string text, int from, int to)
    {
        var (words, inWord) = (0, false);
        for (var i = from; i < to; i++)
        {
            var letter = char.IsLetterOrDigit(text[i]);
            words += letter && !inWord ? 1 : 0;
            inWord = letter;
        }
        return words;
    }

    private static int Rank(TriggerCategory category) => category switch
    {
        TriggerCategory.Negated => 0,
        TriggerCategory.Family => 1,
        TriggerCategory.Uncertain => 2,
        TriggerCategory.Historical => 3,
        _ => 4,
    };
}
