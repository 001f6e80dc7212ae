using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace LcnecBatch.Core.Genomics;

/// <summary>One row of the embedded resistance table <c>alk-resistance.tsv</c>.</summary>
/// <param name="Confidence">corroborated, reported or uncertain (genomics.md section 3's reading of its sources).</param>
/// <param name="Source">The publications the row rests on, short form (Lin 2017 Table 2; Gainor 2016; ...).</param>
public sealed record AlkResistanceEntry(
    string Protein, int Exon, IReadOnlyList<string> ResistantTo, IReadOnlyList<string> SensitiveTo, string Confidence, string Source, string Note)
{
    /// <summary>The reference marks this profile uncertain: never advise a switch on it, refer it to the tumour board.</summary>
    public bool IsUncertain => Confidence == "uncertain";
}

/// <summary>ALK kinase-domain mutations that defeat ALK inhibitors, looked up by one-letter protein change (G1202R).</summary>
public static partial class AlkResistance
{
    private static readonly Lazy<IReadOnlyDictionary<string, AlkResistanceEntry>> Table = new(Load);

    // Each three-letter amino-acid code followed by its one-letter code.
    private static readonly Dictionary<string, char> AminoAcids =
        "AlaA ArgR AsnN AspD CysC GlnQ GluE GlyG HisH IleI LeuL LysK MetM PheF ProP SerS ThrT TrpW TyrY ValV Ter* SecU XaaX"
            .Split(' ')
            .ToDictionary(code => code[..3], code => code[3], StringComparer.Ordinal);

    public static IReadOnlyCollection<AlkResistanceEntry> All => [.. Table.Value.Values];

    /// <summary>The table row for a protein change in any HGVS spelling (p.Gly1202Arg, p.(G1202R), ENSP…:p.Gly1202Arg), or null.</summary>
    public static AlkResistanceEntry? Find(string? hgvsProtein) =>
        ShortProteinChange(hgvsProtein) is { } change && Table.Value.TryGetValue(change, out var entry) ? entry : null;

    /// <summary>
    /// An HGVS protein change in one-letter form without prefix: "p.Gly1202Arg" → "G1202R",
    /// "p.Thr1151_Leu1152insThr" → "T1151_L1152insT". Null when empty or "p.?"/"p.=".
    /// </summary>
    public static string? ShortProteinChange(string? hgvsProtein)
    {
        if (string.IsNullOrWhiteSpace(hgvsProtein))
        {
            return null;
        }
        var text = hgvsProtein.Trim();
        var p = text.IndexOf("p.", StringComparison.Ordinal);
        text = p >= 0 ? text[(p + 2)..] : text;
        text = text.Replace("(", string.Empty, StringComparison.Ordinal).Replace(")", string.Empty, StringComparison.Ordinal);
        if (text.Length == 0 || text is "?" or "=")
        {
            return null;
        }
        return ThreeLetter().Replace(text, m => AminoAcids.TryGetValue(m.Value, out var one) ? one.ToString() : m.Value);
    }

    [GeneratedRegex("[A-Z][a-z]{2}", RegexOptions.CultureInvariant)]
    private static partial Regex ThreeLetter();

    private static Dictionary<string, AlkResistanceEntry> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("LcnecBatch.Core.Genomics.alk-resistance.tsv")
            ?? throw new InvalidOperationException("embedded resistance table is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var table = new Dictionary<string, AlkResistanceEntry>(StringComparer.Ordinal);
        var header = true;
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }
            if (header)
            {
                header = false;
                continue;
            }
            var f = line.Split('\t');
            if (f.Length != 7 || f[4] is not ("corroborated" or "reported" or "uncertain") || f[5].Length == 0)
            {
                throw new InvalidOperationException($"embedded resistance table: row {f[0]} needs 7 columns, a confidence and a source");
            }
            table.Add(f[0], new AlkResistanceEntry(f[0], int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture), List(f[2]), List(f[3]), f[4], f[5], f[6]));
        }
        return table;
    }

    private static string[] List(string cell) => cell.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
