using System.Text.RegularExpressions;

namespace LcnecBatch.Core.CaseFinding;

/// <summary>
/// Where a mention stands decides what it can say (issue 14, "where a mention counts"). What a report diagnoses is
/// what its final diagnosis, a synoptic histologic type line, an addendum or a consultation opinion asserts (tier 1);
/// a frozen-section diagnosis counts only when there is no final one. Comments, microscopic descriptions and
/// ancillary studies discuss (tier 2): they affirm only where the final diagnosis points to them ("see comment") or
/// the report has no final diagnosis. Clinical history, family history, gross and specimen labels (tier 3) never
/// diagnose: the patient's own stated diagnosis there is history, a question is uncertain, a relative's is family.
/// A report is judged on its best tier that mentions LCNEC at all.
/// </summary>
internal static partial class ReportReading
{
    // "see comment", "see note", "see microscopic description", "see below", "(see addendum)".
    [GeneratedRegex(@"\bsee\s+(?:the\s+)?(?:comment|note|microscopic|description|discussion|below|addendum|ancillary)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PointsOnward();

    // A checklist box right before an option: unticked ("___", "[ ]", "( )", "☐") or ticked ("[x]", "(X)", "_x_", "☒", "✓").
    [GeneratedRegex(@"(?:\[\s?\]|\(\s?\)|_{2,}|☐|□)[ \t]*$", RegexOptions.CultureInvariant)]
    private static partial Regex UntickedBox();

    // "combined small cell carcinoma (with a large cell neuroendocrine component)": a small cell carcinoma (8045/3).
    [GeneratedRegex(@"\bcombined\s+small[\s-]*cell\b|\bsmall[\s-]*cell\s+(?:lung\s+)?carcinoma,?\s+combined\b|\bSCLC\b[^.;\n]{0,20}\bcombined\b|\bcombined\s+SCLC\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CombinedSmallCell();

    // What a consultation decides about the outside diagnosis it quotes.
    [GeneratedRegex(@"\b(?:disagree|do(?:es)?\s+not\s+agree|not\s+in\s+agreement|cannot\s+confirm|do(?:es)?\s+not\s+confirm|is\s+not\s+supported|revised?\s+(?:the\s+)?(?:outside\s+)?diagnosis)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Disagrees();

    [GeneratedRegex(@"\b(?:agree|concur|in\s+agreement|confirm(?:s|ed)?\s+the\s+(?:outside|referring|submitted)\s+diagnosis)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Agrees();

    // A checklist answer right after the option: "LCNEC: no", "LCNEC - absent", "LCNEC: yes", "LCNEC [x]".
    [GeneratedRegex(@"^[ \t]*[:=\-–][ \t]*(?<no>no\b|absent\b|not\s+identified\b|negative\b|none\b|n\b)|^[ \t]*[:=\-–][ \t]*(?<yes>yes\b|present\b|y\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ChecklistAnswer();

    /// <summary>How the report's decisive sections answer the outside diagnosis they review: -1 disagree, 1 agree, 0 silent.</summary>
    public static int ConsultationVerdict(string text, IReadOnlyList<ReportSection> sections)
    {
        var verdict = 0;
        foreach (var s in sections.Where(s => IsDecisive(s.Kind)))
        {
            var body = text.AsSpan(s.Start, s.End - s.Start);
            if (Disagrees().IsMatch(body))
            {
                return -1;
            }
            if (Agrees().IsMatch(body))
            {
                verdict = 1;
            }
        }
        return verdict;
    }

    /// <summary>A checklist answer after the option: false for "no"/"absent", true for "yes"/"present", null when none.</summary>
    public static bool? ChecklistValue(string text, int mentionEnd, int segmentEnd)
    {
        var length = Math.Min(24, segmentEnd - mentionEnd);
        if (length <= 0)
        {
            return null;
        }
        var answer = ChecklistAnswer().Match(text, mentionEnd, length);
        return !answer.Success ? null : answer.Groups["yes"].Success;
    }

    // "metastasis from a pancreatic primary cannot be excluded", "cannot exclude metastasis from the colon".
    [GeneratedRegex(
        @"\bmetasta\w*\s+(?:from|of)\s+(?:an?\s+|the\s+)?(?:known\s+|occult\s+|extra-?pulmonary\s+)?(?<organ>" + Organs + @")\b[^.;\n]{0,40}?\b(?:cannot\s+be\s+(?:entirely\s+|completely\s+)?(?:excluded|ruled\s+out)|is\s+not\s+excluded|remains\s+possible|is\s+possible|is\s+a\s+possibility)" +
        @"|\b(?:cannot|can\s+not)\s+(?:entirely\s+)?(?:exclude|rule\s+out)\s+(?:an?\s+|the\s+)?(?:metasta\w*\s+(?:from|of)\s+(?:an?\s+|the\s+)?|(?:an?\s+)?)(?<organ>" + Organs + @")\s+(?:primary|origin)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OpenPrimary();

    private const string Organs = @"pancrea\w*|colon\w*|colorectal|rect\w+|gastric|stomach|gastro[\s-]*o?esophageal|o?esophag\w*|prostat\w*|bladder|urothelial|cervi\w+|uter\w+|endometri\w*|ovar\w+|breast|thym\w+|kidney|renal|thyroid|liver|hepatic|gastrointestinal|GI|small\s+bowel|intestin\w+";

    /// <summary>The words that leave the primary site open ("metastasis from a pancreatic primary cannot be excluded"), or null.</summary>
    public static string? LeavesPrimaryOpen(string text)
    {
        var open = OpenPrimary().Match(text);
        return open.Success ? $"primary site left open ({open.Groups["organ"].Value})" : null;
    }

    /// <summary>A question about the mention itself: "? LCNEC", "?LCNEC", "LCNEC?", "r/o LCNEC ?" — not a "?" elsewhere in the sentence.</summary>
    public static bool IsAsked(string text, int mentionStart, int mentionEnd, int segmentStart, int segmentEnd)
    {
        // A term found on the whole text may run past its segment's end (a line break inside it): clamp, never slice backwards.
        var from = Math.Clamp(mentionStart - 4, segmentStart, mentionStart);
        var before = text.AsSpan(from, mentionStart - from).TrimEnd();
        var after = text.AsSpan(mentionEnd, Math.Max(0, Math.Min(segmentEnd, mentionEnd + 4) - mentionEnd)).TrimStart();
        return (before.Length > 0 && before[^1] == '?') || (after.Length > 0 && after[0] == '?');
    }

    public static int Tier(SectionKind kind, bool hasDecisiveSection, bool hasFinal) => kind switch
    {
        SectionKind.Final or SectionKind.Synoptic or SectionKind.Addendum or SectionKind.Consultation => 1,
        SectionKind.Unlabelled => hasDecisiveSection ? 3 : 1,
        SectionKind.Frozen => hasFinal ? 2 : 1,
        SectionKind.Comment or SectionKind.Microscopic or SectionKind.Ancillary or SectionKind.Referral => 2,
        _ => 3,
    };

    public static bool IsDecisive(SectionKind kind) => kind is SectionKind.Final or SectionKind.Synoptic or SectionKind.Addendum or SectionKind.Consultation;

    /// <summary>Whether the report's decisive sections send the reader on to a comment or note.</summary>
    public static bool FinalPointsOnward(string text, IReadOnlyList<ReportSection> sections) =>
        sections.Any(s => IsDecisive(s.Kind) && PointsOnward().IsMatch(text.AsSpan(s.Start, s.End - s.Start)));

    /// <summary>A checklist option whose box is empty: listed, not chosen.</summary>
    public static bool IsUntickedOption(string text, int lineStart, int mentionStart)
    {
        var from = Math.Max(lineStart, mentionStart - 12);
        return UntickedBox().IsMatch(text.AsSpan(from, mentionStart - from));
    }

    /// <summary>An LCNEC component named inside a combined small cell carcinoma (the segment says so before it).</summary>
    public static bool InCombinedSmallCell(string text, int segmentStart, int mentionStart)
    {
        var from = Math.Max(segmentStart, mentionStart - 200);
        return CombinedSmallCell().IsMatch(text.AsSpan(from, mentionStart - from));
    }

    /// <summary>
    /// What a mention says once its section is taken into account, with the cue to show for it. Tier 2 positives that
    /// the final diagnosis does not point to become uncertain; a superseded frozen section too; in tier 3 a positive
    /// is history (clinical history) or uncertain (gross, specimen label), and anything in a family history is family.
    /// </summary>
    public static (Assertion Assertion, string? Cue) Place(SectionKind kind, int tier, Assertion assertion, string? cue, bool hasDecisiveSection, bool pointsOnward, bool question, int verdict = 0)
    {
        if (kind == SectionKind.Referral && assertion.IsPositive())
        {
            return verdict switch
            {
                > 0 => (Assertion.Affirmed, "the consultation agrees with the outside diagnosis"),
                < 0 => (Assertion.Negated, "the consultation does not accept the outside diagnosis"),
                _ => (Assertion.Uncertain, "outside diagnosis, not restated by this report"),
            };
        }
        if (kind == SectionKind.Family && assertion != Assertion.Negated)
        {
            return (Assertion.Family, cue ?? "family history");
        }
        if (!assertion.IsPositive())
        {
            return (assertion, cue);
        }
        if (question)
        {
            return (Assertion.Uncertain, "asked, not stated (?)");
        }
        if (kind == SectionKind.Frozen && tier == 2)
        {
            return (Assertion.Uncertain, "frozen section, superseded by the final diagnosis");
        }
        if (tier == 2 && hasDecisiveSection && !pointsOnward)
        {
            return (Assertion.Uncertain, "discussed outside the final diagnosis");
        }
        if (tier == 3)
        {
            return kind == SectionKind.History
                ? (Assertion.Historical, cue ?? "clinical history")
                : (Assertion.Uncertain, $"named in the {kind.ToString().ToLowerInvariant()} text, not diagnosed");
        }
        return (assertion, cue);
    }
}
