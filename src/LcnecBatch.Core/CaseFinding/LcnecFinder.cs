using System.Text.RegularExpressions;
using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.CaseFinding;

/// <summary>One mention of LCNEC in a report, with its assertion and the cue that decided it.</summary>
public sealed record LcnecMention(int Start, int Length, string Text, Assertion Assertion, string? Cue)
{
    /// <summary>The section's header as written, in capitals ("FINAL DIAGNOSIS"); null in a report without headers.</summary>
    public string? Section { get; init; }

    /// <summary>The specimen part ("A", "2") the mention stands in, when the report has parts.</summary>
    public string? Part { get; init; }

    /// <summary>1: a section that diagnoses; 2: one that discusses; 3: one that never diagnoses (ReportReading).</summary>
    public int Tier { get; init; } = 1;

    /// <summary>A hedged mention that names another organ as a possible primary: the primary site is in doubt.</summary>
    public bool DoubtsSite { get; init; }

    /// <summary>"FINAL DIAGNOSIS, part A": where a reviewer finds the deciding words.</summary>
    public string? Where => (Section, Part) switch
    {
        (null, null) => null,
        ({ } s, null) => s,
        (null, { } p) => $"part {p}",
        ({ } s, { } p) => $"{s}, part {p}",
    };
}

/// <summary>What a report says about pulmonary LCNEC; <see cref="Basis"/> is "text" or "icdo3".</summary>
public sealed record LcnecFinding(Assertion Assertion, string Basis, LcnecMention? Mention, string Evidence, string? Cue)
{
    public bool IsPulmonaryLcnec => Assertion.IsPositive();
}

/// <summary>
/// Finds pulmonary LCNEC in a signed-out report (screening.md, section 1): the ICD-O-3 code, and the
/// phrasings pathologists use, each judged in its own sentence or list item.
/// </summary>
public static partial class LcnecFinder
{
    // The term families of LCNEC. Look-alikes ("large cell carcinoma with neuroendocrine morphology",
    // "small cell carcinoma", carcinoids) do not match any of them by construction. The blanks and punctuation
    // after "neuroendocrine carcinoma" are taken atomically: what follows starts with a letter, so giving
    // blanks back never helps, and trying every split of a long run of blanks was quadratic in its length.
    private const string TermPattern =
        @"(?<![\w-])(?:" +
        @"large[\s-]*cell[\s-]+neuro[\s-]*endocrine[\s-]+(?:carcinoma|ca\b\.?|tumou?r|neoplasm|component|type|features?\s+carcinoma)" +
        @"|lcnecs?\b" +
        @"|(?:high[\s-]*grade\s+)?neuro[\s-]*endocrine\s+carcinoma(?>\s*[,(\-–]?\s*)(?:(?<hedge>probably|possibly|likely|favou?ring|most\s+likely)\s+)?(?:of\s+)?large[\s-]*cell(?:\s+(?:type|variant|subtype|morphology))?\)?" +
        @"|large[\s-]*cell\s+(?:type\s+)?neuro[\s-]*endocrine\s+(?:carcinoma|ca\b)" +
        // "large-cell NE carcinoma", "high grade NE carcinoma (large cell)", "NEC, large cell type",
        // "neuroendocrine carcinoma, high grade, large cell type"
        @"|large[\s-]*cell\s+NE\s+(?:carcinoma|ca\b)" +
        @"|(?:high[\s-]*grade\s+)?(?:neuro[\s-]*endocrine|NE)\s+carcinoma(?>\s*[,(\-–]?\s*)high[\s-]*grade(?>\s*[,(\-–]?\s*)large[\s-]*cell(?:\s+(?:type|variant|subtype))?\)?" +
        @"|high[\s-]*grade\s+NE\s+carcinoma(?>\s*[,(\-–]?\s*)large[\s-]*cell(?:\s+(?:type|variant|subtype))?\)?" +
        @"|\bNEC(?>\s*[,(\-–]\s*)large[\s-]*cell(?:\s+(?:type|variant|subtype))?\)?" +
        @")";

    // The same terms, tried only where one may start: every alternative begins with one of the anchor words, and a
    // vectorized scan for those is far cheaper than running the whole alternation at every position.
    [GeneratedRegex(@"\G" + TermPattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TermAt();

    [GeneratedRegex(@"large|lcnec|high|neuro|\bnec?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TermAnchor();

    /// <summary>Every term of the text, left to right, not overlapping: what scanning with <see cref="TermPattern"/> would find.</summary>
    private static List<Match> Terms(string text)
    {
        var terms = new List<Match>();
        var from = 0;
        for (var anchor = TermAnchor().Match(text); anchor.Success; anchor = anchor.NextMatch())
        {
            if (anchor.Index < from)
            {
                continue;
            }
            if (TermAt().Match(text, anchor.Index) is { Success: true } term)
            {
                terms.Add(term);
                from = term.Index + term.Length;
            }
        }
        return terms;
    }

    // Segment boundaries: sentence ends, semicolons, and line breaks that start a new item or line
    // (a wrapped line that continues in lower case is the same sentence).
    [GeneratedRegex(@"(?<=[^\d\s][.!?])\s+(?=[A-Z0-9(\-•*?])|;|\r?\n(?=\s*[^a-z\s])|\r?\n\s*\r?\n", RegexOptions.CultureInvariant)]
    private static partial Regex SegmentBreak();

    [GeneratedRegex(@"(?<![\w])(?:cervix|uter(?:us|ine)|endometri\w*|ovar(?:y|ian)|vulva\w*|vagina\w*|colon(?:ic)?|colorectal|rect(?:um|al)|sigmoid|c[a]?ecum|appendi\w*|stomach|gastric|gastro[\s-]*o?esophageal|GEJ|GE\s+junction|(?:o)?esophag\w*|pancrea\w*|small\s+(?:bowel|intestine)|duoden\w*|ile(?:um|al)|jejun\w*|(?:urinary\s+)?bladder|urothelial|prostat\w*|kidney|renal|breast|thym(?:us|ic)|laryn\w*|sinonasal|salivary|parotid|skin|cutaneous|merkel|liver|hepatic|gallbladder|biliary|ampull\w*|thyroid|adrenal|cervical(?!\s+(?:lymph|node|spine|vertebra|soft\s+tissue|mass|region|level)))(?![\w])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OtherOrgan();

    [GeneratedRegex(@"\b(?:lung|pulmonary|bronch\w*|C34|thoracic|pleura\w*|hil(?:um|ar)|mediastin\w*|lymph\s+nodes?|lobe|RUL|RML|RLL|LUL|LLL)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LungCue();

    [GeneratedRegex(@"\b(?:lung|pulmonary)\s+(?:primary|origin)|\bprimary\s+(?:lung|pulmonary)|\b(?:from|of)\s+(?:a\s+)?(?:the\s+)?(?:lung|pulmonary)\s+(?:primary|origin)|\bfrom\s+(?:the\s+)?lung\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LungPrimary();

    [GeneratedRegex(@"\b(?:primary|origin|arising)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PrimaryWord();

    [GeneratedRegex(@"\b(?:of|from)\s+(?:the\s+)?(?:uterine\s+|urinary\s+)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OfThe();

    [GeneratedRegex(@"\bmetasta\w*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Metastatic();

    /// <summary>The report's finding, or null when it says nothing about LCNEC.</summary>
    public static LcnecFinding? Assess(PathologyReported report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Assess(report.FinalDiagnosis, report.Morphology, report.Topography, report.SpecimenSite);
    }

    public static LcnecFinding? Assess(string diagnosis, string? morphology = null, string? topography = null, string? specimenSite = null)
    {
        var mentions = FindMentions(diagnosis, specimenSite);
        var topographyOtherSite = IsOtherTopography(topography);
        // The best tier that speaks of LCNEC decides; within it the strongest assertion, then the first.
        var tier = mentions.Count == 0 ? 0 : mentions.Min(m => m.Tier);
        var best = mentions
            .Where(m => m.Tier == tier)
            .OrderBy(m => Preference(m.Assertion))
            .ThenBy(m => m.Start)
            .FirstOrDefault();
        if (best is not null && best.Assertion.IsPositive()
            && (mentions.FirstOrDefault(m => m.DoubtsSite && m.Tier <= 2) is { } doubt || ReportReading.LeavesPrimaryOpen(diagnosis) is not null))
        {
            // The final diagnosis names LCNEC, but the report leaves open that it is another organ's metastasis.
            var doubting = mentions.FirstOrDefault(m => m.DoubtsSite && m.Tier <= 2) ?? best;
            return new LcnecFinding(Assertion.Uncertain, "text", doubting, doubting.Text, ReportReading.LeavesPrimaryOpen(diagnosis) ?? "primary site left open");
        }
        // A topography code is the specimen's site as often as the primary's: a brain biopsy coded C71 that reads
        // "metastatic LCNEC, lung primary" is pulmonary LCNEC, and a history mention says nothing of this specimen.
        if (best is not null && best.Assertion.IsPositive() && topographyOtherSite && best.Tier < 3 && !TopographyIsTheSpecimens(diagnosis, topography!))
        {
            return new LcnecFinding(Assertion.OtherSite, "text", best, best.Text, $"topography {topography!.Trim()}");
        }
        if (best is not null && (best.Assertion.IsPositive() || best.Assertion == Assertion.OtherSite))
        {
            return new LcnecFinding(best.Assertion, "text", best, best.Text, best.Cue);
        }
        if (IsLcnecMorphology(morphology))
        {
            // The code stands when the text does not argue with it; the text wins where it does.
            if (topographyOtherSite)
            {
                return new LcnecFinding(Assertion.OtherSite, "icdo3", null, $"ICD-O-3 {morphology!.Trim()} {topography!.Trim()}", $"topography {topography.Trim()}");
            }
            if (best is null && new OtherPrimary(diagnosis, 0, diagnosis.Length, specimenSite is null ? null : new SpecimenOrgan(diagnosis, specimenSite, null), null).Organ(null, null) is { } organ)
            {
                return new LcnecFinding(Assertion.OtherSite, "icdo3", null, $"ICD-O-3 {morphology!.Trim()}", organ);
            }
            if (best is null)
            {
                var code = topography is null ? morphology!.Trim() : $"{morphology!.Trim()} {topography.Trim()}";
                return new LcnecFinding(Assertion.Affirmed, "icdo3", null, $"ICD-O-3 {code}", null);
            }
        }
        return best is null ? null : new LcnecFinding(best.Assertion, "text", best, best.Text, best.Cue);
    }

    private static int Preference(Assertion assertion) => assertion switch
    {
        Assertion.Affirmed => 0,
        Assertion.Historical => 1,
        Assertion.OtherSite => 2,
        Assertion.Uncertain => 3,
        Assertion.Negated => 4,
        _ => 5,
    };

    /// <summary>Whether a non-lung topography names where this specimen was taken rather than the tumour's primary.</summary>
    private static bool TopographyIsTheSpecimens(string text, string topography) =>
        topography.Trim().StartsWith("C38", StringComparison.OrdinalIgnoreCase) // pleura, mediastinum: the chest
        || LungPrimary().IsMatch(text)
        || SaysMetastatic(text);

    public static bool IsLcnecMorphology(string? morphology) =>
        morphology is not null && morphology.Trim().Replace(" ", "", StringComparison.Ordinal) is "8013/3" or "80133" or "M8013/3" or "M-8013/3";

    /// <summary>
    /// A topography code that names a non-lung primary. C34 is lung; C77 (lymph nodes) and C80 (unknown
    /// primary) name no other primary, so they do not make a lung LCNEC another site's.
    /// </summary>
    public static bool IsOtherTopography(string? topography)
    {
        if (string.IsNullOrWhiteSpace(topography))
        {
            return false;
        }
        var code = topography.Trim().ToUpperInvariant();
        return code.StartsWith('C') && !code.StartsWith("C34", StringComparison.Ordinal)
            && !code.StartsWith("C77", StringComparison.Ordinal) && !code.StartsWith("C80", StringComparison.Ordinal);
    }

    public static IReadOnlyList<LcnecMention> FindMentions(string text, string? specimenSite = null) => FindMentions(text, specimenSite, null);

    internal static IReadOnlyList<LcnecMention> FindMentions(string text, string? specimenSite, FinderWork? work)
    {
        var mentions = new List<LcnecMention>();
        // One scan for the terms over the whole text; most reports end here. Only the sections and segments that
        // hold a term are read further, so the rest of a long report costs one pass over its lines.
        var terms = Terms(text);
        work?.Add(text.Length);
        if (terms.Count == 0)
        {
            return mentions;
        }
        var specimen = specimenSite is null ? null : new SpecimenOrgan(text, specimenSite, work);
        var layout = ReportSections.Read(text);
        var sections = layout.Sections;
        var hasFinal = sections.Any(s => s.Kind == SectionKind.Final);
        var hasDecisive = sections.Any(s => ReportReading.IsDecisive(s.Kind));
        var pointsOnward = ReportReading.FinalPointsOnward(text, sections);
        var verdict = sections.Any(s => s.Kind == SectionKind.Referral) ? ReportReading.ConsultationVerdict(text, sections) : 0;
        work?.Add(2L * text.Length);
        var next = 0; // the first term not yet placed
        foreach (var section in sections)
        {
            while (next < terms.Count && terms[next].Index < section.Start)
            {
                next++; // a term inside a header line: not a mention of the body
            }
            if (next == terms.Count || terms[next].Index >= section.End)
            {
                continue;
            }
            var parts = new PartCursor(text, section);
            foreach (var (start, end) in Segments(text, section.Start, section.End, work))
            {
                if (next == terms.Count || terms[next].Index >= section.End)
                {
                    break;
                }
                if (terms[next].Index >= end)
                {
                    continue;
                }
                work?.Add(end - start);
                var triggers = ContextRules.Default.Find(text, start, end);
                work?.Add(end - start);
                OtherPrimary? otherPrimary = null;
                (TriggerMatch? Cue, string? Text) lastCue = (null, null);
                for (; next < terms.Count && terms[next].Index < end; next++)
                {
                    var term = terms[next];
                    if (term.Index < start)
                    {
                        continue;
                    }
                    if (ReportReading.IsUntickedOption(text, layout.LineStartOf(term.Index), term.Index) || ReportReading.InCombinedSmallCell(text, start, term.Index))
                    {
                        continue; // an option not chosen, or the component of a combined small cell carcinoma: not LCNEC
                    }
                    var (assertion, cue) = ContextRules.Decide(text, triggers, term.Index, term.Index + term.Length, work);
                    if (cue is not null && !ReferenceEquals(cue, lastCue.Cue))
                    {
                        // Neighbouring mentions share a cue: one copy of its text, however long its blanks.
                        lastCue = (cue, text[cue.Start..cue.End]);
                        work?.Add(cue.End - cue.Start);
                    }
                    var cueText = cue is null ? null : lastCue.Text;
                    if (ReportReading.ChecklistValue(text, term.Index + term.Length, end) is { } ticked)
                    {
                        (assertion, cueText) = ticked ? (Assertion.Affirmed, "checklist: yes") : (Assertion.Negated, "checklist: no");
                    }
                    if (term.Groups["hedge"].Success && assertion == Assertion.Affirmed)
                    {
                        // "neuroendocrine carcinoma, probably large cell type": the hedge sits inside the term.
                        (assertion, cueText) = (Assertion.Uncertain, term.Groups["hedge"].Value);
                    }
                    var doubtsSite = false;
                    if (assertion.IsPositive())
                    {
                        otherPrimary ??= new OtherPrimary(text, start, end, specimen, work);
                        if (otherPrimary.Organ(term.Index, work) is { } organ)
                        {
                            assertion = Assertion.OtherSite;
                            cueText = organ;
                        }
                    }
                    else if (assertion == Assertion.Uncertain)
                    {
                        // "could represent a primary pulmonary LCNEC; metastasis from a pancreatic primary cannot be
                        // excluded": the hedge is about the primary site, and it puts the diagnosis in doubt.
                        otherPrimary ??= new OtherPrimary(text, start, end, specimen, work);
                        doubtsSite = otherPrimary.Organ(term.Index, work) is not null;
                    }
                    var question = ReportReading.IsAsked(text, term.Index, term.Index + term.Length, start, end);
                    var onTypeLine = layout.OnTypeLine(term.Index);
                    var kind = onTypeLine ? SectionKind.Synoptic : section.Kind;
                    var tier = ReportReading.Tier(kind, hasDecisive, hasFinal);
                    (assertion, cueText) = ReportReading.Place(kind, tier, assertion, cueText, hasDecisive, pointsOnward, question, verdict);
                    work?.Add(term.Length);
                    mentions.Add(new LcnecMention(term.Index, term.Length, term.Value, assertion, cueText)
                    {
                        Section = onTypeLine && section.Kind != SectionKind.Synoptic ? "SYNOPTIC HISTOLOGIC TYPE" : section.Name,
                        Part = parts.At(term.Index),
                        Tier = tier,
                        DoubtsSite = doubtsSite,
                    });
                }
            }
        }
        return mentions;
    }

    /// <summary>The part labels of one section, read once; mentions come in text order, so a cursor walks them.</summary>
    private sealed class PartCursor(string text, ReportSection section)
    {
        private List<(int Position, string Label)>? _labels;
        private int _next;
        private string? _current;

        public string? At(int position)
        {
            _labels ??= ReportSections.Parts(text, section);
            while (_next < _labels.Count && _labels[_next].Position <= position)
            {
                _current = _labels[_next++].Label;
            }
            return _current;
        }
    }

    /// <summary>Whether a segment holding an affirmed mention also says "metastatic" (not negated).</summary>
    public static bool SaysMetastatic(string text) => SaysMetastatic(text, null);

    internal static bool SaysMetastatic(string text, FinderWork? work)
    {
        work?.Add(text.Length);
        var terms = Terms(text);
        if (terms.Count == 0)
        {
            return false;
        }
        var next = 0;
        foreach (var (start, end) in Segments(text, work))
        {
            while (next < terms.Count && terms[next].Index < start)
            {
                next++;
            }
            if (next == terms.Count)
            {
                break;
            }
            if (terms[next].Index >= end)
            {
                continue;
            }
            work?.Add(end - start);
            var triggers = ContextRules.Default.Find(text, start, end);
            work?.Add(2L * (end - start));
            for (var word = Metastatic().Match(text, start, end - start); word.Success; word = word.NextMatch())
            {
                if (ContextRules.Decide(text, triggers, word.Index, word.Index + word.Length, work).Assertion.IsPositive())
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>The segments (sentences, list items) of a text as [start, end) offsets.</summary>
    public static IEnumerable<(int Start, int End)> Segments(string text) => Segments(text, null);

    private static IEnumerable<(int Start, int End)> Segments(string text, FinderWork? work) => Segments(text, 0, text.Length, work);

    /// <summary>The segments of [from, to): a section is split on its own, so no segment straddles a header.</summary>
    private static IEnumerable<(int Start, int End)> Segments(string text, int from, int to, FinderWork? work)
    {
        work?.Add(to - from);
        var start = from;
        for (var boundary = SegmentBreak().Match(text, from, to - from); boundary.Success; boundary = boundary.NextMatch())
        {
            if (boundary.Index > start)
            {
                yield return (start, boundary.Index);
            }
            start = boundary.Index + boundary.Length;
        }
        if (start < to)
        {
            yield return (start, to);
        }
    }

    /// <summary>
    /// Whether one segment puts a tumour's primary outside the lung, answered per mention. Everything that does
    /// not depend on the mention is read once per segment: the lung-primary phrase, the organ words, which of
    /// them stand near "primary" and which follow "of the"; a mention then costs a few binary searches, where
    /// reading the segment again for each mention was quadratic.
    /// </summary>
    private sealed class OtherPrimary
    {
        private static readonly List<(int Start, int End)> NoOrgans = [];
        private static readonly List<int> NoIndexes = [];
        private readonly string _text;
        private readonly List<(int Start, int End)> _organs = NoOrgans; // organ words, absolute offsets
        private readonly int _firstNearPrimaryWord = int.MaxValue;
        private readonly List<int> _ofTheOrgan = NoIndexes; // indexes into _organs, ascending
        private readonly bool _lungPrimary;
        private readonly SpecimenOrgan? _specimen;

        public OtherPrimary(string text, int start, int end, SpecimenOrgan? specimen, FinderWork? work)
        {
            // Spans, not substrings: a span is the whole input to a regex, as the segment's substring was.
            _text = text;
            _specimen = specimen;
            var segment = text.AsSpan(start, end - start);
            work?.Add(segment.Length);
            _lungPrimary = LungPrimary().IsMatch(segment);
            if (_lungPrimary)
            {
                return;
            }
            work?.Add(segment.Length);
            foreach (var organ in OtherOrgan().EnumerateMatches(segment))
            {
                var aroundStart = Math.Max(0, organ.Index - 25);
                var around = segment[aroundStart..Math.Min(segment.Length, organ.Index + organ.Length + 25)];
                var ofThe = segment[Math.Max(0, organ.Index - 20)..organ.Index];
                work?.Add(around.Length + ofThe.Length);
                if (_organs == NoOrgans)
                {
                    (_organs, _ofTheOrgan) = ([], []);
                }
                if (_firstNearPrimaryWord == int.MaxValue && PrimaryWord().IsMatch(around))
                {
                    _firstNearPrimaryWord = _organs.Count;
                }
                if (OfThe().IsMatch(ofThe))
                {
                    _ofTheOrgan.Add(_organs.Count);
                }
                _organs.Add((start + organ.Index, start + organ.Index + organ.Length));
            }
        }

        /// <summary>
        /// The first organ word (in text order) that stands right before the term, follows it as "of the
        /// [organ]", or has "primary"/"origin"/"arising" near it; else the specimen's organ; else null.
        /// Without a term (an ICD-O-3 code alone) only the organ words near "primary" count.
        /// </summary>
        public string? Organ(int? term, FinderWork? work)
        {
            if (_lungPrimary)
            {
                return null;
            }
            var first = _firstNearPrimaryWord;
            if (term is not { } termStart)
            {
                return first < _organs.Count ? OrganAt(first) : _specimen?.Organ;
            }
            // Organ words do not overlap, so their ends ascend too: walk back from the last one starting before
            // the term while it ends within two characters of it.
            for (var i = FirstStartingAtOrAfter(termStart, work) - 1; i >= 0 && termStart - _organs[i].End <= 2; i--)
            {
                work?.Add(1);
                first = Math.Min(first, i);
            }
            var after = FirstStartingAtOrAfter(termStart + 1, work);
            var (low, high) = (0, _ofTheOrgan.Count);
            while (low < high)
            {
                work?.Add(1);
                var middle = low + ((high - low) / 2);
                (low, high) = _ofTheOrgan[middle] >= after ? (low, middle) : (middle + 1, high);
            }
            if (low < _ofTheOrgan.Count)
            {
                first = Math.Min(first, _ofTheOrgan[low]);
            }
            return first < _organs.Count ? OrganAt(first) : _specimen?.Organ;
        }

        private string OrganAt(int index) => _text[_organs[index].Start.._organs[index].End];

        private int FirstStartingAtOrAfter(int position, FinderWork? work)
        {
            var (low, high) = (0, _organs.Count);
            while (low < high)
            {
                work?.Add(1);
                var middle = low + ((high - low) / 2);
                (low, high) = _organs[middle].Start >= position ? (low, middle) : (middle + 1, high);
            }
            return low;
        }
    }

    /// <summary>
    /// A non-lung specimen that is not called metastatic and with no lung word anywhere in the text: that organ's
    /// tumour. Depends on the whole text, not on a mention, so it is read once per text, when first asked.
    /// </summary>
    private sealed class SpecimenOrgan(string text, string specimenSite, FinderWork? work)
    {
        private bool _known;
        private string? _organ;

        public string? Organ
        {
            get
            {
                if (!_known)
                {
                    _known = true;
                    work?.Add((2L * text.Length) + (2L * specimenSite.Length));
                    if (OtherOrgan().Match(specimenSite) is { Success: true } site
                        && !LungCue().IsMatch(specimenSite) && !LungCue().IsMatch(text) && !Metastatic().IsMatch(text))
                    {
                        _organ = site.Value;
                    }
                }
                return _organ;
            }
        }
    }
}
