using System.Text.RegularExpressions;

namespace LcnecBatch.Core.CaseFinding;

/// <summary>
/// Whether a report without an LCNEC mention is still about the patient's lung cancer: its specimen is from the lung
/// (or chest) and its text names no other cancer. Stage is taken from such reports (a staging resection after the
/// diagnostic biopsy), never from another cancer's.
/// </summary>
public static partial class LungSite
{
    [GeneratedRegex(@"\b(?:lung|pulmonary|bronch\w*|lobe|lobectomy|pneumonectomy|segmentectomy|wedge|hil(?:um|ar)|mediastin\w*|pleura\w*|thora\w*|RUL|RML|RLL|LUL|LLL)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex LungWords();

    [GeneratedRegex(
        @"\b(?:adeno\s*carcinoma|squamous\s+cell\s+carcinoma|small\s+cell\s+carcinoma|carcinoid|neuroendocrine\s+tumou?r|mesothelioma|lymphoma|sarcoma|melanoma|myeloma|leuka?emia"
        + @"|(?:breast|colon|colonic|colorectal|rectal|prostat\w*|renal|urothelial|bladder|thyroid|pancreatic|gastric|ovarian|endometrial|cervical|hepatocellular)\s+(?:carcinoma|cancer|primary|origin))\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex OtherCancer();

    /// <summary>A lung or chest specimen, by its site text or an ICD-O-3 C34 (lung) / C38 (pleura, mediastinum) code.</summary>
    public static bool IsLung(string? specimenSite, string? topography)
    {
        var code = topography?.Trim().ToUpperInvariant();
        if (code is not null && (code.StartsWith("C34", StringComparison.Ordinal) || code.StartsWith("C38", StringComparison.Ordinal)))
        {
            return true;
        }
        return specimenSite is not null && LungWords().IsMatch(specimenSite);
    }

    /// <summary>Whether the text names a cancer other than LCNEC (another lung histology or another organ's primary).</summary>
    public static bool NamesAnotherCancer(string text) => OtherCancer().IsMatch(text);
}
