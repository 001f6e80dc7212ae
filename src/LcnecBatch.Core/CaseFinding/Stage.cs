using System.Text.RegularExpressions;

namespace LcnecBatch.Core.CaseFinding;

/// <summary>A stage group (AJCC/UICC 8th edition lung) with its roman level: 0..4.</summary>
public sealed record Stage(string Group, int Level, string Text)
{
    /// <summary>Stage III or IV: what the screening rules call advanced.</summary>
    public bool IsAdvanced => Level >= 3;
}

/// <summary>
/// Reads stage as pathologists write it: roman groups with suffixes (<c>IIIB</c>, <c>stage IVA</c>), arabic
/// (<c>Stage 4</c>) and TNM strings (<c>cT3N2M1c</c>, <c>pT2aN0</c>, <c>ypT1b pN2</c>) mapped with the 8th
/// edition lung table. What cannot be mapped stays unknown (null), never guessed.
/// </summary>
public static partial class StageParser
{
    [GeneratedRegex(@"^\s*(?:(?:clinical|pathologic(?:al)?|AJCC|UICC|8th|ed\.?|edition|TNM)\s+)*(?:stage\s*)?(?<group>IV|III|II|I|0)(?<sub>[ABC][123]?)?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex RomanOnly();

    [GeneratedRegex(@"\bstage\s*(?:group\s*)?(?<group>IV|III|II|I|0|[0-4])(?<sub>[ABC][123]?)?\b", RegexOptions.IgnoreCase)]
    private static partial Regex StageWord();

    [GeneratedRegex(@"^\s*(?<group>[0-4])(?<sub>[ABC][123]?)?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ArabicOnly();

    // y/r/a prefixes and c/p per component; T, N, M each optional after T, spaces allowed between. The note in
    // brackets after T ("pT1a(m)") holds no bracket: "[^)]*" read every unclosed "T1(" to the end of the text,
    // quadratic in a hostile report, where "[^()]*" stops at the next bracket (implementation-notes.md).
    [GeneratedRegex(@"(?<![A-Za-z0-9])(?:[yra]{0,2}[cp]?)T(?<t>is|X|0|1mi|[1-4][abc]?)(?:\([^()]*\))?(?:\s*(?:[yra]{0,2}[cp]?)N(?<n>X|[0-3][abc]?))?(?:\s*(?:[cp]?)M(?<m>X|0|1[abc]?))?(?![A-Za-z0-9])", RegexOptions.IgnoreCase)]
    private static partial Regex Tnm();

    [GeneratedRegex(@"(?<![A-Za-z0-9])[cp]?M(?<m>1[abc]?)(?![A-Za-z0-9])", RegexOptions.IgnoreCase)]
    private static partial Regex LoneM1();

    /// <summary>Parses a <c>stage</c> column value.</summary>
    public static Stage? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var roman = RomanOnly().Match(text);
        if (roman.Success)
        {
            return FromGroup(roman.Groups["group"].Value, roman.Groups["sub"].Value, text);
        }
        var arabic = ArabicOnly().Match(text);
        if (arabic.Success)
        {
            return FromGroup(arabic.Groups["group"].Value, arabic.Groups["sub"].Value, text);
        }
        return FindInText(text);
    }

    /// <summary>Finds a stage written inside free text ("stage IVA", "cT3N2M1c"); the most advanced one wins.</summary>
    public static Stage? FindInText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        Stage? best = null;
        foreach (Match m in StageWord().Matches(text))
        {
            best = Max(best, FromGroup(m.Groups["group"].Value, m.Groups["sub"].Value, m.Value));
        }
        foreach (Match m in Tnm().Matches(text))
        {
            best = Max(best, FromTnm(m.Groups["t"].Value, m.Groups["n"].Value, m.Groups["m"].Value, m.Value));
        }
        foreach (Match m in LoneM1().Matches(text))
        {
            best = Max(best, FromTnm("", "", m.Groups["m"].Value, m.Value));
        }
        return best;
    }

    private static Stage? Max(Stage? a, Stage? b) => a is null ? b : b is null ? a : b.Level > a.Level ? b : a;

    private static Stage? FromGroup(string group, string sub, string text)
    {
        var level = group.ToUpperInvariant() switch
        {
            "0" => 0,
            "I" or "1" => 1,
            "II" or "2" => 2,
            "III" or "3" => 3,
            "IV" or "4" => 4,
            _ => -1,
        };
        if (level < 0)
        {
            return null;
        }
        var roman = level switch { 0 => "0", 1 => "I", 2 => "II", 3 => "III", _ => "IV" };
        return new Stage(roman + sub.ToUpperInvariant(), level, text.Trim());
    }

    /// <summary>The 8th-edition lung stage table. Unknown parts give the least stage they guarantee, or null.</summary>
    public static Stage? FromTnm(string t, string n, string m, string text)
    {
        t = t.ToLowerInvariant();
        n = n.ToLowerInvariant();
        m = m.ToLowerInvariant();
        text = text.Trim();
        if (m.StartsWith('1'))
        {
            return m == "1c" ? new Stage("IVB", 4, text) : m is "1a" or "1b" ? new Stage("IVA", 4, text) : new Stage("IV", 4, text);
        }
        // M0, MX or not given: the group as staged (pathologic staging often leaves M out).
        var tLevel = t switch
        {
            "is" => 0,
            "0" => 0,
            "1mi" or "1" or "1a" or "1b" or "1c" => 1,
            "2" or "2a" or "2b" => 2,
            "3" => 3,
            "4" => 4,
            _ => -1, // TX or missing
        };
        var nLevel = n.Length > 0 && char.IsDigit(n[0]) ? n[0] - '0' : -1;
        switch (nLevel)
        {
            case 3:
                return tLevel >= 3 ? new Stage("IIIC", 3, text) : tLevel >= 1 ? new Stage("IIIB", 3, text) : new Stage("III", 3, text);
            case 2:
                return tLevel >= 3 ? new Stage("IIIB", 3, text) : tLevel >= 1 ? new Stage("IIIA", 3, text) : new Stage("III", 3, text);
            case 1:
                return tLevel >= 3 ? new Stage("IIIA", 3, text) : tLevel >= 1 ? new Stage("IIB", 2, text) : null;
            case 0:
                return t switch
                {
                    "is" => new Stage("0", 0, text),
                    "1mi" or "1a" => new Stage("IA1", 1, text),
                    "1b" => new Stage("IA2", 1, text),
                    "1c" => new Stage("IA3", 1, text),
                    "1" => new Stage("IA", 1, text),
                    "2a" => new Stage("IB", 1, text),
                    "2b" => new Stage("IIA", 2, text),
                    "2" => new Stage("IB", 1, text), // IB or IIA: not advanced either way; reported as the lower
                    "3" => new Stage("IIB", 2, text),
                    "4" => new Stage("IIIA", 3, text),
                    _ => null,
                };
            default:
                // N unknown: only T4 guarantees stage III (T4 N0 M0 is IIIA).
                return tLevel == 4 ? new Stage("III", 3, text) : null;
        }
    }
}
