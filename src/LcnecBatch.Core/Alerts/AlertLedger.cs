using LcnecBatch.Core.Events;
using LcnecBatch.Core.Screening;

namespace LcnecBatch.Core.Alerts;

public enum AlertEventKind { Raised, Reminder, Resolved, Reopened, Closed, Escalated }

/// <summary>Why the care team closed an alert (alerts.md <c>closedReason</c>).</summary>
public enum AlertClosedReason { Declined, Hospice, Deceased, ComfortCare, Other, WrongPatient, NotLcnec }

/// <summary>
/// How often the ledger reminds (screening.md options): every <see cref="ReminderDays"/>, every
/// <see cref="AcknowledgedReminderDays"/> once acknowledged, at most <see cref="MaxReminders"/> a cycle and then one
/// escalation.
/// </summary>
public sealed record AlertCadence(int ReminderDays, int AcknowledgedReminderDays = 90, int MaxReminders = 3);

/// <summary>
/// Something to tell the care team about an alert. <see cref="Cycle"/> is how many times the alert had been reopened
/// when it happened (0 from the first raise to the first resolution); <see cref="Number"/> is a reminder's number
/// within its cycle. The message id follows alerts.md and is never reused by another event of the alert: the alert
/// id for the raise, <c>:r{n}</c> for the n-th reminder, <c>:escalated</c> for the escalation, <c>:resolved</c> for the
/// resolution and <c>:closed</c> for a closing by the care team; from the first reopen on, the same under
/// <c>{alertId}:reopened{c}</c>.
/// </summary>
public sealed record AlertEvent(AlertEventKind Kind, Alert Alert, DateOnly On, int Number = 0, int Cycle = 0)
{
    /// <summary>Service Bus refuses a longer MessageId; the longest this scheme makes is 63 (32 + ":reopened" + 10 + ":r" + 10).</summary>
    public const int MaxMessageIdLength = 128;

    public string MessageId
    {
        get
        {
            var cycle = Cycle == 0 ? Alert.AlertId : $"{Alert.AlertId}:reopened{Cycle}";
            return Kind switch
            {
                AlertEventKind.Reminder => $"{cycle}:r{Number}",
                AlertEventKind.Resolved => $"{cycle}:resolved",
                AlertEventKind.Closed => $"{cycle}:closed",
                AlertEventKind.Escalated => $"{cycle}:escalated",
                _ => cycle,
            };
        }
    }

    /// <summary>The body field and application property <c>event</c> of alerts.md.</summary>
    public string Name => Wire(Kind);

    public static string Wire(AlertEventKind kind) => kind switch
    {
        AlertEventKind.Raised => "raised",
        AlertEventKind.Reminder => "reminder",
        AlertEventKind.Resolved => "resolved",
        AlertEventKind.Closed => "closed",
        AlertEventKind.Escalated => "escalated",
        _ => "reopened",
    };

    /// <summary>
    /// The order events are sent in: the day they happened, then the alerts' stable order, then each event's place in
    /// its alert's life (cycle; raise or reopen, reminders by number, escalation, resolution or closing). An earlier event of an alert never
    /// comes after a later one, whichever batch's screening found them.
    /// </summary>
    public static IComparer<AlertEvent> SendOrder { get; } = Comparer<AlertEvent>.Create((a, b) =>
    {
        var c = a.On.CompareTo(b.On);
        if (c == 0)
        {
            c = Alert.StableOrder.Compare(a.Alert, b.Alert);
        }
        if (c == 0)
        {
            c = string.CompareOrdinal(a.Alert.AlertId, b.Alert.AlertId);
        }
        if (c == 0)
        {
            c = a.Cycle.CompareTo(b.Cycle);
        }
        if (c == 0)
        {
            c = Place(a.Kind).CompareTo(Place(b.Kind));
        }
        return c != 0 ? c : a.Number.CompareTo(b.Number);
    });

    private static int Place(AlertEventKind kind) => kind switch
    {
        AlertEventKind.Raised or AlertEventKind.Reopened => 0,
        AlertEventKind.Reminder => 1,
        AlertEventKind.Escalated => 2,
        _ => 3,
    };
}

/// <summary>
/// What the ledger remembers of one alert identity. The members after the constructor's came with issue 17; a record
/// stored before them has none (null, empty) and reads as an alert never responded to, reminded on the plain cadence.
/// </summary>
public sealed record AlertRecord(Alert Last, DateOnly RaisedOn, DateOnly? ResolvedOn, int RemindersSent, int Reopened)
{
    /// <summary>The day the care team closed the alert (declined, not a candidate, disagree); <see cref="Last"/> is then the alert as it was closed.</summary>
    public DateOnly? ClosedOn { get; init; }

    public AlertClosedReason? ClosedReason { get; init; }

    /// <summary>The day of the cycle's acknowledgement: reminders come every <see cref="AlertCadence.AcknowledgedReminderDays"/> from it.</summary>
    public DateOnly? AcknowledgedOn { get; init; }

    /// <summary>The cycle's snooze: no reminder before this day plus the cadence.</summary>
    public DateOnly? SnoozedUntil { get; init; }

    /// <summary>The day the next reminder is due; null in a record stored before it was kept (then the plain cadence from the raise).</summary>
    public DateOnly? NextReminderOn { get; init; }

    /// <summary>The day the cycle's reminders ran out and the alert was escalated: silent from then until a new cycle.</summary>
    public DateOnly? EscalatedOn { get; init; }

    /// <summary>The ids of the responses applied to this alert, so a response handed over again is never applied twice.</summary>
    /// <remarks>Never null: a record stored before it was kept has none (the deserializer leaves a missing member unset).</remarks>
    public IReadOnlyList<string> Responses { get => _responses ?? []; init => _responses = value; }

    private readonly IReadOnlyList<string>? _responses;

    public bool IsOpen => ResolvedOn is null && ClosedOn is null;
}

/// <summary>
/// The alert lifecycle: open → resolved when the finding stops holding, or closed by a care-team response; reminders
/// for open high-severity alerts every <c>ReminderDays</c> (acknowledged: <c>AcknowledgedReminderDays</c>; snoozed:
/// none until the snooze ends), at most <c>MaxReminders</c> a cycle, then one escalation and silence. Advanced one as-of
/// date at a time; pure, so the Functions app can keep it in Table Storage and the command line in memory, and
/// replays give the same events.
/// </summary>
public sealed class AlertLedger
{
    private readonly SortedDictionary<string, AlertRecord> _records = new(StringComparer.Ordinal);

    // The alert ids of each patient, so a day touches only the records of the patients screened that day.
    private readonly Dictionary<string, SortedSet<string>> _byPatient = new(StringComparer.Ordinal);

    public IReadOnlyCollection<AlertRecord> Records => _records.Values;

    public DateOnly? LastAsOf { get; private set; }

    /// <summary>Responses that changed an alert (acknowledged, snoozed, closed) since this ledger was created.</summary>
    public int ResponsesApplied { get; private set; }

    /// <summary>
    /// Responses that named an alert the ledger does not know, one already resolved or closed, an alert of another
    /// patient, or a snooze without a date: no effect, counted here. Tested elsewhere is neither: it acts through the
    /// screener (the ALK test it adds resolves the finding).
    /// </summary>
    public int ResponsesIgnored { get; private set; }

    public void Restore(AlertRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Put(record);
    }

    private void Put(AlertRecord record)
    {
        var id = record.Last.AlertId;
        _records[id] = record;
        var mrn = record.Last.Patient.Mrn;
        if (!_byPatient.TryGetValue(mrn, out var ids))
        {
            _byPatient[mrn] = ids = new SortedSet<string>(StringComparer.Ordinal);
        }
        ids.Add(id);
    }

    private IEnumerable<AlertRecord> RecordsOf(string mrn) =>
        _byPatient.TryGetValue(mrn, out var ids) ? ids.Select(id => _records[id]) : [];

    /// <summary>Whether the patient has an alert open (not resolved, not closed).</summary>
    public bool HasOpen(string mrn) => RecordsOf(mrn).Any(r => r.IsOpen);

    /// <summary>
    /// The first day after <paramref name="asOf"/> on which the ledger would remind or escalate one of the patient's
    /// open alerts with nothing new screened (the cadence, acknowledged cadence and snooze end are in its next reminder
    /// date); null when none of them is due to (not high severity, escalated already, or none open).
    /// </summary>
    public DateOnly? NextBoundary(string mrn, DateOnly asOf, AlertCadence cadence)
    {
        ArgumentNullException.ThrowIfNull(cadence);
        DateOnly? next = null;
        foreach (var record in RecordsOf(mrn))
        {
            if (!record.IsOpen || record.Last.Finding.Severity != Severity.High || record.EscalatedOn is not null)
            {
                continue;
            }
            var due = record.NextReminderOn ?? record.RaisedOn.AddDays((record.RemindersSent + 1) * cadence.ReminderDays);
            due = due > asOf ? due : asOf.AddDays(1);
            next = next is null || due < next ? due : next;
        }
        return next;
    }

    /// <summary>Advances without responses, with the default acknowledgement cadence and reminder cap.</summary>
    public IReadOnlyList<AlertEvent> Advance(DateOnly asOf, IReadOnlyList<Alert> open, IReadOnlySet<string> screenedPatients, int reminderDays) =>
        Advance(asOf, open, screenedPatients, [], new AlertCadence(reminderDays));

    /// <summary>
    /// Brings the ledger to <paramref name="asOf"/>: first the <paramref name="responses"/> known by then (each applied
    /// once, in the order given), then the open alerts of the patients that were screened; alerts of patients not in
    /// <paramref name="screenedPatients"/> are left as they were.
    /// </summary>
    public IReadOnlyList<AlertEvent> Advance(DateOnly asOf, IReadOnlyList<Alert> open, IReadOnlySet<string> screenedPatients, IReadOnlyList<AlertResponded> responses, AlertCadence cadence)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(screenedPatients);
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentNullException.ThrowIfNull(cadence);
        if (LastAsOf is { } last && asOf < last)
        {
            throw new InvalidOperationException($"the alert ledger is at {last:yyyy-MM-dd}; it cannot go back to {asOf:yyyy-MM-dd}");
        }
        LastAsOf = asOf;
        var events = new List<AlertEvent>();
        foreach (var response in responses)
        {
            Apply(response, asOf, cadence, events);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var alert in open)
        {
            seen.Add(alert.AlertId);
            if (!_records.TryGetValue(alert.AlertId, out var record))
            {
                Put(new AlertRecord(alert, asOf, null, 0, 0) { NextReminderOn = asOf.AddDays(cadence.ReminderDays) });
                events.Add(new AlertEvent(AlertEventKind.Raised, alert, asOf));
                continue;
            }
            if (record.ClosedOn is not null && !HasNewEvidence(record, alert))
            {
                continue;
            }
            if (!record.IsOpen)
            {
                var reopened = new AlertRecord(alert, asOf, null, 0, record.Reopened + 1)
                {
                    NextReminderOn = asOf.AddDays(cadence.ReminderDays),
                    Responses = record.Responses,
                };
                _records[alert.AlertId] = reopened;
                events.Add(new AlertEvent(AlertEventKind.Reopened, alert, asOf, Cycle: reopened.Reopened));
                continue;
            }
            _records[alert.AlertId] = Remind(record with { Last = alert }, asOf, cadence, events);
        }
        // Only the screened patients' records can resolve: walked in id order, as the whole ledger was.
        var screenedIds = new List<string>();
        foreach (var mrn in screenedPatients)
        {
            if (_byPatient.TryGetValue(mrn, out var ids))
            {
                screenedIds.AddRange(ids);
            }
        }
        screenedIds.Sort(StringComparer.Ordinal);
        foreach (var id in screenedIds)
        {
            var record = _records[id];
            if (record.IsOpen && !seen.Contains(id) && screenedPatients.Contains(record.Last.Patient.Mrn))
            {
                var resolved = record.Last with { Status = AlertStatus.Resolved, AsOf = asOf, ResolvedOn = asOf };
                _records[id] = record with { Last = resolved, ResolvedOn = asOf };
                events.Add(new AlertEvent(AlertEventKind.Resolved, resolved, asOf, Cycle: record.Reopened));
            }
        }
        return events;
    }

    /// <summary>
    /// A reminder when one is due (one even when several periods passed unseen; numbered in sequence within the
    /// cycle), or, once the cycle's <see cref="AlertCadence.MaxReminders"/> were sent, the escalation instead; nothing
    /// after it.
    /// </summary>
    private static AlertRecord Remind(AlertRecord record, DateOnly asOf, AlertCadence cadence, List<AlertEvent> events)
    {
        var alert = record.Last;
        var next = record.NextReminderOn ?? record.RaisedOn.AddDays((record.RemindersSent + 1) * cadence.ReminderDays);
        if (alert.Finding.Severity != Severity.High || record.EscalatedOn is not null || asOf < next)
        {
            return record;
        }
        if (record.RemindersSent >= cadence.MaxReminders)
        {
            events.Add(new AlertEvent(AlertEventKind.Escalated, alert, asOf, Cycle: record.Reopened));
            return record with { EscalatedOn = asOf };
        }
        var period = Period(record, cadence);
        while (next <= asOf)
        {
            next = next.AddDays(period);
        }
        var number = record.RemindersSent + 1;
        events.Add(new AlertEvent(AlertEventKind.Reminder, alert, asOf, number, record.Reopened));
        return record with { RemindersSent = number, NextReminderOn = next };
    }

    private static int Period(AlertRecord record, AlertCadence cadence) =>
        record.AcknowledgedOn is null ? cadence.ReminderDays : cadence.AcknowledgedReminderDays;

    private void Apply(AlertResponded response, DateOnly asOf, AlertCadence cadence, List<AlertEvent> events)
    {
        if (!_records.TryGetValue(response.AlertId, out var record))
        {
            ResponsesIgnored++;
            return;
        }
        if (record.Responses.Contains(response.ResponseId, StringComparer.Ordinal))
        {
            return;
        }
        record = record with { Responses = [.. record.Responses, response.ResponseId] };
        _records[response.AlertId] = record;
        if (response.Kind == ResponseKind.TestedElsewhere)
        {
            return;
        }
        if (!record.IsOpen || !string.Equals(record.Last.Patient.Mrn, response.Mrn, StringComparison.Ordinal)
            || (response.Kind == ResponseKind.Snoozed && response.Until is null))
        {
            ResponsesIgnored++;
            return;
        }
        ResponsesApplied++;
        switch (response.Kind)
        {
            case ResponseKind.Acknowledged:
                // Counted from the acknowledgement, or from the end of a snooze still running then.
                var from = record.SnoozedUntil is { } until && until > response.RespondedOn ? until : response.RespondedOn;
                _records[response.AlertId] = record with { AcknowledgedOn = response.RespondedOn, NextReminderOn = from.AddDays(cadence.AcknowledgedReminderDays) };
                break;
            case ResponseKind.Snoozed:
                var snoozed = response.Until!.Value;
                _records[response.AlertId] = record with { SnoozedUntil = snoozed, NextReminderOn = snoozed.AddDays(Period(record, cadence)) };
                break;
            case ResponseKind.Disagree when response.Disagreement == Disagreement.NotLcnec:
                // Every rule of screening.md asks for affirmed LCNEC: if it is not LCNEC, none of the patient's alerts holds.
                foreach (var other in RecordsOf(response.Mrn).Where(r => r.IsOpen && string.Equals(r.Last.Patient.Mrn, response.Mrn, StringComparison.Ordinal)).ToList())
                {
                    Close(other, AlertClosedReason.NotLcnec, asOf, events);
                }
                break;
            default:
                Close(record, ReasonOf(response), asOf, events);
                break;
        }
    }

    private static AlertClosedReason ReasonOf(AlertResponded response) => response.Kind switch
    {
        ResponseKind.Declined => AlertClosedReason.Declined,
        ResponseKind.NotCandidate => response.Reason switch
        {
            NotCandidateReason.Hospice => AlertClosedReason.Hospice,
            NotCandidateReason.Deceased => AlertClosedReason.Deceased,
            NotCandidateReason.ComfortCare => AlertClosedReason.ComfortCare,
            _ => AlertClosedReason.Other,
        },
        _ => response.Disagreement switch
        {
            Disagreement.WrongPatient => AlertClosedReason.WrongPatient,
            Disagreement.NotLcnec => AlertClosedReason.NotLcnec,
            _ => AlertClosedReason.Other,
        },
    };

    private void Close(AlertRecord record, AlertClosedReason reason, DateOnly asOf, List<AlertEvent> events)
    {
        var closed = record.Last with { Status = AlertStatus.Closed, AsOf = asOf, ClosedOn = asOf, ClosedReason = reason };
        _records[closed.AlertId] = record with { Last = closed, ClosedOn = asOf, ClosedReason = reason };
        events.Add(new AlertEvent(AlertEventKind.Closed, closed, asOf, Cycle: record.Reopened));
    }

    /// <summary>
    /// Whether a closed alert's finding now rests on evidence it did not have when it was closed (alerts.md, "Care-team
    /// responses"): an evidence row of an accession none of the closed finding's rows had, or one dated after the day
    /// it was closed. The same facts screened again never reopen it.
    /// </summary>
    private static bool HasNewEvidence(AlertRecord record, Alert alert)
    {
        var closedOn = record.ClosedOn!.Value;
        var accessions = record.Last.Finding.Evidence.Select(e => e.Accession).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return alert.Finding.Evidence.Any(e => (e.Accession is { } accession && !accessions.Contains(accession)) || (e.Date is { } date && date > closedOn));
    }

    /// <summary>Open alerts as of the ledger's date (and resolved and closed ones too when asked), in the stable order.</summary>
    public IReadOnlyList<Alert> Alerts(DateOnly asOf, bool includeResolved)
    {
        var alerts = _records.Values
            .Where(r => r.IsOpen || includeResolved)
            .Select(r => r.Last with { AsOf = asOf })
            .ToList();
        alerts.Sort(Alert.StableOrder);
        return alerts;
    }
}
