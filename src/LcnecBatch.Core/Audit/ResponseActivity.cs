using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;

namespace LcnecBatch.Core.Audit;

/// <summary>
/// One rule's alerts raised in the window and how the care team answered them: answered, never answered (no
/// response by the window's end), days from the first raise to the first response, and the alerts closed by an answer
/// and escalated after the last reminder (neither is a reminder).
/// </summary>
/// <summary>One response: the rule of the alert it answers and days from that alert's first raise (null when no alert of the patient has its id).</summary>
public sealed record ResponseRow(AlertResponded Response, string? RuleId, int? DaysFromAlert);

public sealed record RuleResponses(string RuleId, int Alerts, int Answered, int NeverAnswered, DayDistribution DaysToFirstResponse, int Closed, int Escalated);

/// <summary>
/// The care-team responses of an audit (issue 17; cli.md, "audit"): responses recorded in the window by kind and reason
/// (<c>notCandidate:hospice</c>, <c>disagree:notLcnec</c>), time from an alert's raise to its first response, alerts
/// never answered, and the outside tests recorded (<c>{method} {result}</c>). A response counts once (its
/// <see cref="AlertResponded.ResponseId"/>, the earliest recorded); one dated before the alert was raised, or naming
/// an alert no rule raised for that patient, is counted by kind but answers nothing.
/// </summary>
public sealed record ResponseActivity(
    int Responses,
    IReadOnlyList<KeyValuePair<string, int>> ByKind,
    int AlertsRaised,
    int AlertsAnswered,
    int AlertsNeverAnswered,
    DayDistribution DaysToFirstResponse,
    IReadOnlyList<RuleResponses> Rules,
    IReadOnlyList<KeyValuePair<string, int>> OutsideTests)
{
    /// <summary>The responses recorded in the window (a row each of <c>responses.csv</c>), by day recorded then id.</summary>
    public IReadOnlyList<ResponseRow> Rows { get; init; } = [];

    public static readonly ResponseActivity Empty = new(0, [], 0, 0, 0, DayDistribution.Empty, [], []);

    /// <summary>The words of a kind and its reason as the response files spell them: <c>declined</c>, <c>notCandidate:hospice</c>.</summary>
    public static string KindOf(AlertResponded response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var kind = ResponseLines.CamelCase(response.Kind.ToString());
        var reason = response.Kind switch
        {
            ResponseKind.NotCandidate => response.Reason?.ToString(),
            ResponseKind.Disagree => response.Disagreement?.ToString(),
            _ => null,
        };
        return reason is null ? kind : $"{kind}:{ResponseLines.CamelCase(reason)}";
    }

    /// <param name="alerts">Every alert of the replay by id, with its openings (raise dates).</param>
    /// <param name="closed">Rule id → alerts closed by a response inside the window.</param>
    /// <param name="escalated">Rule id → escalations inside the window.</param>
    /// <param name="ruleIds">The rules to list, in order (every rule of the audit, zero included).</param>
    public static ResponseActivity Compute(
        DateOnly from, DateOnly to, IEnumerable<AlertResponded> responses, IReadOnlyDictionary<string, AlertHistory> alerts,
        IReadOnlyDictionary<string, int> closed, IReadOnlyDictionary<string, int> escalated, IEnumerable<string> ruleIds)
    {
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(closed);
        ArgumentNullException.ThrowIfNull(escalated);
        ArgumentNullException.ThrowIfNull(ruleIds);
        var known = new Dictionary<string, AlertResponded>(StringComparer.Ordinal);
        foreach (var r in responses.Where(r => r.KnownOn <= to).OrderBy(r => r.KnownOn).ThenBy(r => r.ResponseId, StringComparer.Ordinal))
        {
            known.TryAdd(r.ResponseId, r);
        }
        var inWindow = known.Values.Where(r => r.KnownOn >= from).ToList();
        var firstByAlert = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        foreach (var r in known.Values)
        {
            if (alerts.TryGetValue(r.AlertId, out var alert) && alert.Mrn == r.Mrn && alert.Openings.Count > 0 && r.RespondedOn >= alert.Openings[0].RaisedOn
                && (!firstByAlert.TryGetValue(r.AlertId, out var first) || r.RespondedOn < first))
            {
                firstByAlert[r.AlertId] = r.RespondedOn;
            }
        }
        var raised = alerts.Where(a => a.Value.Openings.Count > 0 && a.Value.Openings[0].RaisedOn >= from && a.Value.Openings[0].RaisedOn <= to)
            .Select(a => (Id: a.Key, a.Value.RuleId, RaisedOn: a.Value.Openings[0].RaisedOn)).ToList();
        var days = raised.Where(a => firstByAlert.ContainsKey(a.Id)).Select(a => (a.RuleId, Days: firstByAlert[a.Id].DayNumber - a.RaisedOn.DayNumber)).ToList();
        var rules = ruleIds.Select(id =>
        {
            var these = raised.Where(a => a.RuleId == id).ToList();
            var answered = these.Count(a => firstByAlert.ContainsKey(a.Id));
            return new RuleResponses(id, these.Count, answered, these.Count - answered, DayDistribution.Of(days.Where(d => d.RuleId == id).Select(d => d.Days)),
                closed.GetValueOrDefault(id), escalated.GetValueOrDefault(id));
        }).ToList();
        var outside = inWindow.Where(r => r is { Kind: ResponseKind.TestedElsewhere, OutsideTest: not null })
            .Select(r => $"{ResponseLines.CamelCase(r.OutsideTest!.Method.ToString())} {ResponseLines.CamelCase(r.OutsideTest.Result.ToString())}");
        return new ResponseActivity(
            inWindow.Count,
            Tally(inWindow.Select(KindOf)),
            raised.Count,
            days.Count,
            raised.Count - days.Count,
            DayDistribution.Of(days.Select(d => d.Days)),
            rules,
            Tally(outside))
        {
            Rows = [.. inWindow.Select(r => alerts.TryGetValue(r.AlertId, out var a) && a.Mrn == r.Mrn && a.Openings.Count > 0
                ? new ResponseRow(r, a.RuleId, r.RespondedOn.DayNumber - a.Openings[0].RaisedOn.DayNumber)
                : new ResponseRow(r, null, null))],
        };
    }

    /// <summary>By name, ordinal: the same input gives the same order.</summary>
    private static List<KeyValuePair<string, int>> Tally(IEnumerable<string> names) =>
        [.. names.GroupBy(n => n, StringComparer.Ordinal).Select(g => KeyValuePair.Create(g.Key, g.Count())).OrderBy(p => p.Key, StringComparer.Ordinal)];
}
