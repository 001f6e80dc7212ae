using System.Globalization;
using LcnecBatch.Core.Alerts;

namespace LcnecBatch.Core.Synthetic;

/// <summary>
/// How many of truth's care-team responses had the effect truth gives them in a run's alert events, and, for each
/// that did not, the response id and what was missing (no MRN, no text: ids and rule words only).
/// </summary>
public sealed record ResponseScore(int Expected, int Met, IReadOnlyList<string> Misses)
{
    /// <param name="acknowledgedReminderDays">The acknowledged cadence the run used (screening.md default 90).</param>
    public static ResponseScore Of(TruthFile truth, IReadOnlyList<AlertEvent> events, int acknowledgedReminderDays = 90)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(events);
        var byAlert = events.ToLookup(e => e.Alert.AlertId, StringComparer.Ordinal);
        var misses = new List<string>();
        foreach (var r in truth.Responses)
        {
            var mine = byAlert[r.AlertId].ToList();
            var miss = Check(r, mine, events, acknowledgedReminderDays);
            if (miss is not null)
            {
                misses.Add($"{r.ResponseId} ({r.Kind} on {r.RuleId}, {r.RespondedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}): {miss}");
            }
        }
        return new ResponseScore(truth.Responses.Count, truth.Responses.Count - misses.Count, misses);
    }

    private static string? Check(TruthResponse r, List<AlertEvent> mine, IReadOnlyList<AlertEvent> all, int acknowledgedDays)
    {
        if (!mine.Any(e => e.Kind == AlertEventKind.Raised))
        {
            return "the alert it answers was never raised";
        }
        var remindersAfter = mine.Where(e => e.Kind == AlertEventKind.Reminder && e.On > r.RespondedOn).ToList();
        switch (r.Effect)
        {
            case TruthResponse.SlowsReminders:
                return remindersAfter.Any(e => e.On < r.RespondedOn.AddDays(acknowledgedDays)) ? "reminded within the acknowledged cadence" : null;
            case TruthResponse.NoRemindersUntil:
                return remindersAfter.Any(e => e.On <= r.Until) ? "reminded while snoozed" : null;
            case TruthResponse.Closes or TruthResponse.ClosesAsNotLcnec:
                var closed = mine.FirstOrDefault(e => e.Kind == AlertEventKind.Closed);
                if (closed is null || closed.On != r.RespondedOn || closed.Alert.ClosedReason is not { } reason || !string.Equals(AlertJson.Wire(reason), r.ClosedReason, StringComparison.Ordinal))
                {
                    return $"not closed as {r.ClosedReason} on the day recorded";
                }
                if (remindersAfter.Count > 0 || mine.Any(e => e.Kind == AlertEventKind.Escalated && e.On > r.RespondedOn))
                {
                    return "reminded after it closed";
                }
                if (r.Effect == TruthResponse.ClosesAsNotLcnec
                    && all.Any(e => e.Alert.Patient.Mrn == r.Mrn && e.Kind is AlertEventKind.Reminder or AlertEventKind.Escalated && e.On > r.RespondedOn))
                {
                    return "another alert of the patient reminded after not LCNEC";
                }
                return null;
            case TruthResponse.CountsAsTest:
                if (!mine.Any(e => e.Kind == AlertEventKind.Resolved && e.On == r.ResolvesOn))
                {
                    return "the outside test did not resolve it on the day recorded";
                }
                if (r.ActionableSubject is { } subject
                    && !all.Any(e => e.Kind == AlertEventKind.Raised && e.Alert.RuleId == "ALK_FUSION_ACTIONABLE" && e.Alert.Patient.Mrn == r.Mrn
                        && e.Alert.Subject == subject && e.On == r.RespondedOn && e.Alert.Finding.Evidence.Any(v => v.Accession == subject)))
                {
                    return "the positive outside result raised no actionable fusion citing the outside lab";
                }
                return null;
            default:
                return $"unknown effect {r.Effect}";
        }
    }
}
