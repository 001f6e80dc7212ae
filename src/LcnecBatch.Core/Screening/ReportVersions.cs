using System.Text.RegularExpressions;
using LcnecBatch.Core.CaseFinding;
using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Screening;

/// <summary>
/// The rows of one accession read as versions of one report. An addendum adds to the report: what the original
/// diagnosed stands, and an addendum that establishes LCNEC dates the diagnosis by itself. An amended or corrected
/// version (HL7 OBR-25 <c>C</c>, FHIR <c>amended</c>/<c>corrected</c>, <c>report_status</c> amended/corrected, or an
/// addendum whose text amends, corrects, revises, withdraws or replaces the diagnosis) supersedes what the accession
/// diagnosed before it, from the day it arrived: when it affirms LCNEC too, the diagnosis keeps its first date; when
/// it withdraws it, the accession no longer diagnoses LCNEC and the alerts it raised resolve.
/// </summary>
public static partial class ReportVersions
{
    // An addendum that changes the diagnosis says so. "Addendum: ALK IHC is negative" adds; "the diagnosis is revised
    // to", "amended report", "corrected diagnosis", "withdrawn", "replaces the previous report" amend.
    [GeneratedRegex(
        @"\b(?:amended|amendment|amends?|corrected|correction|corrects?|revised|revision|revises?|withdrawn|withdraws?|retracted|rescinded|superseded?|supersedes|replaces?|replaced|issued\s+in\s+error|reported\s+in\s+error|changed?\s+to|should\s+(?:now\s+)?read)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex AmendingWords();

    // A version that states a tumour diagnosis of its own (or its absence) replaces the diagnosis; one that only
    // corrects a detail (a stage, a margin, a typing error in the history) leaves it as it was.
    [GeneratedRegex(
        @"\b(?:carcinoma|carcinoid|neuroendocrine\s+tumou?r|adenocarcinoma|lymphoma|sarcoma|melanoma|mesothelioma|neoplasm|malignan\w*|benign|no\s+tumou?r|negative\s+for\s+(?:malignancy|tumou?r|carcinoma)|granuloma\w*|pneumonia|fibrosis)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex StatesADiagnosis();

    /// <summary>Whether this version supersedes the accession's earlier versions rather than adding to them.</summary>
    public static bool Amends(PathologyReported report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Amends || (report.Addendum && (report.TextTraits is { } traits
            ? traits.HasFlag(ReportTextTraits.AmendingWords)
            : AmendingWords().IsMatch(report.FinalDiagnosis)));
    }

    /// <summary>
    /// What screening reads from the text of a report that says nothing about LCNEC (a report that does keeps its text):
    /// whether its words amend, whether it states a diagnosis, whether it names another cancer.
    /// </summary>
    internal static ReportTextTraits TraitsOf(PathologyReported report) =>
        (report.Addendum && AmendingWords().IsMatch(report.FinalDiagnosis) ? ReportTextTraits.AmendingWords : ReportTextTraits.None)
        | (StatesADiagnosis().IsMatch(report.FinalDiagnosis) ? ReportTextTraits.StatesADiagnosis : ReportTextTraits.None)
        | (LungSite.NamesAnotherCancer(report.FinalDiagnosis) ? ReportTextTraits.NamesAnotherCancer : ReportTextTraits.None);

    /// <summary>The versions of every accession, oldest first: by the batch that brought them, then report date, then position.</summary>
    public static IEnumerable<IGrouping<string, PathologyReported>> ByAccession(IEnumerable<PathologyReported> reports) =>
        reports
            .OrderBy(r => r.KnownOn)
            .ThenBy(r => r.ReportDate)
            .ThenBy(r => r.Source.File, StringComparer.Ordinal)
            .ThenBy(r => r.Source.Line)
            .GroupBy(r => r.Accession, StringComparer.Ordinal);

    /// <summary>
    /// The version that dates the accession's LCNEC diagnosis as it stands after its last version, or null when the
    /// accession diagnoses no pulmonary LCNEC (never did, or an amendment withdrew it).
    /// </summary>
    public static PathologyReported? Diagnosing(IEnumerable<PathologyReported> versions, Func<PathologyReported, LcnecFinding?> findingOf)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(findingOf);
        PathologyReported? since = null;
        foreach (var version in versions)
        {
            var finding = findingOf(version);
            if (finding is { IsPulmonaryLcnec: true })
            {
                since ??= version;
            }
            else if (Amends(version) && Withdraws(version, finding))
            {
                since = null;
            }
        }
        return since;
    }

    /// <summary>
    /// An amending version that does not affirm LCNEC withdraws it when it says something about LCNEC (negated,
    /// uncertain, another site) or states a diagnosis of its own; one that only corrects a detail does not.
    /// </summary>
    private static bool Withdraws(PathologyReported version, LcnecFinding? finding) =>
        finding is not null || (version.TextTraits is { } traits
            ? traits.HasFlag(ReportTextTraits.StatesADiagnosis)
            : StatesADiagnosis().IsMatch(version.FinalDiagnosis));
}
