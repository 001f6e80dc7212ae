using System.Text.RegularExpressions;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Genomics;

namespace LcnecBatch.Core.Screening;

/// <summary>
/// What a signed-out molecular row's free-text alteration says about ALK: the fusion partner and exons
/// ("EML4-ALK fusion (E13:A20)", "EML4 exon 6 - ALK exon 20") and any resistance mutations ("G1202R",
/// "p.Gly1202Arg", "L1196M/G1202R compound"), looked up in the resistance table.
/// </summary>
public static partial class AlkAlteration
{
    [GeneratedRegex(@"\bE(?<partner>\d{1,2}[ab]?)(?:del(?<partnerDeleted>\d+))?\s*[:;]\s*(?:ins(?<inserted>\d+))?(?:del(?<alkDeleted>\d+))?A(?<alk>\d{1,2})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExonNotation();

    [GeneratedRegex(@"\bexon\s*(?<partner>\d{1,2}[ab]?)\b.*?\bALK\s+exon\s*(?<alk>\d{1,2})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExonWords();

    [GeneratedRegex(@"[\s,;/+()\[\]]+", RegexOptions.CultureInvariant)]
    private static partial Regex TokenSeparator();

    /// <summary>The fusion a detected ALK row describes, as far as its text tells; null for a point mutation only or no text.</summary>
    public static FusionDetail? Fusion(MolecularResulted row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (!AlkFusionActionableRule.IsFusion(row))
        {
            return null;
        }
        var text = row.Alteration ?? string.Empty;
        var partner = AlkFusionActionableRule.PartnerOf(text);
        var exons = ExonNotation().Match(text) is { Success: true } n ? n : ExonWords().Match(text);
        if (!exons.Success)
        {
            return new FusionDetail { Partner = partner };
        }
        var partnerExonLabel = exons.Groups["partner"].Value;
        var alkExon = int.Parse(exons.Groups["alk"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var variant = string.Equals(partner, "EML4", StringComparison.OrdinalIgnoreCase)
            ? EmlAlkVariant.FromExons(partnerExonLabel, alkExon, Count(exons, "partnerDeleted"), Count(exons, "inserted"), Count(exons, "alkDeleted"))
            : null;
        return new FusionDetail
        {
            Partner = partner,
            PartnerExon = int.TryParse(partnerExonLabel.TrimEnd('a', 'b', 'A', 'B'), System.Globalization.CultureInfo.InvariantCulture, out var pe) ? pe : null,
            AlkExon = alkExon,
            Variant = variant is null ? null : variant.Name ?? variant.Notation,
            VariantClass = variant?.Class?.ToString().ToLowerInvariant(),
        };
    }

    private static int Count(Match match, string group) =>
        match.Groups[group] is { Success: true } g ? int.Parse(g.Value, System.Globalization.CultureInfo.InvariantCulture) : 0;

    /// <summary>Every resistance-table mutation the text names, once each, in the order written.</summary>
    public static IReadOnlyList<AlkResistanceEntry> ResistanceMutations(string? alteration)
    {
        if (string.IsNullOrWhiteSpace(alteration))
        {
            return [];
        }
        var found = new List<AlkResistanceEntry>();
        foreach (var token in TokenSeparator().Split(alteration))
        {
            if (token.Length >= 5 && AlkResistance.Find(token) is { } entry && !found.Contains(entry))
            {
                found.Add(entry);
            }
        }
        return found;
    }

    /// <summary>
    /// Details from the raw file win where they exist (breakpoints, caller, build); the report's exons and variant fill
    /// what the raw call lacks.
    /// </summary>
    public static FusionDetail Merge(FusionDetail reported, FusionDetail? raw)
    {
        ArgumentNullException.ThrowIfNull(reported);
        return raw is null ? reported : raw with
        {
            Partner = raw.Partner ?? reported.Partner,
            PartnerExon = raw.PartnerExon ?? reported.PartnerExon,
            AlkExon = raw.AlkExon ?? reported.AlkExon,
            Variant = raw.Variant ?? reported.Variant,
            VariantClass = raw.VariantClass ?? reported.VariantClass,
        };
    }

    /// <summary>The call of a raw file that best stands for the fusion: partner known first, then the earliest line.</summary>
    public static FusionDetail? Best(IEnumerable<FusionDetail> fusions, string? partner = null) =>
        fusions.Where(f => f.Counts && (partner is null || f.Partner is null || string.Equals(f.Partner, partner, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(f => f.Partner is null ? 1 : 0).ThenBy(f => f.Variant is null ? 1 : 0).ThenBy(f => f.Line)
            .FirstOrDefault();
}
