using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Timeline;

namespace LcnecBatch.Core.Pipeline;

/// <summary>How a <see cref="ScreeningSession"/> walks the calendar.</summary>
public enum ScreeningWalk
{
    /// <summary>
    /// A patient is screened only on the days that can change its alerts: the days its facts arrive, the next boundary
    /// its rules and its alerts' reminders report, the day before either when it has an alert open (so the alert a
    /// resolution or closing reports is the one of the day before), and the last day walked when it has one open.
    /// Gives the same events and ledger as <see cref="DayByDay"/>.
    /// </summary>
    EventDriven,

    /// <summary>Every patient with LCNEC screened on every day: slow, kept as the oracle of the event-driven walk.</summary>
    DayByDay,
}

/// <summary>
/// Patient state and alert lifecycle carried from day to day, as the nightly job keeps them: events go in
/// as they are read (in any order), and <see cref="AdvanceTo(DateOnly, DateOnly?)"/> walks the calendar, screening the patients whose
/// facts arrived that day and every patient with LCNEC whose alerts can change that day (a window or reminder
/// boundary; with <see cref="ScreeningWalk.DayByDay"/>, every day). A replay as one run and as daily runs give the
/// same events.
/// </summary>
/// <param name="store">Where facts are kept; null for a new in-memory store. A store made by <see cref="TimelineStore.WithDormantSpill"/> lets the walk put dormant patients' facts to rest.</param>
public sealed class ScreeningSession(ScreeningOptions options, ScreeningWalk walk = ScreeningWalk.EventDriven, TimelineStore? store = null)
{
    private readonly Screener _screener = new(options);
    private readonly SortedDictionary<DateOnly, HashSet<string>> _touched = [];
    private readonly HashSet<string> _lcnecPatients = new(StringComparer.Ordinal);

    /// <summary>Care-team responses not yet handed to the ledger, by the day they were recorded.</summary>
    private readonly SortedDictionary<DateOnly, List<AlertResponded>> _responses = [];

    // Event-driven state, kept only for patients with LCNEC (the ones whose alerts can change without a new fact).
    private readonly SortedDictionary<DateOnly, HashSet<string>> _boundaries = [];
    private readonly Dictionary<string, DateOnly> _boundaryOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateOnly> _screenedOn = new(StringComparer.Ordinal);

    /// <summary>What was derived from the facts of each patient with LCNEC when last screened: kept while its facts are.</summary>
    private readonly Dictionary<string, PatientFacts> _factsOf = new(StringComparer.Ordinal);

    /// <summary>Patients to screen on the next day walked, whatever it is (taken up by <see cref="Resume"/>; late facts).</summary>
    private readonly HashSet<string> _next = new(StringComparer.Ordinal);

    public TimelineStore Store { get; } = store ?? new();

    /// <summary>
    /// How long a patient screened without LCNEC stays in memory with no new fact before its facts are put to rest (with a
    /// store that can): a lab's facts for a specimen come over a few weeks, so most patients are read back rarely.
    /// </summary>
    internal const int QuietDays = 60;

    /// <summary>Patients screened without LCNEC, by the day: the ones still quiet <see cref="QuietDays"/> later are put to rest.</summary>
    private readonly Queue<(DateOnly Day, string Mrn)> _resting = new();

    public AlertLedger Ledger { get; } = new();

    public ScreeningOptions Options => _screener.Options;

    public ScreeningWalk Walk { get; } = walk;

    /// <summary>Patient-days screened so far (a patient screened on a day counts once): what the walk costs.</summary>
    public long PatientDaysScreened { get; private set; }

    /// <summary>
    /// The walk's own state: patients it keeps a last-screened day and next boundary for (only patients with LCNEC), and
    /// days of arrived facts not walked yet. Facts themselves are in <see cref="Store"/>.
    /// </summary>
    internal (int Watched, int PendingDays) WalkState => (_screenedOn.Count, _touched.Count);

    /// <summary>The day the session has been advanced to; null before the first advance.</summary>
    public DateOnly? AsOf => Ledger.LastAsOf;

    /// <summary>
    /// The first day after the last advance on which the walk has something to do without a fact added later: a boundary
    /// a rule or an alert reported, facts or responses already added for a later day, or late facts to see on the next
    /// day walked; null when none (or before the first advance). The Functions app saves it with each patient's ledger,
    /// so a night walks only the patients due by then, and advances a patient from one such day to the next.
    /// </summary>
    public DateOnly? NextDue => AsOf is { } asOf && asOf < DateOnly.MaxValue ? NextWorkDay(asOf.AddDays(1), DateOnly.MaxValue, settle: false) : null;

    public void Add(TimelineEvent fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        if (!Store.Add(fact))
        {
            return;
        }
        var patients = new List<string>(1);
        switch (fact)
        {
            case RawNgsFileArrived raw:
                if (Store.OwnerOf(raw.Accession, DateOnly.MaxValue) is { } owner)
                {
                    patients.Add(owner);
                }
                break;
            case AlertResponded response:
                patients.Add(response.Mrn);
                if (!_responses.TryGetValue(response.KnownOn, out var known))
                {
                    _responses[response.KnownOn] = known = [];
                }
                known.Add(response);
                break;
            case IPatientFact patientFact:
                patients.Add(patientFact.Mrn);
                break;
        }
        if (AsOf is { } asOf && fact.KnownOn <= asOf)
        {
            // Known on a day already walked: a patient with LCNEC sees it on the next day walked, as it would walking
            // day by day; another patient, on the next day a fact of theirs arrives.
            _next.UnionWith(patients.Where(_lcnecPatients.Contains));
            return;
        }
        if (!_touched.TryGetValue(fact.KnownOn, out var touched))
        {
            _touched[fact.KnownOn] = touched = new HashSet<string>(StringComparer.Ordinal);
        }
        touched.UnionWith(patients);
    }

    /// <summary>
    /// Takes up a session kept elsewhere (the Functions app keeps each patient's ledger in Table Storage): the
    /// records come back as they were saved, and every patient in the store is screened on the first day walked,
    /// since facts of theirs may have arrived while the session was away (from there on, as usual, patients
    /// with LCNEC on the days their alerts can change and others on the days their facts arrive). Call after adding
    /// the events and before <see cref="AdvanceTo(DateOnly, DateOnly?)"/> with its <c>from</c>: re-walking the last day a ledger reached
    /// changes nothing unless facts did.
    /// </summary>
    public void Resume(IEnumerable<AlertRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            Ledger.Restore(record);
        }
        _lcnecPatients.UnionWith(Store.Patients);
        _next.UnionWith(Store.Patients);
    }

    /// <summary>
    /// Walks from the day after the last advance (or <paramref name="from"/>) to <paramref name="to"/>. Afterwards every
    /// open alert is as screened on <paramref name="to"/>, as a day-by-day walk leaves it.
    /// </summary>
    public IReadOnlyList<AlertEvent> AdvanceTo(DateOnly to, DateOnly? from = null) => AdvanceTo(to, from, settle: true);

    /// <summary>
    /// <see cref="AdvanceTo(DateOnly, DateOnly?)"/>; with <paramref name="settle"/> false, an open alert is left as last
    /// screened when nothing changes it on <paramref name="to"/> (the audit walks batch by batch and needs only events).
    /// </summary>
    internal IReadOnlyList<AlertEvent> AdvanceTo(DateOnly to, DateOnly? from, bool settle)
    {
        var day = AsOf?.AddDays(1) ?? from ?? (_touched.Count > 0 ? _touched.Keys.First() : to);
        var events = new List<AlertEvent>();
        if (Walk == ScreeningWalk.DayByDay)
        {
            for (; day <= to; day = day.AddDays(1))
            {
                events.AddRange(ScreenDay(day, [.. _lcnecPatients, .. _next, .. TakeTouched(day)]));
                _next.Clear();
            }
            return events;
        }
        while (day <= to)
        {
            var next = NextWorkDay(day, to, settle);
            if (next is not { } workDay)
            {
                break;
            }
            var candidates = new HashSet<string>(_next, StringComparer.Ordinal);
            _next.Clear();
            candidates.UnionWith(TakeTouched(workDay));
            if (_boundaries.Remove(workDay, out var due))
            {
                candidates.UnionWith(due);
            }
            if (settle && workDay == to)
            {
                candidates.UnionWith(_screenedOn.Keys.Where(Ledger.HasOpen));
            }
            // A patient with an alert open is screened on the day before too, when the walk skipped it: the alert a
            // resolution or closing reports, and the ledger keeps, is the one screened the day before.
            var before = workDay.AddDays(-1);
            var catchUp = candidates.Where(mrn => _screenedOn.TryGetValue(mrn, out var on) && on < before && Ledger.HasOpen(mrn)).ToHashSet(StringComparer.Ordinal);
            if (catchUp.Count > 0)
            {
                events.AddRange(ScreenDay(before, catchUp, []));
            }
            events.AddRange(ScreenDay(workDay, candidates));
            day = workDay.AddDays(1);
        }
        if (AsOf is not { } reached || reached < to)
        {
            events.AddRange(Ledger.Advance(to, [], new HashSet<string>(StringComparer.Ordinal), TakeResponses(to), _screener.Options.Cadence));
        }
        PutDormantToRest(to);
        return events;
    }

    /// <summary>The first day from <paramref name="day"/> to <paramref name="to"/> with something to screen or hand over.</summary>
    private DateOnly? NextWorkDay(DateOnly day, DateOnly to, bool settle)
    {
        if (_next.Count > 0 || (_responses.Count > 0 && _responses.Keys.First() <= day))
        {
            return day;
        }
        DateOnly? next = null;
        foreach (var keys in new IEnumerable<DateOnly>[] { _touched.Keys, _boundaries.Keys, _responses.Keys })
        {
            foreach (var key in keys)
            {
                if (key >= day)
                {
                    next = next is null || key < next ? key : next;
                    break;
                }
            }
        }
        if (next is { } found && found <= to)
        {
            return found;
        }
        return settle && (AsOf is not { } asOf || asOf < to) ? to : null;
    }

    /// <summary>The patients whose facts arrived on <paramref name="day"/> (and, forgotten, those of days before it never walked).</summary>
    private HashSet<string> TakeTouched(DateOnly day)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        while (_touched.Count > 0 && _touched.Keys.First() is var first && first <= day)
        {
            if (first == day)
            {
                taken.UnionWith(_touched[first]);
            }
            _touched.Remove(first);
        }
        return taken;
    }

    private List<AlertEvent> ScreenDay(DateOnly day, HashSet<string> candidates, IReadOnlyList<AlertResponded>? responses = null)
    {
        var open = new List<Alert>();
        var ruleBoundaries = new List<(string Mrn, DateOnly? Next)>();
        // Each patient is read and screened on its own, then what the walk keeps is updated. (Not on several cores: the
        // audit's thread pool is busy reading batches ahead, and a parallel loop waited for it longer than it saved.)
        foreach (var mrn in candidates)
        {
            if (Screen(mrn, day) is not { } result)
            {
                continue;
            }
            PatientDaysScreened++;
            if (result.Facts is { } facts)
            {
                _factsOf[mrn] = facts;
                _lcnecPatients.Add(mrn);
                open.AddRange(result.Alerts);
                ruleBoundaries.Add((mrn, result.Next));
            }
            else
            {
                _lcnecPatients.Remove(mrn);
                Forget(mrn);
                if (Store.CanSpill)
                {
                    _resting.Enqueue((day, mrn));
                }
            }
        }
        PutDormantToRest(day);
        open.Sort(Alert.StableOrder);
        var events = Ledger.Advance(day, open, candidates, responses ?? TakeResponses(day), _screener.Options.Cadence);
        if (Walk == ScreeningWalk.EventDriven)
        {
            foreach (var (mrn, next) in ruleBoundaries)
            {
                Schedule(mrn, day, Boundaries.Earliest(next, Ledger.NextBoundary(mrn, day, _screener.Options.Cadence)));
                // A patient with LCNEC whose alerts can change only with a new fact (nothing open, no boundary ahead)
                // is as dormant as one without.
                if (Store.CanSpill && !_boundaryOf.ContainsKey(mrn) && !Ledger.HasOpen(mrn))
                {
                    _resting.Enqueue((day, mrn));
                }
            }
        }
        return [.. events];
    }

    /// <summary>
    /// Puts to rest the facts of each patient screened <see cref="QuietDays"/> or more before <paramref name="day"/> without
    /// LCNEC, or with LCNEC but nothing open and no boundary ahead, that has had no fact, boundary or alert since: it can
    /// change no alert until a fact of its own arrives, which wakes it.
    /// </summary>
    private void PutDormantToRest(DateOnly day)
    {
        while (_resting.TryPeek(out var rest) && rest.Day.AddDays(QuietDays) <= day)
        {
            _resting.Dequeue();
            // Without LCNEC, a patient has no boundary (forgotten); with it, only in the event-driven walk (day by day, every
            // patient with LCNEC is screened every day, so none is dormant).
            var quiet = _lcnecPatients.Contains(rest.Mrn) ? Walk == ScreeningWalk.EventDriven && !_boundaryOf.ContainsKey(rest.Mrn) : !_screenedOn.ContainsKey(rest.Mrn);
            if (quiet && !_next.Contains(rest.Mrn) && !Ledger.HasOpen(rest.Mrn) && Store.LastKnownOn(rest.Mrn) is { } last && last <= rest.Day
                && Store.Spill(rest.Mrn))
            {
                _factsOf.Remove(rest.Mrn);
            }
        }
    }

    /// <summary>A patient screened on a day: its facts, alerts and next rule boundary when it has LCNEC; no facts when not.</summary>
    private sealed record Screened(PatientFacts? Facts, List<Alert> Alerts, DateOnly? Next);

    /// <summary>Reads and screens one patient; null when no fact of theirs is known by <paramref name="day"/>. Touches nothing of the walk.</summary>
    private Screened? Screen(string mrn, DateOnly day)
    {
        if (!Store.HasFactsBy(mrn, day))
        {
            return null;
        }
        // Most patients of a lab have no report that speaks of LCNEC: nothing to read, no alert possible.
        var facts = Store.MayHaveLcnec(mrn) && Store.Timeline(mrn, day) is { } timeline
            ? _factsOf.TryGetValue(mrn, out var before) ? before.On(timeline) : new PatientFacts(timeline, _screener.Options)
            : null;
        if (facts is not { HasLcnec: true })
        {
            return new Screened(null, [], null);
        }
        return new Screened(facts, [.. _screener.Screen(facts)], Walk == ScreeningWalk.EventDriven ? _screener.NextBoundary(facts) : null);
    }

    /// <summary>A patient screened without LCNEC (so with no alert open): nothing of theirs is kept until a fact arrives.</summary>
    private void Forget(string mrn)
    {
        _factsOf.Remove(mrn);
        _screenedOn.Remove(mrn);
        Unschedule(mrn);
    }

    private void Unschedule(string mrn)
    {
        if (_boundaryOf.Remove(mrn, out var old) && _boundaries.TryGetValue(old, out var set))
        {
            set.Remove(mrn);
            if (set.Count == 0)
            {
                _boundaries.Remove(old);
            }
        }
    }

    /// <summary>After screening a patient with LCNEC on <paramref name="day"/>: the next day its alerts can change with no new fact.</summary>
    private void Schedule(string mrn, DateOnly day, DateOnly? next)
    {
        Unschedule(mrn);
        _screenedOn[mrn] = day;
        if (next is not { } boundary)
        {
            return;
        }
        boundary = boundary > day ? boundary : day.AddDays(1);
        if (!_boundaries.TryGetValue(boundary, out var due))
        {
            _boundaries[boundary] = due = new HashSet<string>(StringComparer.Ordinal);
        }
        due.Add(mrn);
        _boundaryOf[mrn] = boundary;
    }

    /// <summary>
    /// The responses known by <paramref name="day"/> not handed over yet (one added late, with an earlier day, goes with
    /// the next day walked), in the order they were given: response date, then id.
    /// </summary>
    private List<AlertResponded> TakeResponses(DateOnly day)
    {
        var due = _responses.Keys.TakeWhile(known => known <= day).ToList();
        var responses = due.SelectMany(known => _responses[known]).ToList();
        foreach (var known in due)
        {
            _responses.Remove(known);
        }
        responses.Sort((a, b) =>
        {
            var c = a.RespondedOn.CompareTo(b.RespondedOn);
            if (c == 0)
            {
                c = string.CompareOrdinal(a.ResponseId, b.ResponseId);
            }
            return c != 0 ? c : string.CompareOrdinal(a.EventId, b.EventId);
        });
        return responses;
    }

    /// <summary>Patients with affirmed pulmonary LCNEC as of the session's date, and how many are advanced.</summary>
    public (int Lcnec, int Advanced) CountLcnec()
    {
        if (AsOf is not { } asOf)
        {
            return (0, 0);
        }
        var lcnec = 0;
        var advanced = 0;
        foreach (var mrn in _lcnecPatients)
        {
            if (Store.Timeline(mrn, asOf) is { } timeline && new PatientFacts(timeline, _screener.Options) is { HasLcnec: true } facts)
            {
                lcnec++;
                advanced += facts.IsAdvanced ? 1 : 0;
            }
        }
        return (lcnec, advanced);
    }
}
