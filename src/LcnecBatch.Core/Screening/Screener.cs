using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Timeline;

namespace LcnecBatch.Core.Screening;

/// <summary>Runs every rule over every patient as of a date and turns findings into alerts.</summary>
public sealed class Screener(ScreeningOptions options, IEnumerable<IScreeningRule>? rules = null)
{
    /// <summary>The rules of screening.md in the order the spec lists them.</summary>
    public static IReadOnlyList<IScreeningRule> DefaultRules { get; } =
    [
        new AlkTestMissingRule(),
        new AlkIhcUnconfirmedRule(),
        new AlkMolecularRecommendedRule(),
        new AlkFusionUnreportedRule(),
        new AlkFusionActionableRule(),
        new AlkIhcDiscordantRule(),
        new AlkResistanceMutationRule(),
    ];

    private readonly IReadOnlyList<IScreeningRule> _rules = rules?.ToList() ?? DefaultRules;
    private readonly ScreeningOptions _options = options.Validated();

    public ScreeningOptions Options => _options;

    /// <summary>The open alerts of one patient as of a date.</summary>
    public IEnumerable<Alert> Screen(PatientTimeline timeline) => Screen(new PatientFacts(timeline, _options));

    /// <summary>The open alerts of one patient whose facts are already derived.</summary>
    public IEnumerable<Alert> Screen(PatientFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (!facts.HasLcnec)
        {
            yield break; // alerts only for affirmed pulmonary LCNEC
        }
        foreach (var rule in _rules)
        {
            foreach (var finding in rule.Evaluate(facts))
            {
                yield return ToAlert(facts, finding);
            }
        }
    }

    /// <summary>
    /// The first day after the facts' date on which some rule could answer otherwise with no new fact; null when none
    /// can (or the patient has no affirmed LCNEC, when no rule answers at all).
    /// </summary>
    public DateOnly? NextBoundary(PatientFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (!facts.HasLcnec)
        {
            return null;
        }
        DateOnly? next = null;
        foreach (var rule in _rules)
        {
            next = Boundaries.Earliest(next, rule.NextBoundary(facts));
        }
        return next;
    }

    /// <summary>The open alerts of every patient in the store as of a date, in the stable order.</summary>
    public IReadOnlyList<Alert> Screen(TimelineStore store, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(store);
        var alerts = new List<Alert>();
        foreach (var mrn in store.Patients)
        {
            if (store.Timeline(mrn, asOf) is { } timeline)
            {
                alerts.AddRange(Screen(timeline));
            }
        }
        alerts.Sort(Alert.StableOrder);
        return alerts;
    }

    private static Alert ToAlert(PatientFacts facts, Finding finding)
    {
        var d = facts.Timeline.Demographics;
        return new Alert(
            Alert.IdentityOf(finding.RuleId, facts.Timeline.Mrn, finding.Subject),
            finding,
            AlertStatus.Open,
            facts.AsOf,
            new AlertPatient(facts.Timeline.Mrn, d.Sex, facts.AgeAtDiagnosis, d.Smoking),
            finding.CareTeam ?? d.CareTeam);
    }
}
