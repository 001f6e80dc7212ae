namespace LcnecBatch.Core.CaseFinding;

/// <summary>The assertion engine on its own: how a text speaks of the span [start, start+length).</summary>
public static class ContextAssertion
{
    public static Assertion Decide(string text, int start, int length) => DecideWithCue(text, start, length).Assertion;

    public static (Assertion Assertion, string? Cue) DecideWithCue(string text, int start, int length)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var (s, e) in LcnecFinder.Segments(text))
        {
            if (start >= s && start < e)
            {
                var triggers = ContextRules.Default.Find(text, s, e);
                var (assertion, cue) = ContextRules.Decide(text, triggers, start, start + length);
                return (assertion, cue is null ? null : text[cue.Start..cue.End]);
            }
        }
        return (Assertion.Affirmed, null);
    }
}
