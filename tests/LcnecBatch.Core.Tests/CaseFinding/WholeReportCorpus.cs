using System.Text.RegularExpressions;

namespace LcnecBatch.Core.Tests.CaseFinding;

/// <summary>One labelled whole report of <c>WholeReports/</c>: its header and the report text after <c>---</c>.</summary>
public sealed record WholeReport(
    string File, string Label, string? Morphology, string? Topography, string? Site,
    string? Section, string? Part, string Template, string Why, string Text);

/// <summary>Reads the whole-report corpus; a malformed header fails loudly with the file and line.</summary>
public static partial class WholeReportCorpus
{
    public static readonly string[] Labels = ["affirmed", "historical", "negated", "uncertain", "other_site", "lookalike", "family", "none"];

    private static readonly string[] CommonKeys = ["label", "morphology", "topography", "site", "template", "why"];
    private static readonly string[] PositiveKeys = ["section", "part"];

    /// <summary>The predictions a label accepts as right (affirmed: historical also means "has LCNEC").</summary>
    public static readonly Dictionary<string, string[]> Accepted = new(StringComparer.Ordinal)
    {
        ["affirmed"] = ["affirmed", "historical"],
        ["historical"] = ["historical"],
        ["negated"] = ["negated"],
        ["uncertain"] = ["uncertain"],
        ["other_site"] = ["other_site"],
        ["lookalike"] = ["none", "negated"],
        ["family"] = ["family", "none", "negated", "uncertain", "other_site"],
        ["none"] = ["none"],
    };

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "CaseFinding", "WholeReports");

    public static IReadOnlyList<WholeReport> Load() => Load(Folder);

    public static IReadOnlyList<WholeReport> Load(string folder) =>
        Directory.GetFiles(folder, "*.txt")
            .Order(StringComparer.Ordinal)
            .Select(path => Parse(Path.GetFileName(path), File.ReadAllText(path)))
            .ToList();

    public static WholeReport Parse(string file, string content)
    {
        if (!FileName().IsMatch(file))
        {
            throw new InvalidDataException($"{file}: the name is not NNN-short-slug.txt");
        }
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var position = 0;
        var line = 0;
        while (true)
        {
            var end = content.IndexOf('\n', position);
            if (end < 0)
            {
                throw new InvalidDataException($"{file}: no '---' line ends the header");
            }
            line++;
            var row = content[position..end].TrimEnd('\r');
            position = end + 1;
            if (row == "---")
            {
                break;
            }
            var colon = row.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new InvalidDataException($"{file}, line {line}: header line is not 'key: value'");
            }
            var key = row[..colon].Trim();
            if (!keys.TryAdd(key, row[(colon + 1)..].Trim()))
            {
                throw new InvalidDataException($"{file}, line {line}: key '{key}' repeated");
            }
        }

        foreach (var key in CommonKeys)
        {
            Require(key);
        }
        var label = keys["label"];
        if (!Labels.Contains(label))
        {
            throw new InvalidDataException($"{file}: unknown label '{label}'");
        }
        var positive = label is "affirmed" or "historical";
        foreach (var key in PositiveKeys)
        {
            if (positive)
            {
                Require(key);
            }
        }
        var known = CommonKeys.Concat(PositiveKeys).ToHashSet(StringComparer.Ordinal);
        var unknown = keys.Keys.FirstOrDefault(k => !known.Contains(k));
        if (unknown is not null)
        {
            throw new InvalidDataException($"{file}: unknown header key '{unknown}'");
        }
        if (keys["why"].Length == 0 || keys["template"].Length == 0 || (positive && keys["section"].Length == 0))
        {
            throw new InvalidDataException($"{file}: why, template (and section for {label}) must not be empty");
        }
        var text = content[position..];
        if (text.Trim().Length == 0)
        {
            throw new InvalidDataException($"{file}: empty report text");
        }

        return new WholeReport(file, label, Empty("morphology"), Empty("topography"), Empty("site"),
            positive ? keys["section"] : null, positive ? Empty("part") : null, keys["template"], keys["why"], text);

        void Require(string key)
        {
            if (!keys.ContainsKey(key))
            {
                throw new InvalidDataException($"{file}: header key '{key}' missing");
            }
        }

        string? Empty(string key) => keys.TryGetValue(key, out var v) && v.Length > 0 ? v : null;
    }

    /// <summary>The text with case, digits and whitespace removed: two reports equal here are near-duplicates.</summary>
    public static string Skeleton(string text) => NotSkeleton().Replace(text.ToLowerInvariant(), "");

    [GeneratedRegex(@"^\d{3}-[a-z0-9]+(-[a-z0-9]+)*\.txt$", RegexOptions.IgnoreCase)]
    private static partial Regex FileName();

    [GeneratedRegex(@"[\d\s]")]
    private static partial Regex NotSkeleton();
}
