using System.Reflection;
using System.Text.RegularExpressions;

namespace LcnecBatch.Core.CaseFinding;

internal enum TriggerCategory { Negated, Uncertain, Historical, Affirmed, Pseudo, Terminate }

internal enum TriggerDirection { Forward, Backward, Both }

internal sealed record Trigger(string Phrase, TriggerCategory Category, TriggerDirection Direction);

internal sealed record TriggerMatch(int Start, int End, Trigger Trigger);

/// <summary>
/// NegEx/ConText-style assertion: trigger phrases (data, in <c>context-triggers.tsv</c>) with a direction;
/// a trigger's scope runs to the end of its segment (sentence or list item), and is cut by a terminating
/// word or by another trigger. Returns the deciding cue so evidence can show why.
/// </summary>
internal sealed class ContextRules
{
    private readonly Regex _triggers;
    private readonly Dictionary<string, Trigger> _byPhrase;

    public static ContextRules Default { get; } = Load();

    private ContextRules(IReadOnlyList<Trigger> triggers)
    {
        _byPhrase = triggers.ToDictionary(t => Key(t.Phrase), StringComparer.Ordinal);
        var alternation = string.Join('|', triggers
            .OrderByDescending(t => t.Phrase.Length)
            .Select(t => string.Join(@"\s+", t.Phrase.Split(' ').Select(Regex.Escape))));
        _triggers = new Regex($@"(?<![\w/])(?:{alternation})(?![\w/])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }

    private static string Key(string phrase) => Regex.Replace(phrase.ToLowerInvariant(), @"\s+", " ");

    private static ContextRules Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("LcnecBatch.Core.context-triggers.tsv")
            ?? throw new InvalidOperationException("context-triggers.tsv is not embedded");
        using var reader = new StreamReader(stream);
        var triggers = new List<Trigger>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var parts = line.Split('\t');
            triggers.Add(new Trigger(
                parts[0].Trim(),
                Enum.Parse<TriggerCategory>(parts[1], ignoreCase: true),
                parts[2].Trim() == "both" ? TriggerDirection.Both : Enum.Parse<TriggerDirection>(parts[2], ignoreCase: true)));
        }
        return new ContextRules(triggers);
    }

    /// <summary>All triggers in a segment, pseudo-triggers already removed (they only mask).</summary>
    public List<TriggerMatch> Find(string text, int start, int end)
    {
        var found = new List<TriggerMatch>();
        var match = _triggers.Match(text, start, end - start);
        while (match.Success)
        {
            var trigger = _byPhrase[Key(match.Value)];
            if (trigger.Category != TriggerCategory.Pseudo)
            {
                found.Add(new TriggerMatch(match.Index, match.Index + match.Length, trigger));
            }
            match = match.NextMatch();
        }
        return found;
    }

    /// <summary>
    /// Decides the assertion of the span [mentionStart, mentionEnd) from the triggers of its segment.
    /// The nearest forward trigger before it and the nearest backward trigger after it count, each only if
    /// nothing (another trigger, a terminator, another LCNEC mention) stands between. Negation outranks
    /// uncertainty, which outranks history.
    /// </summary>
    public static (Assertion Assertion, TriggerMatch? Cue) Decide(string text, IReadOnlyList<TriggerMatch> triggers, int mentionStart, int mentionEnd)
    {
        TriggerMatch? before = null;
        TriggerMatch? after = null;
        foreach (var t in triggers)
        {
            if (t.End <= mentionStart)
            {
                before = t; // the last one before wins: anything between would have cut an earlier scope
            }
            else if (t.Start >= mentionEnd && after is null)
            {
                after = t;
            }
        }
        var candidates = new List<TriggerMatch>(2);
        if (before is { } b && b.Trigger.Direction != TriggerDirection.Backward && b.Trigger.Category != TriggerCategory.Terminate
            && Words(text, b.End, mentionStart) <= MaxForwardWords)
        {
            candidates.Add(b);
        }
        if (after is { } a && a.Trigger.Direction != TriggerDirection.Forward && a.Trigger.Category != TriggerCategory.Terminate
            && Words(text, mentionEnd, a.Start) <= MaxBackwardWords)
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
            _ => (Assertion.Affirmed, null),
        };
    }

    /// <summary>
    /// Scope limits in words, as in NegEx's original windows: far enough for a list of look-alikes
    /// ("negative for small cell carcinoma, adenocarcinoma and LCNEC"), short enough that "no lymphovascular
    /// invasion is identified in this large cell neuroendocrine carcinoma" does not negate the tumour.
    /// </summary>
    private const int MaxForwardWords = 10;
    private const int MaxBackwardWords = 6;

    private static int Words(string text, int from, int to)
    {
        var words = 0;
        var inWord = false;
        for (var i = from; i < to; i++)
        {
            var letter = char.IsLetterOrDigit(text[i]);
            if (letter && !inWord)
            {
                words++;
            }
            inWord = letter;
        }
        return words;
    }

    private static int Rank(TriggerCategory category) => category switch
    {
        TriggerCategory.Negated => 0,
        TriggerCategory.Uncertain => 1,
        TriggerCategory.Historical => 2,
        _ => 3,
    };
}
