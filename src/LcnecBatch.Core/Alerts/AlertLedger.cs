using LcnecBatch.Core.Screening;

namespace LcnecBatch.Core.Alerts;

public enum AlertEventKind { Raised, Reminder, Resolved, Reopened }

/// <summary>
/// Something to tell the care team about an alert. <see cref="Cycle"/> is how many times the alert had been reopened
/// when it happened (0 from the first raise to the first resolution); <see cref="Number"/> is a reminder's number
/// within its cycle. The message id follows alerts.md and is never reused by another event of the alert: the alert
/// id for the raise, <c>:r{n}</c> for the n-th reminder and <c>:resolved</c> for the resolution; from the first reopen
/// on, the same under <c>{alertId}:reopened{c}</c>.
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
        _ => "reopened",
    };

    /// <summary>
    /// The order events are sent in: the day they happened, then the alerts' stable order, then each event's place in
    /// its alert's life (cycle; raise or reopen, reminders by number, resolution). An earlier event of an alert never
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
        _ => 2,
    };
}

/// <summary>What the ledger remembers of one alert identity.</summary>
public sealed record AlertRecord(Alert Last, DateOnly RaisedOn, DateOnly? ResolvedOn, int RemindersSent, int Reopened)
{
    public bool IsOpen => ResolvedOn is null;
}

/// <summary>
/// The alert lifecycle: open → resolved when the finding stops holding; reminders for open high-severity
/// alerts every <c>ReminderDays</c>. Advanced one as-of date at a time; pure, so the Functions app can keep
/// it in Table Storage and the command line in memory, and replays give the same events.
/// </summary>
public sealed class AlertLedger
{
    private readonly SortedDictionary<string, AlertRecord> _records = new(StringComparer.Ordinal);

    public IReadOnlyCollection<AlertRecord> Records => _records.Values;

    public DateOnly? LastAsOf { get; private set; }

    public void Restore(AlertRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _records[record.Last.AlertId] = record;
    }

    /// <summary>
    /// Brings the ledger to <paramref name="asOf"/> given the open alerts of the patients that were screened;
    /// alerts of patients not in <paramref name="screenedPatients"/> are left as they were.
    /// </summary>
    public IReadOnlyList<AlertEvent> Advance(DateOnly asOf, IReadOnlyList<Alert> open, IReadOnlySet<string> screenedPatients, int reminderDays)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(screenedPatients);
        if (LastAsOf is { } last && asOf < last)
        {
            throw new InvalidOperationException($"the alert ledger is at {last:yyyy-MM-dd}; it cannot go back to {asOf:yyyy-MM-dd}");
        }
        LastAsOf = asOf;
        var events = new List<AlertEvent>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var alert in open)
        {
            seen.Add(alert.AlertId);
            if (!_records.TryGetValue(alert.AlertId, out var record))
            {
                _records[alert.AlertId] = new AlertRecord(alert, asOf, null, 0, 0);
                events.Add(new AlertEvent(AlertEventKind.Raised, alert, asOf));
                continue;
            }
            if (!record.IsOpen)
            {
                var reopened = record with { Last = alert, RaisedOn = asOf, ResolvedOn = null, RemindersSent = 0, Reopened = record.Reopened + 1 };
                _records[alert.AlertId] = reopened;
                events.Add(new AlertEvent(AlertEventKind.Reopened, alert, asOf, Cycle: reopened.Reopened));
                continue;
            }
            var due = alert.Finding.Severity == Severity.High ? (asOf.DayNumber - record.RaisedOn.DayNumber) / reminderDays : 0;
            if (due > record.RemindersSent)
            {
                // One reminder even when several periods passed unseen: the latest number says how long.
                _records[alert.AlertId] = record with { Last = alert, RemindersSent = due };
                events.Add(new AlertEvent(AlertEventKind.Reminder, alert, asOf, due, record.Reopened));
            }
            else
            {
                _records[alert.AlertId] = record with { Last = alert };
            }
        }
        foreach (var (id, record) in _records.ToList())
        {
            if (record.IsOpen && !seen.Contains(id) && screenedPatients.Contains(record.Last.Patient.Mrn))
            {
                var resolved = record.Last with { Status = AlertStatus.Resolved, AsOf = asOf, ResolvedOn = asOf };
                _records[id] = record with { Last = resolved, ResolvedOn = asOf };
                events.Add(new AlertEvent(AlertEventKind.Resolved, resolved, asOf, Cycle: record.Reopened));
            }
        }
        return events;
    }

    /// <summary>Open alerts as of the ledger's date (and resolved ones too when asked), in the stable order.</summary>
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
