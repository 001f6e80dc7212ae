using System.Text.RegularExpressions;
using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Screening;

/// <summary>The ALK IHC assay a clone cell names (pathology.md 4.1).</summary>
public enum AlkIhcAssay
{
    /// <summary>Ventana ALK (D5F3) CDx with OptiView amplification: the companion diagnostic in NSCLC.</summary>
    VentanaD5F3,

    /// <summary>Clone D5F3 in another protocol (no Ventana, CDx or OptiView named).</summary>
    D5F3,

    /// <summary>Novocastra/Leica 5A4.</summary>
    Clone5A4,

    /// <summary>Dako ALK1, the lymphoma clone: insensitive for lung ALK fusions without amplification.</summary>
    Alk1,

    /// <summary>A clone the table does not know.</summary>
    Other,

    /// <summary>No clone given.</summary>
    Unknown,
}

/// <summary>Which ALK IHC results count as an ALK test, and the words a pathologist would sign about each clone.</summary>
public static partial class AlkIhcClone
{
    [GeneratedRegex(@"\bD5F3\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex D5F3();

    [GeneratedRegex(@"\b5A4\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FiveA4();

    [GeneratedRegex(@"\bALK[- ]?1\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Alk1();

    [GeneratedRegex(@"\b(?:Ventana|CDx|OptiView)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Ventana();

    public static AlkIhcAssay Of(string? clone)
    {
        if (string.IsNullOrWhiteSpace(clone))
        {
            return AlkIhcAssay.Unknown;
        }
        if (D5F3().IsMatch(clone))
        {
            return Ventana().IsMatch(clone) ? AlkIhcAssay.VentanaD5F3 : AlkIhcAssay.D5F3;
        }
        return FiveA4().IsMatch(clone) ? AlkIhcAssay.Clone5A4
            : Alk1().IsMatch(clone) ? AlkIhcAssay.Alk1
            : Ventana().IsMatch(clone) ? AlkIhcAssay.VentanaD5F3 // the Ventana ALK assay is D5F3
            : AlkIhcAssay.Other;
    }

    /// <summary>
    /// An ALK IHC result is an ALK test when it has a reading and, if negative, its clone can see lung ALK fusions: D5F3
    /// and 5A4 can, ALK1 cannot; a missing or unknown clone as the options say. A positive or equivocal stain of any clone
    /// counts (it sends the case to molecular confirmation).
    /// </summary>
    public static bool CountsAsAlkTest(IhcResulted ihc, ScreeningOptions options)
    {
        ArgumentNullException.ThrowIfNull(ihc);
        ArgumentNullException.ThrowIfNull(options);
        return ihc.Result switch
        {
            IhcResult.NotEvaluable => false,
            IhcResult.Negative => Of(ihc.AntibodyClone) switch
            {
                AlkIhcAssay.VentanaD5F3 or AlkIhcAssay.D5F3 or AlkIhcAssay.Clone5A4 => true,
                AlkIhcAssay.Alk1 => false,
                _ => options.UnknownAlkCloneCountsAsTest,
            },
            _ => true,
        };
    }

    /// <summary>Why a negative ALK IHC result is not an ALK test, for the alert text; null when it is one.</summary>
    public static string? WhyNotATest(IhcResulted ihc, ScreeningOptions options)
    {
        ArgumentNullException.ThrowIfNull(ihc);
        if (ihc.Result != IhcResult.Negative || CountsAsAlkTest(ihc, options))
        {
            return null;
        }
        return Of(ihc.AntibodyClone) == AlkIhcAssay.Alk1
            ? $"The ALK IHC of {ihc.Accession} ({ihc.ResultDate:yyyy-MM-dd}) was negative with clone ALK1, which does not count: ALK1 is the lymphoma clone and misses most lung ALK fusions, whose protein level is low without signal amplification. Repeat with D5F3 (Ventana CDx, OptiView) or 5A4, or test by NGS or FISH."
            : $"The ALK IHC of {ihc.Accession} ({ihc.ResultDate:yyyy-MM-dd}) was negative with no recognised clone, which this laboratory does not count (Screening:UnknownAlkCloneCountsAsTest): confirm the clone was D5F3 or 5A4, or test by NGS or FISH.";
    }

    /// <summary>What a positive or equivocal stain of this clone means in LCNEC, one or two sentences.</summary>
    public static string PositiveCaveat(IhcResulted ihc)
    {
        ArgumentNullException.ThrowIfNull(ihc);
        var clone = Of(ihc.AntibodyClone) switch
        {
            AlkIhcAssay.VentanaD5F3 => " The Ventana ALK (D5F3) CDx assay is a stand-alone companion diagnostic in non-small cell lung cancer; that approval does not cover neuroendocrine carcinoma.",
            AlkIhcAssay.D5F3 => " Clone D5F3 outside the Ventana CDx assay (OptiView amplification) is not the companion diagnostic.",
            AlkIhcAssay.Clone5A4 => " Clone 5A4 is not the companion diagnostic; with 5A4, 9.7% of 436 lung neuroendocrine carcinomas stained positive and only 4 were confirmed by FISH or NGS.",
            AlkIhcAssay.Alk1 => " Clone ALK1 is not validated for lung ALK fusions.",
            _ => " The clone is not given, so whether this was the companion-diagnostic assay is unknown.",
        };
        var equivocal = ihc.Result == IhcResult.Equivocal
            ? " An equivocal stain is neither positive nor negative (the D5F3 CDx assay has no equivocal category): only a molecular test settles it."
            : "";
        return clone + equivocal;
    }
}
