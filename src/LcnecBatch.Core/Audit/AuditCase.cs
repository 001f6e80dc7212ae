using System.Text.RegularExpressions;
using LcnecBatch.Core.CaseFinding;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Genomics;
using LcnecBatch.Core.Screening;

namespace LcnecBatch.Core.Audit;

/// <summary>The life of one alert identity in a replay: when it was raised (again), reminded and resolved.</summary>
public sealed class AlertHistory(string ruleId, string mrn, string subject)
{
    public string RuleId { get; } = ruleId;

    public string Mrn { get; } = mrn;

    public string Subject { get; } = subject;

    public Severity Severity { get; internal set; }

    /// <summary>Each time it opened: first raise, then every reopening after a resolution.</summary>
    public List<(DateOnly RaisedOn, DateOnly? ResolvedOn)> Openings { get; } = [];

    public int Reminders { get; internal set; }
}

/// <summary>
/// One patient of the audit cohort (a row of <c>cases.csv</c>): the diagnosis, stage and high-prior features,
/// the first ALK test, the IHC and its molecular confirmation, the fusion found, and the alerts.
/// </summary>
public sealed partial record AuditCase(
    string Mrn,
    DateOnly DiagnosisDate,
    PathologyReported DiagnosisReport,
    Assertion Assertion,
    Stage? Stage,
    bool Advanced,
    Sex? Sex,
    SmokingStatus? Smoking,
    int? AgeAtDiagnosis,
    IReadOnlyList<HighPriorFeature> HighPrior,
    AlkTest? FirstAlkTest,
    IhcResulted? AlkIhc,
    MolecularResulted? Molecular,
    MolecularResulted? Fusion,
    int? DaysToConfirmation,
    IReadOnlyList<AlertHistory> Alerts)
{
    public int? DaysToFirstAlkTest => FirstAlkTest is { } test ? test.Date.DayNumber - DiagnosisDate.DayNumber : null;

    public bool AlkIhcPositive => AlkIhc?.Result == IhcResult.Positive;

    public bool AlkIhcEquivocal => AlkIhc?.Result == IhcResult.Equivocal;

    /// <summary>A signed-out molecular ALK fusion or rearrangement (what "ALK-positive" means in the audit).</summary>
    public bool AlkFusion => Fusion is not null;

    public string? Partner => Fusion is null ? null : AlkFusionActionableRule.PartnerOf(Fusion.Alteration);

    public string? Variant => Partner == "EML4" ? EmlAlkVariantOf(Fusion?.Alteration) : null;

    /// <summary>
    /// Derives the case from the patient's facts as of the end of the audit. ALK tests count from
    /// <c>LookbackDays</c> before diagnosis, as for <c>ALK_TEST_MISSING</c>; the IHC reported is the first
    /// positive or equivocal one (else the first with a reading); confirmation is the first definite molecular
    /// ALK result dated on or after that IHC.
    /// </summary>
    public static AuditCase From(PatientFacts facts, IReadOnlyList<AlertHistory> alerts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var diagnosis = facts.Diagnosis ?? throw new ArgumentException("the patient has no LCNEC diagnosis", nameof(facts));
        var since = diagnosis.Date.AddDays(-facts.Options.LookbackDays);
        var firstTest = facts.AlkTests.Where(t => t.Date >= since).OrderBy(t => t.Date).FirstOrDefault();
        var readIhc = facts.Timeline.AlkIhc.Where(i => i.Result != IhcResult.NotEvaluable).ToList();
        var ihc = readIhc.FirstOrDefault(i => i.Result is IhcResult.Positive or IhcResult.Equivocal) ?? readIhc.FirstOrDefault();
        var definite = facts.DefiniteAlkMolecular.OrderBy(m => m.ResultDate).ToList();
        var confirmation = ihc is { Result: IhcResult.Positive or IhcResult.Equivocal }
            ? definite.FirstOrDefault(m => m.ResultDate >= ihc.ResultDate)
            : null;
        var fusions = facts.Timeline.AlkMolecular.Where(AlkFusionActionableRule.IsFusion).OrderBy(m => m.ResultDate).ToList();
        var fusion = fusions.FirstOrDefault(m => AlkFusionActionableRule.PartnerOf(m.Alteration) is not null) ?? fusions.FirstOrDefault();
        var demographics = facts.Timeline.Demographics;
        return new AuditCase(
            facts.Timeline.Mrn,
            diagnosis.Date,
            diagnosis.Report,
            diagnosis.Finding.Assertion,
            facts.Stage,
            facts.IsAdvanced,
            demographics.Sex,
            demographics.Smoking,
            facts.AgeAtDiagnosis,
            facts.HighPrior,
            firstTest,
            ihc,
            confirmation ?? fusion ?? definite.FirstOrDefault(),
            fusion,
            confirmation is null ? null : confirmation.ResultDate.DayNumber - ihc!.ResultDate.DayNumber,
            alerts);
    }

    [GeneratedRegex(@"\bE(?<eml4>\d{1,2}[ab]?)\s*[:;]\s*(?:ins(?<ins>\d+))?\s*(?:del(?<del>\d+))?\s*A(?<alk>\d{1,2})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExonJunction();

    [GeneratedRegex(@"\b(?:v|variant\s*)(?<name>[1-8][ab]?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VariantName();

    /// <summary>
    /// The EML4–ALK variant an alteration text names: by its exon junction (<c>EML4-ALK fusion (E13:A20)</c> → v1,
    /// named by <see cref="EmlAlkVariant.FromExons"/>; an unnamed junction keeps its notation) or by name
    /// (<c>variant 3</c> → v3). Null when the text says neither.
    /// </summary>
    public static string? EmlAlkVariantOf(string? alteration)
    {
        if (string.IsNullOrWhiteSpace(alteration))
        {
            return null;
        }
        if (ExonJunction().Match(alteration) is { Success: true } junction)
        {
            var variant = EmlAlkVariant.FromExons(
                junction.Groups["eml4"].Value,
                int.Parse(junction.Groups["alk"].Value, System.Globalization.CultureInfo.InvariantCulture),
                inserted: junction.Groups["ins"].Success ? int.Parse(junction.Groups["ins"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0,
                alkDeleted: junction.Groups["del"].Success ? int.Parse(junction.Groups["del"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0);
            return variant.Name ?? variant.Notation;
        }
        return VariantName().Match(alteration) is { Success: true } name ? "v" + name.Groups["name"].Value.ToLowerInvariant() : null;
    }
}
