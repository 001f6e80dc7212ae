using System.Reflection;
using System.Text.RegularExpressions;

namespace LcnecBatch.Core.CaseFinding;

/// <summary>What a section of a pathology report is for, which decides whether a mention in it diagnoses.</summary>
public enum SectionKind
{
    /// <summary>Text before any header (or a report with no headers at all: a bare final diagnosis).</summary>
    Unlabelled,
    History,
    Family,
    Specimen,
    Gross,
    Microscopic,
    Frozen,
    Final,
    Comment,
    Synoptic,
    Ancillary,
    Addendum,
    Consultation,

    /// <summary>Another lab's diagnosis quoted in a consultation ("Outside diagnosis:"): what this report decides about it is elsewhere.</summary>
    Referral,
    Other,
}

/// <summary>One section: its kind, its header as written (null for text before any header), and its span.</summary>
public sealed record ReportSection(SectionKind Kind, string? Header, int Start, int End)
{
    /// <summary>How evidence names it: the header in capitals ("FINAL DIAGNOSIS"), or null for unlabelled text.</summary>
    public string? Name => Header is null ? null : Regex.Replace(Header.Trim().TrimEnd(':', '-', '–').Trim(), @"\s+", " ").ToUpperInvariant();
}

/// <summary>
/// Splits a report into sections by their headers (data: <c>section-patterns.tsv</c>, a pathologist can extend it):
/// a header stands at the start of a line, in any case, and ends with a colon, a dash or the line's end. And finds
/// the part (<c>A.</c>, <c>B.</c>, <c>Part 1:</c>, <c>1)</c>) a position belongs to. One pass over the text each.
/// </summary>
public static partial class ReportSections
{
    private static readonly (Regex Headers, Dictionary<string, SectionKind> Kinds) Patterns = Load();

    // A part label at the start of a line: "A.", "B)", "Part 2:", "1)", "(C)", "2 -".
    [GeneratedRegex(@"^[ \t]*(?:part[ \t]+(?<part>[A-Z]|\d{1,2})\b[.:)]?|\(?(?<part>[A-Z]|\d{1,2})(?:[.):]|[ \t]+[-–]))(?=[ \t])", RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PartLabel();

    private static (Regex, Dictionary<string, SectionKind>) Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("LcnecBatch.Core.section-patterns.tsv")
            ?? throw new InvalidOperationException("section-patterns.tsv is not embedded");
        using var reader = new StreamReader(stream);
        var kinds = new Dictionary<string, SectionKind>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var cells = line.Split('\t');
            kinds[Key(cells[1])] = Enum.Parse<SectionKind>(cells[0], ignoreCase: true);
        }
        var alternation = string.Join('|', kinds.Keys
            .OrderByDescending(k => k.Length)
            .Select(k => string.Join(@"[ \t]+", k.Split(' ').Select(Regex.Escape))));
        // At a line start (after bullets or a part label such as "A." that heads a section), the header, then a
        // colon or dash, or the end of the line.
        var headers = new Regex(
            $@"^[ \t>*•=#]*(?<header>(?:{alternation}))(?:[ \t]*[/&][^:\r\n]{{0,30}})?(?:[ \t]*\([^)\r\n]{{0,40}}\))?[ \t*=#]*(?::|[-–](?=[ \t])|(?=\r?$))",
            RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
        return (headers, kinds);
    }

    private static string Key(string header) => Regex.Replace(header.Trim().ToLowerInvariant(), @"\s+", " ");

    /// <summary>The sections of a text, in order, covering it whole (text before the first header is unlabelled).</summary>
    public static IReadOnlyList<ReportSection> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sections = new List<ReportSection>();
        var start = 0;
        SectionKind kind = SectionKind.Unlabelled;
        string? header = null;
        for (var match = Patterns.Headers.Match(text); match.Success; match = match.NextMatch())
        {
            if (match.Index > start || header is not null)
            {
                sections.Add(new ReportSection(kind, header, start, match.Index));
            }
            var written = match.Groups["header"].Value;
            header = written;
            kind = Patterns.Kinds[Key(written)];
            start = match.Index + match.Length;
        }
        if (start < text.Length || header is not null)
        {
            sections.Add(new ReportSection(kind, header, start, text.Length));
        }
        return sections;
    }

    /// <summary>The part labels of a section with where each starts, in text order.</summary>
    public static List<(int Position, string Label)> Parts(string text, ReportSection section)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(section);
        var parts = new List<(int, string)>();
        for (var match = PartLabel().Match(text, section.Start, section.End - section.Start); match.Success; match = match.NextMatch())
        {
            parts.Add((match.Index, match.Groups["part"].Value.ToUpperInvariant()));
        }
        return parts;
    }
}
