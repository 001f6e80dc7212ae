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
/// <summary>A report's layout, read in one pass over its lines: its sections, where each line starts, and the synoptic type lines.</summary>
public sealed record ReportLayout(IReadOnlyList<ReportSection> Sections, IReadOnlyList<int> LineStarts, IReadOnlyList<int> TypeLines)
{
    /// <summary>The start of the line holding <paramref name="position"/>.</summary>
    public int LineStartOf(int position) => LineStarts[LineIndex(position)];

    /// <summary>Whether the position stands on a synoptic type line ("Histologic Type: ...").</summary>
    public bool OnTypeLine(int position)
    {
        if (TypeLines.Count == 0)
        {
            return false;
        }
        var lineStart = LineStartOf(position);
        var index = Search(TypeLines, lineStart);
        return index >= 0;
    }

    private int LineIndex(int position)
    {
        var index = Search(LineStarts, position);
        return index >= 0 ? index : ~index - 1;
    }

    private static int Search(IReadOnlyList<int> sorted, int value)
    {
        var (low, high) = (0, sorted.Count - 1);
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            if (sorted[middle] == value)
            {
                return middle;
            }
            (low, high) = sorted[middle] < value ? (middle + 1, high) : (low, middle - 1);
        }
        return ~low;
    }
}

/// <summary>
/// Splits a report into sections by their headers (data: <c>section-patterns.tsv</c>, a pathologist can extend it):
/// a header stands at the start of a line (after bullets or rules such as <c>***</c>), in any case, and ends with a
/// colon, a dash or the line's end; a parenthesis ("FINAL DIAGNOSIS (FROZEN)") or a second name after a slash
/// ("Special stains / IHC") may follow it. And finds the part (<c>A.</c>, <c>B.</c>, <c>Part 1:</c>, <c>1)</c>) a
/// position belongs to. One pass over the lines, a dictionary look-up per line: no regex over the whole text.
/// </summary>
public static partial class ReportSections
{
    private const int MaxHeaderLength = 64;

    private static readonly Dictionary<string, SectionKind> Kinds = Load();

    private static readonly string[] TypeLinePrefixes =
    [
        "histologic type", "histological type", "histologic tumor type", "histologic tumour type", "tumor type", "tumour type",
        "histotype", "histology", "histologic diagnosis", "who classification", "histopathologic type",
    ];

    // A part label at the start of a line: "A.", "B)", "Part 2:", "1)", "(C)", "2 -".
    [GeneratedRegex(@"^[ \t]*(?:part[ \t]+(?<part>[A-Z]|\d{1,2})\b[.:)]?|\(?(?<part>[A-Z]|\d{1,2})(?:[.):]|[ \t]+[-–]))(?=[ \t])", RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PartLabel();

    private static Dictionary<string, SectionKind> Load()
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
            kinds[Normalize(cells[1])] = Enum.Parse<SectionKind>(cells[0], ignoreCase: true);
        }
        return kinds;
    }

    /// <summary>Lower case, one space between words, no decoration at the ends: the key a header is looked up by.</summary>
    private static string Normalize(ReadOnlySpan<char> header)
    {
        Span<char> buffer = stackalloc char[Math.Min(header.Length, MaxHeaderLength * 2)];
        var n = 0;
        var space = false;
        foreach (var c in header.Trim(" \t*=#-–_".AsSpan()))
        {
            if (n == buffer.Length)
            {
                break;
            }
            if (c is ' ' or '\t')
            {
                space = n > 0;
                continue;
            }
            if (space)
            {
                buffer[n++] = ' ';
                space = false;
                if (n == buffer.Length)
                {
                    break;
                }
            }
            buffer[n++] = char.ToLowerInvariant(c);
        }
        return new string(buffer[..n]);
    }

    /// <summary>The sections of a text, in order, covering it whole (text before the first header is unlabelled).</summary>
    public static IReadOnlyList<ReportSection> Split(string text) => Read(text).Sections;

    /// <summary>The sections, line starts and synoptic type lines of a text, in one pass over its lines.</summary>
    public static ReportLayout Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sections = new List<ReportSection>();
        var lineStarts = new List<int>();
        var typeLines = new List<int>();
        var start = 0;
        var kind = SectionKind.Unlabelled;
        string? header = null;
        var lineStart = 0;
        while (true)
        {
            var newline = text.IndexOf('\n', lineStart);
            var lineEnd = newline < 0 ? text.Length : newline;
            lineStarts.Add(lineStart);
            if (Header(text, lineStart, lineEnd) is { } found)
            {
                if (found.Kind is { } newKind)
                {
                    if (lineStart > start || header is not null)
                    {
                        sections.Add(new ReportSection(kind, header, start, lineStart));
                    }
                    (kind, header, start) = (newKind, found.Written, found.BodyStart);
                }
                if (found.TypeLine)
                {
                    typeLines.Add(lineStart);
                }
            }
            if (newline < 0)
            {
                break;
            }
            lineStart = newline + 1;
        }
        if (start < text.Length || header is not null)
        {
            sections.Add(new ReportSection(kind, header, Math.Min(start, text.Length), text.Length));
        }
        return new ReportLayout(sections, lineStarts, typeLines);
    }

    /// <summary>What a line's opening words are: a section header (with where its body starts), a synoptic type line, or neither.</summary>
    private static (SectionKind? Kind, string Written, int BodyStart, bool TypeLine)? Header(string text, int lineStart, int lineEnd)
    {
        var i = lineStart;
        while (i < lineEnd && text[i] is ' ' or '\t' or '>' or '*' or '•' or '=' or '#')
        {
            i++;
        }
        if (i >= lineEnd || !char.IsLetter(text[i]))
        {
            return null;
        }
        var window = text.AsSpan(i, Math.Min(lineEnd, i + MaxHeaderLength + 40) - i);
        var colon = window.IndexOf(':');
        int candidateEnd;
        int bodyStart;
        if (colon >= 0 && colon <= MaxHeaderLength + 30)
        {
            (candidateEnd, bodyStart) = (i + colon, i + colon + 1);
        }
        else
        {
            var dash = window.IndexOf(" - ", StringComparison.Ordinal);
            dash = dash >= 0 ? dash : window.IndexOf(" – ", StringComparison.Ordinal);
            if (dash >= 0 && dash <= MaxHeaderLength)
            {
                (candidateEnd, bodyStart) = (i + dash, i + dash + 3);
            }
            else if (lineEnd - i <= MaxHeaderLength + 30)
            {
                (candidateEnd, bodyStart) = (lineEnd, Math.Min(text.Length, lineEnd + 1));
            }
            else
            {
                return null;
            }
        }
        var candidate = text.AsSpan(i, candidateEnd - i).TrimEnd(" \t\r*=#".AsSpan());
        // "FINAL DIAGNOSIS (FROZEN SECTION)", "Special stains / IHC": the name is what stands before.
        var cut = candidate.IndexOfAny('(', '/', '&');
        var name = cut > 0 ? candidate[..cut].TrimEnd() : candidate;
        if (name.Length == 0 || name.Length > MaxHeaderLength)
        {
            return null;
        }
        var key = Normalize(name);
        var typeLine = colon >= 0 && TypeLinePrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal));
        if (Kinds.TryGetValue(key, out var kind))
        {
            return (kind, name.ToString(), bodyStart, typeLine);
        }
        return typeLine ? (null, name.ToString(), bodyStart, true) : null;
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
