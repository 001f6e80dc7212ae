using System.Reflection;
using System.Text.RegularExpressions;

namespace LcnecBatch.Core.CaseFinding;

internal enum TriggerCategory { Negated, Uncertain, Historical, Affirmed, Family, Pseudo, Terminate }

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
    private readonly Dictionary<string, Trigger> _byPhrase;
    private readonly Dictionary<string, Regex>.AlternateLookup<ReadOnlySpan<char>> _byFirstWord;

    public static ContextRules Default { get; } = Load();

    private ContextRules(IReadOnlyList<Trigger> triggers)
    {
        _byPhrase = triggers.ToDictionary(t => Key(t.Phrase), StringComparer.Ordinal);
        // One small anchored alternation per first word: a segment is walked word by word, and only a word that
        // begins some phrase costs a match, where one alternation of hundreds of phrases tried at every position cost
        // hundreds of nanoseconds per character. Within a group a phrase comes before every phrase it is the
        // beginning of, so the longer one is tried first and wins ("no evidence of" over "no").
        var groups = new Dictionary<string, Regex>(StringComparer.OrdinalIgnoreCase);
        foreach (var group in triggers.Select(t => Key(t.Phrase)).GroupBy(p => p.Split(' ')[0], StringComparer.Ordinal))
        {
            var alternation = string.Join('|', group
                .Order(LongerFirstComparer.Instance)
                .Select(p => string.Join(@"\s+", p.Split(' ').Select(Regex.Escape))));
            groups[group.Key] = new Regex($@"\G(?:{alternation})(?![\w/])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }
        _byFirstWord = groups.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    // A trigger starts where no word character or slash stands just before (the old "(?<![\w/])").
    private static bool IsWordish(char c) => char.IsLetterOrDigit(c) || c is '_' or '/';

    /// <summary>Ordinal order, except that a string comes after every string it is a prefix of.</summary>
    private sealed class LongerFirstComparer : IComparer<string>
    {
        public static readonly LongerFirstComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            var common = Math.Min(x.Length, y.Length);
            for (var i = 0; i < common; i++)
            {
                if (x[i] != y[i])
                {
                    return x[i].CompareTo(y[i]);
                }
            }
            return y.Length.CompareTo(x.Length); // the longer first
        }
    }

    /// <summary>Lower case, one space between words: the key a trigger is looked up by.</summary>
    private static string Key(ReadOnlySpan<char> phrase)
    {
        Span<char> buffer = phrase.Length <= 256 ? stackalloc char[phrase.Length] : new char[phrase.Length];
        var n = 0;
        var space = false;
        foreach (var c in phrase)
        {
            if (char.IsWhiteSpace(c))
            {
                space = n > 0;
                continue;
            }
            if (space)
            {
                buffer[n++] = ' ';
                space = false;
            }
            buffer[n++] = char.ToLowerInvariant(c);
        }
        return new string(buffer[..n]);
    }

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
        var i = start;
        while (i < end)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || (i > start && IsWordish(text[i - 1])))
            {
                i++;
                continue;
            }
            // The run of the first word as a phrase may write it: up to a blank or hard punctuation.
            var j = i;
            while (j < end && !char.IsWhiteSpace(text[j]) && text[j] is not (',' or ';' or ':' or '"' or '(' or ')' or '[' or ']'))
            {
                j++;
            }
            var run = text.AsSpan(i, j - i);
            if ((_byFirstWord.TryGetValue(run, out var group) || _byFirstWord.TryGetValue(run.TrimEnd(".?!'"), out group))
                && group.Match(text, i, end - i) is { Success: true } match)
            {
                var trigger = _byPhrase[Key(match.ValueSpan)];
                if (trigger.Category != TriggerCategory.Pseudo)
                {
                    found.Add(new TriggerMatch(match.Index, match.Index + match.Length, trigger));
                }
                i = match.Index + match.Length;
                continue;
            }
            i++;
        }
        return found;
    }

    /// <summary>
    /// Decides the assertion of the span [mentionStart, mentionEnd) from the triggers of its segment (in text
    /// order, as <see cref="Find"/> returns them). The nearest forward trigger before it and the nearest backward
    /// trigger after it count, each only if nothing (another trigger, a terminator) stands between and it is
    /// within its word window. Negation outranks uncertainty, which outranks history.
    /// </summary>
    /// <remarks>
    /// Work per call is a binary search over the triggers and a word count that stops one word past the window,
    /// so a segment's mentions cost O(m log t + n) together, never m × t or m × n (implementation-notes.md).
    /// </remarks>
    public static (Assertion Assertion, TriggerMatch? Cue) Decide(string text, IReadOnlyList<TriggerMatch> triggers, int mentionStart, int mentionEnd, FinderWork? work = null)
    {
        // Matches of one regex scan do not overlap, so both starts and ends ascend. A trigger overlapping the
        // span is neither before nor after it.
        var afterIndex = FirstIndex(triggers, mentionEnd, byEnd: false, work);
        var beforeIndex = FirstIndex(triggers, mentionStart + 1, byEnd: true, work) - 1;
        var before = beforeIndex >= 0 ? triggers[beforeIndex] : null;
        var after = afterIndex < triggers.Count ? triggers[afterIndex] : null;
        TriggerMatch? cue = null;
        if (before is { } b && b.Trigger.Direction != TriggerDirection.Backward && b.Trigger.Category != TriggerCategory.Terminate
            && InForwardScope(text, b, mentionStart, work))
        {
            cue = b;
        }
        if (after is { } a && a.Trigger.Direction != TriggerDirection.Forward && a.Trigger.Category != TriggerCategory.Terminate
            && WordsForward(text, mentionEnd, a.Start, MaxBackwardWords, work) <= MaxBackwardWords
            && (cue is null || Rank(a.Trigger.Category) < Rank(cue.Trigger.Category)))
        {
            cue = a;
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

    /// <summary>
    /// A forward trigger reaches <see cref="MaxForwardWords"/> words; a negation reaches further through a coordinated
    /// list ("do not have the appearance of small cell carcinoma, atypical carcinoid or large cell neuroendocrine
    /// carcinoma": every item is negated), up to <see cref="MaxListWords"/>.
    /// </summary>
    private static bool InForwardScope(string text, TriggerMatch trigger, int mentionStart, FinderWork? work)
    {
        var negation = trigger.Trigger.Category == TriggerCategory.Negated;
        var words = WordsBackward(text, trigger.End, mentionStart, negation ? MaxListWords : MaxForwardWords, work);
        if (words <= MaxForwardWords)
        {
            return true;
        }
        if (!negation || words > MaxListWords)
        {
            return false;
        }
        var gap = text.AsSpan(trigger.End, mentionStart - trigger.End);
        work?.Add(gap.Length);
        return gap.Contains(',') || gap.Contains(" or ", StringComparison.OrdinalIgnoreCase) || gap.Contains(" nor ", StringComparison.OrdinalIgnoreCase)
            || gap.Contains(" and ", StringComparison.OrdinalIgnoreCase) || gap.Contains('/');
    }

    /// <summary>The first index whose trigger starts (or ends) at or after a position; Count if none.</summary>
    private static int FirstIndex(IReadOnlyList<TriggerMatch> triggers, int position, bool byEnd, FinderWork? work)
    {
        var (low, high) = (0, triggers.Count);
        while (low < high)
        {
            work?.Add(1);
            var middle = low + ((high - low) / 2);
            if ((byEnd ? triggers[middle].End : triggers[middle].Start) >= position)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }
        return low;
    }

    /// <summary>
    /// Scope limits in words, as in NegEx's original windows: far enough for a list of look-alikes
    /// ("negative for small cell carcinoma, adenocarcinoma and LCNEC"), short enough that "no lymphovascular
    /// invasion is identified in this large cell neuroendocrine carcinoma" does not negate the tumour.
    /// </summary>
    private const int MaxForwardWords = 10;
    private const int MaxBackwardWords = 6;
    private const int MaxListWords = 24;

    // Words in [from, to), counted from the mention's side and only up to limit + 1: the answer is compared with
    // the limit, and a far trigger (a long gap, a long word, many mentions between) must not be walked to.
    private static int WordsBackward(string text, int from, int to, int limit, FinderWork? work)
    {
        var words = 0;
        var i = to - 1;
        for (; i >= from && words <= limit; i--)
        {
            if (char.IsLetterOrDigit(text[i]) && (i == from || !char.IsLetterOrDigit(text[i - 1])))
            {
                words++;
            }
        }
        work?.Add(to - 1 - i);
        return words;
    }

    private static int WordsForward(string text, int from, int to, int limit, FinderWork? work)
    {
        var words = 0;
        var i = from;
        for (; i < to && words <= limit; i++)
        {
            if (char.IsLetterOrDigit(text[i]) && (i == from || !char.IsLetterOrDigit(text[i - 1])))
            {
                words++;
            }
        }
        work?.Add(i - from);
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
