using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Timeline;

namespace LcnecBatch.Core.Pipeline;

/// <summary>
/// Patient state and alert lifecycle carried from day to day, as the nightly job keeps them: events go in
/// as they are read (in any order), and <see cref="AdvanceTo"/> walks the calendar one day at a time,
/// screening the patients whose facts arrived that day and every patient with LCNEC (their windows run
/// out on days without input). A replay as one run and as daily runs give the same events.
/// </summary>
public sealed class ScreeningSession(ScreeningOptions options)
{
    private readonly Screener _screener = new(options);
    private readonly Dictionary<DateOnly, HashSet<string>> _touched = [];
    private readonly HashSet<string> _lcnecPatients = new(StringComparer.Ordinal);

    /// <summary>Care-team responses not yet handed to the ledger, by the day they were recorded.</summary>
    private readonly SortedDictionary<DateOnly, List<AlertResponded>> _responses = [];

    public TimelineStore Store { get; } = new();

    public AlertLedger Ledger { get; } = new();

    public ScreeningOptions Options => _screener.Options;

    /// <summary>The day the session has been advanced to; null before the first advance.</summary>
    public DateOnly? AsOf => Ledger.LastAsOf;

    public void Add(TimelineEvent fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        if (!Store.Add(fact))
        {
            return;
        }
        if (!_touched.TryGetValue(fact.KnownOn, out var patients))
        {
            _touched[fact.KnownOn] = patients = new HashSet<string>(StringComparer.Ordinal);
        }
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
    }

    /// <summary>
    /// Takes up a session kept elsewhere (the Functions app keeps each patient's ledger in Table Storage): the
    /// records come back as they were saved, and every patient in the store is screened on the first day walked,
    /// since facts of theirs may have arrived while the session was away (from there on, as usual, patients
    /// with LCNEC every day and others on the days their facts arrive). Call after adding the events and before
    /// <see cref="AdvanceTo"/> with its <c>from</c>: re-walking the last day a ledger reached changes nothing
    /// unless facts did.
    /// </summary>
    public void Resume(IEnumerable<AlertRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            Ledger.Restore(record);
        }
        _lcnecPatients.UnionWith(Store.Patients);
    }

    /// <summary>Walks from the day after the last advance (or <paramref name="from"/>) to <paramref name="to"/>, day by day.</summary>
    public IReadOnlyList<AlertEvent> AdvanceTo(DateOnly to, DateOnly? from = null)
    {
        var day = AsOf?.AddDays(1) ?? from ?? _touched.Keys.DefaultIfEmpty(to).Min();
        var events = new List<AlertEvent>();
        for (; day <= to; day = day.AddDays(1))
        {
            events.AddRange(ScreenDay(day));
        }
        return events;
    }

    private List<AlertEvent> ScreenDay(DateOnly day)
    {
        var candidates = new HashSet<string>(_lcnecPatients, StringComparer.Ordinal);
        if (_touched.TryGetValue(day, out var touched))
        {
            candidates.UnionWith(touched);
        }
        var open = new List<Alert>();
        foreach (var mrn in candidates)
        {
            if (Store.Timeline(mrn, day) is not { } timeline)
            {
                continue;
            }
            var facts = new PatientFacts(timeline, _screener.Options);
            if (facts.HasLcnec)
            {
                _lcnecPatients.Add(mrn);
                open.AddRange(_screener.Screen(facts));
            }
            else
            {
                _lcnecPatients.Remove(mrn);
            }
        }
        open.Sort(Alert.StableOrder);
        return [.. Ledger.Advance(day, open, candidates, TakeResponses(day), _screener.Options.Cadence)];
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
