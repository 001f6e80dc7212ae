using System.Collections.Concurrent;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Screening;

namespace LcnecBatch.Core.Timeline;

/// <summary>
/// The in-memory patient state of the embedded default: events deduplicated by content identity, raw NGS
/// files linked to patients through their accession (pending until some row names the accession).
/// Order of arrival does not matter: each patient's facts are kept in timeline order (batch date, file, line, id)
/// whatever order they come in, so replaying batches late, twice or out of order gives the same timelines.
/// A store made by <see cref="WithDormantSpill"/> can also put a patient's facts to rest (<see cref="Spill"/>): they go,
/// encrypted, to a temporary file, and come back when a fact of theirs arrives or their timeline is asked for.
/// </summary>
public sealed class TimelineStore : IDisposable
{
    private readonly Dictionary<string, TimelineEvent> _events = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PatientEntry> _byPatient = new(StringComparer.Ordinal);

    /// <summary>
    /// Each accession's owner: of the rows that named it, the earliest batch (then the lowest mrn). Only this one is kept:
    /// a row is only ever replaced by the same row from an earlier batch (same mrn), which can only make it earlier.
    /// </summary>
    private readonly Dictionary<string, (string Mrn, DateOnly KnownOn)> _accessionOwners = new(StringComparer.Ordinal);
    private readonly List<RawNgsFileArrived> _rawFiles = [];
    private readonly Dictionary<string, List<RawNgsFileArrived>> _rawByAccession = new(StringComparer.Ordinal);

    private readonly SpillFile? _spill;

    // Facts going to rest are encoded, sealed and written on a thread of their own (the walk's thread is the audit's
    // critical path); until written they are held as they were, so a patient woken meanwhile takes them back as they are.
    private readonly BlockingCollection<(PatientEntry Entry, List<TimelineEvent> Facts)>? _toRest;
    private readonly Task? _rester;
    private readonly Lock _restGate = new();
    private volatile bool _closing;

    /// <summary>The first fault writing the spill file (a full disk): from then on facts stay in memory, as without a spill file.</summary>
    private volatile Exception? _restFault;

    private int _spilledEvents;
    private int _spills;
    private int _wakes;

    public TimelineStore()
    {
    }

    internal TimelineStore(SpillFile spill)
    {
        _spill = spill;
        _toRest = new BlockingCollection<(PatientEntry, List<TimelineEvent>)>();
        _rester = Task.Factory.StartNew(WriteRestingFacts, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void WriteRestingFacts()
    {
        foreach (var (entry, facts) in _toRest!.GetConsumingEnumerable())
        {
            if (_closing || _restFault is not null)
            {
                continue;
            }
            try
            {
                var handle = _spill!.Append(PatientFactCodec.Write(facts));
                lock (_restGate)
                {
                    entry.Written(facts, handle);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.Cryptography.CryptographicException or ObjectDisposedException)
            {
                _restFault = e; // the facts stay held in memory: nothing is lost, memory is only not saved
            }
        }
    }

    /// <summary>
    /// A store that can put dormant patients' facts in a temporary file (readable only by this user, each blob sealed with
    /// AES-GCM under a key made for the run that never leaves memory; deleted on <see cref="Dispose"/>). The long audit
    /// uses it so what it keeps in memory grows with patients who can still raise alerts, not with every patient.
    /// </summary>
    /// <param name="directory">Where the file goes; null for the temporary folder.</param>
    public static TimelineStore WithDormantSpill(string? directory = null) => new(new SpillFile(directory));

    /// <summary>Facts held, in memory and at rest.</summary>
    public int EventCount => _events.Count + _spilledEvents;

    /// <summary>Whether <see cref="Spill"/> can put facts to rest at all.</summary>
    public bool CanSpill => _spill is not null;

    /// <summary>
    /// What putting patients to rest did: patients now at rest, how often one was put to rest or woken, bytes written,
    /// and the type of the fault that stopped writing the spill file, if one did (facts then stay in memory).
    /// </summary>
    public (int AtRest, int Spills, int Wakes, long Bytes, string? Fault) SpillCounts =>
        (_byPatient.Values.Count(e => e.Resting), _spills, _wakes, _spill?.BytesWritten ?? 0, _restFault?.GetType().Name);

    public void Dispose()
    {
        if (_toRest is not null)
        {
            _closing = true;
            _toRest.CompleteAdding();
            _rester!.Wait();
            _toRest.Dispose();
        }
        _spill?.Dispose();
    }

    public IEnumerable<string> Patients => _byPatient.Keys.Order(StringComparer.Ordinal);

    /// <summary>Adds an event; a second delivery of the same fact keeps the earliest batch that carried it.</summary>
    public bool Add(TimelineEvent fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        if (MrnOf(fact) is { } of && _byPatient.TryGetValue(of, out var resting) && resting.Resting)
        {
            Wake(resting); // its facts decide whether this one is new
        }
        var key = KeyOf(fact);
        if (_events.TryGetValue(key, out var known))
        {
            if (fact.KnownOn >= known.KnownOn)
            {
                return false;
            }
            Remove(known);
        }
        fact = Lean(fact);
        _events[key] = fact;
        switch (fact)
        {
            case RawNgsFileArrived raw:
                _rawFiles.Add(raw);
                if (!_rawByAccession.TryGetValue(raw.Accession, out var sameAccession))
                {
                    _rawByAccession[raw.Accession] = sameAccession = [];
                }
                sameAccession.Add(raw);
                break;
            default:
                if (!_byPatient.TryGetValue(MrnOf(fact)!, out var entry))
                {
                    entry = new PatientEntry(MrnOf(fact)!);
                    _byPatient[entry.Mrn] = entry;
                }
                // One mrn string per patient, whatever row carried it: the owners of accessions outlive the facts at rest.
                var mrn = entry.Mrn;
                entry.Insert(fact);
                if (AccessionOf(fact) is { } accession)
                {
                    if (!_accessionOwners.TryGetValue(accession, out var owner) || fact.KnownOn < owner.KnownOn
                        || (fact.KnownOn == owner.KnownOn && string.CompareOrdinal(mrn, owner.Mrn) < 0))
                    {
                        _accessionOwners[accession] = (mrn, fact.KnownOn);
                    }
                }
                break;
        }
        return true;
    }

    private void Remove(TimelineEvent fact)
    {
        if (fact is RawNgsFileArrived raw)
        {
            _rawFiles.Remove(raw);
            _rawByAccession[raw.Accession].Remove(raw);
            return;
        }
        // Its accession's owner stays: the row that replaces it (same mrn, earlier batch) is as early or earlier.
        _byPatient[MrnOf(fact)!].Remove(fact);
    }

    /// <summary>
    /// A report that says nothing about LCNEC is kept without its text, with the few answers screening reads from it:
    /// most reports of a lab are such, and their text is most of what a store of every patient would hold. A report
    /// that speaks of LCNEC (affirmed, negated, uncertain, another site) keeps its text for findings, evidence and review.
    /// </summary>
    /// <remarks>Pure, and safe on any thread: the audit calls it on its parsing workers so the store only keeps what it gets.</remarks>
    internal static TimelineEvent Lean(TimelineEvent fact) =>
        fact is PathologyReported { TextTraits: null, FinalDiagnosis.Length: > 0 } report && PatientFacts.FindingFor(report, cacheNone: false) is null
            ? report.WithoutText(ReportVersions.TraitsOf(report))
            : fact;

    /// <summary>The patient owning an accession as of a date: the first row that named it.</summary>
    public string? OwnerOf(string accession, DateOnly asOf) =>
        _accessionOwners.TryGetValue(accession, out var owner) && owner.KnownOn <= asOf ? owner.Mrn : null;

    /// <summary>Raw files that no known accession ties to a patient yet.</summary>
    public IEnumerable<RawNgsFileArrived> PendingRawFiles(DateOnly asOf) =>
        _rawFiles.Where(r => r.KnownOn <= asOf && OwnerOf(r.Accession, asOf) is null);

    /// <summary>
    /// Whether any fact of the patient could make it a patient with LCNEC: a report kept with its text (one that speaks of
    /// LCNEC; every other report is kept lean). False for most patients of a lab, whose screening is then a no-op.
    /// </summary>
    public bool MayHaveLcnec(string mrn) => _byPatient.TryGetValue(mrn, out var entry) && entry.ReportsWithText > 0;

    /// <summary>Whether the care team has answered an alert of the patient's (a "not LCNEC" goes to pathology review).</summary>
    public bool HasResponses(string mrn) => _byPatient.TryGetValue(mrn, out var entry) && entry.Responses > 0;

    /// <summary>Whether any fact of the patient is known by <paramref name="asOf"/> (so <see cref="Timeline"/> is not null).</summary>
    public bool HasFactsBy(string mrn, DateOnly asOf) => _byPatient.TryGetValue(mrn, out var entry) && entry.FirstKnownOn <= asOf;

    /// <summary>Whether the patient's facts are at rest in the spill file.</summary>
    internal bool IsAtRest(string mrn) => _byPatient.TryGetValue(mrn, out var entry) && entry.Resting;

    /// <summary>The batch date of the patient's latest fact; null for a patient with none.</summary>
    public DateOnly? LastKnownOn(string mrn) => _byPatient.TryGetValue(mrn, out var entry) && entry.Count > 0 ? entry.LastKnownOn : null;

    /// <summary>
    /// Puts a patient's facts to rest in the spill file (a store made by <see cref="WithDormantSpill"/>): the caller knows the
    /// patient is dormant (no alert open, no boundary ahead, quiet for a while). Returns whether the facts went to rest. The next fact of theirs, or their timeline, reads them back.
    /// </summary>
    public bool Spill(string mrn)
    {
        if (_toRest is null || _restFault is not null || !_byPatient.TryGetValue(mrn, out var entry) || entry.Resting || entry.Count == 0)
        {
            return false;
        }
        var facts = entry.Events!;
        if (!facts.TrueForAll(PatientFactCodec.CanWrite))
        {
            return false;
        }
        foreach (var fact in facts)
        {
            _events.Remove(KeyOf(fact));
        }
        _spilledEvents += facts.Count;
        lock (_restGate)
        {
            entry.GoToRest(facts, MayBeDatedBeforeBirth(facts, DateOnly.MaxValue));
        }
        _toRest.Add((entry, facts));
        _spills++;
        return true;
    }

    /// <summary>A patient at rest back in memory, its facts in the dedup index again.</summary>
    private void Wake(PatientEntry entry)
    {
        (List<TimelineEvent>? Held, SpillHandle? Written) rest;
        lock (_restGate)
        {
            rest = entry.TakeRest();
        }
        // Facts not written yet are taken back as they are (copied: the writer may still be reading them).
        var facts = rest.Held is { } held ? [.. held] : PatientFactCodec.Read(_spill!.Read(rest.Written!.Value));
        foreach (var fact in facts)
        {
            _events[KeyOf(fact)] = fact;
        }
        _spilledEvents -= facts.Count;
        entry.Wake(facts);
        _wakes++;
    }

    /// <summary>The patient's facts in timeline order: in memory, or read (not woken) from where they rest. Not to be changed.</summary>
    private List<TimelineEvent> EventsOf(PatientEntry entry)
    {
        if (entry.Events is { } events)
        {
            return events;
        }
        (List<TimelineEvent>? Held, SpillHandle? Written) rest;
        lock (_restGate)
        {
            rest = entry.PeekRest();
        }
        return rest.Held ?? PatientFactCodec.Read(_spill!.Read(rest.Written!.Value));
    }

    public PatientTimeline? Timeline(string mrn, DateOnly asOf)
    {
        if (!_byPatient.TryGetValue(mrn, out var entry))
        {
            return null;
        }
        // Kept in timeline order (batch date, file, line, id) as they are added, so the facts known by a date are a prefix.
        // A patient at rest is read from the spill file for this timeline and stays at rest.
        var events = EventsOf(entry);
        var count = PatientEntry.KnownBy(events, asOf);
        if (count == 0)
        {
            return null;
        }
        var known = events.GetRange(0, count);
        var accessions = known.Select(AccessionOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
        // Looked up by accession: a patient's timeline never walks every raw file of the archive.
        var raw = accessions
            .SelectMany(a => _rawByAccession.TryGetValue(a, out var files) ? files : [])
            .Where(r => r.KnownOn <= asOf && OwnerOf(r.Accession, asOf) == mrn)
            .OrderBy(r => r.KnownOn).ThenBy(r => r.Source.File, StringComparer.Ordinal).ThenBy(r => r.EventId, StringComparer.Ordinal)
            .ToList();
        // The same facts as the last timeline built (a patient screened again at a reminder or a window's end): the same
        // timeline, on another day, so what is derived from it can be kept too (see PatientFacts.On).
        if (entry.Cached is { } cached && cached.Count == count && cached.Timeline.RawFiles.SequenceEqual(raw, ReferenceEqualityComparer.Instance))
        {
            return cached.Timeline.AsOf == asOf ? cached.Timeline : cached.Timeline with { AsOf = asOf };
        }
        var timeline = Build(mrn, asOf, known, raw);
        if (!entry.Resting)
        {
            entry.Cached = new CachedTimeline(count, timeline);
        }
        return timeline;
    }

    private static PatientTimeline Build(string mrn, DateOnly asOf, List<TimelineEvent> known, List<RawNgsFileArrived> raw)
    {
        var demographics = known.OfType<DemographicsRecorded>().Aggregate(Demographics.Unknown, (d, row) => d.Apply(row));
        // A specimen dated before the patient was born contradicts the birth date: neither can be trusted, so the
        // specimen is set aside (and reported) rather than screened, and the age stays what the birth date says.
        bool Believed(TimelineEvent e) => demographics.BirthDate is not { } birth || SpecimenDate(e) is not { } date || date >= birth;
        // Care-team responses stay facts of the patient; a "tested elsewhere" one is also read as the result it reports.
        var responses = known.OfType<AlertResponded>().ToList();
        var outside = responses.Select(OutsideTests.AsLabResult).OfType<TimelineEvent>().ToList();
        return new PatientTimeline(
            mrn,
            asOf,
            demographics,
            [.. known.OfType<PathologyReported>().Where(Believed).OrderBy(r => r.ReportDate)],
            [.. known.OfType<IhcResulted>().Concat(outside.OfType<IhcResulted>()).Where(Believed).OrderBy(r => r.ResultDate)],
            [.. known.OfType<MolecularResulted>().Concat(outside.OfType<MolecularResulted>()).Where(Believed).OrderBy(r => r.ResultDate)],
            raw)
        {
            DatedBeforeBirth = [.. known.Concat(outside).Where(e => !Believed(e))],
            Responses = responses,
        };
    }

    /// <summary>Every specimen fact known by <paramref name="asOf"/> that is dated before its patient's birth date (set aside).</summary>
    public IEnumerable<TimelineEvent> DatedBeforeBirth(DateOnly asOf) =>
        Patients.Where(mrn => MayBeDatedBeforeBirth(_byPatient[mrn], asOf)).SelectMany(mrn => Timeline(mrn, asOf)?.DatedBeforeBirth ?? []);

    private bool MayBeDatedBeforeBirth(PatientEntry entry, DateOnly asOf) =>
        entry.Resting && asOf >= entry.LastKnownOn ? entry.RestingMayBeDatedBeforeBirth : MayBeDatedBeforeBirth(EventsOf(entry), asOf);

    /// <summary>A cheap first look: no birth date known, or every specimen dated on or after it, means nothing is set aside.</summary>
    private static bool MayBeDatedBeforeBirth(List<TimelineEvent> events, DateOnly asOf)
    {
        var count = PatientEntry.KnownBy(events, asOf);
        DateOnly? birth = null;
        for (var i = 0; i < count; i++)
        {
            if (events[i] is DemographicsRecorded { BirthDate: { } born })
            {
                birth = born;
            }
        }
        if (birth is not { } birthDate)
        {
            return false;
        }
        for (var i = 0; i < count; i++)
        {
            // An outside test a response reports has its own date: let the timeline judge it.
            if (events[i] is AlertResponded || (SpecimenDate(events[i]) is { } date && date < birthDate))
            {
                return true;
            }
        }
        return false;
    }

    private static DateOnly? SpecimenDate(TimelineEvent fact) => fact switch
    {
        PathologyReported r => r.ReportDate,
        IhcResulted i => i.ResultDate,
        MolecularResulted m => m.ResultDate,
        _ => null,
    };

    /// <summary>
    /// A care-team response is one fact per response id, whatever a re-delivery says (the responder system's id is its
    /// identity: the earliest delivery stands); every other fact is its content identity.
    /// </summary>
    private static string KeyOf(TimelineEvent fact) => fact is AlertResponded response ? $"response\u001f{response.ResponseId}" : fact.EventId;

    private static string? MrnOf(TimelineEvent fact) => (fact as IPatientFact)?.Mrn;

    private static string? AccessionOf(TimelineEvent fact) => (fact as ISpecimenFact)?.Accession;

    private sealed record CachedTimeline(int Count, PatientTimeline Timeline);

    /// <summary>One patient's facts, in timeline order, and what the session asks of them without reading them all.</summary>
    private sealed class PatientEntry(string mrn)
    {
        private static readonly Comparer<TimelineEvent> TimelineOrder = Comparer<TimelineEvent>.Create((a, b) =>
        {
            var c = a.KnownOn.CompareTo(b.KnownOn);
            if (c == 0)
            {
                c = string.CompareOrdinal(a.Source.File, b.Source.File);
            }
            if (c == 0)
            {
                c = a.Source.Line.CompareTo(b.Source.Line);
            }
            return c != 0 ? c : string.CompareOrdinal(a.EventId, b.EventId);
        });

        public string Mrn { get; } = mrn;

        /// <summary>The facts in timeline order; null while they are at rest in the spill file.</summary>
        public List<TimelineEvent>? Events { get; private set; } = [];

        /// <summary>Whether the facts are at rest (held for the writer, or written to the spill file).</summary>
        public bool Resting => Events is null;

        // Where resting facts are: held until the writer has written them, then in the spill file (the store's rest lock).
        private List<TimelineEvent>? _held;
        private SpillHandle? _written;

        /// <summary>How many facts, and the batch dates of the first and the last: known whether or not they are at rest.</summary>
        public int Count { get; private set; }

        public DateOnly FirstKnownOn { get; private set; } = DateOnly.MaxValue;

        public DateOnly LastKnownOn { get; private set; } = DateOnly.MinValue;

        /// <summary>Whether, all facts known, a specimen might be dated before the birth date (asked of a patient at rest).</summary>
        public bool RestingMayBeDatedBeforeBirth { get; private set; }

        /// <summary>The last timeline built and how many facts it read (dropped when a fact is added or replaced).</summary>
        public CachedTimeline? Cached { get; set; }

        /// <summary>Reports kept with their text: the ones that speak of LCNEC.</summary>
        public int ReportsWithText { get; private set; }

        public int Responses { get; private set; }

        public void Insert(TimelineEvent fact)
        {
            var events = Events!;
            // Facts mostly arrive in batch order: the place is nearly always the end.
            var at = events.Count > 0 && TimelineOrder.Compare(events[^1], fact) > 0 ? events.BinarySearch(fact, TimelineOrder) : events.Count;
            events.Insert(at < 0 ? ~at : at, fact);
            Cached = null;
            ReportsWithText += IsReportWithText(fact) ? 1 : 0;
            Responses += fact is AlertResponded ? 1 : 0;
            Counted();
        }

        public void Remove(TimelineEvent fact)
        {
            if (Events!.Remove(fact))
            {
                Cached = null;
                ReportsWithText -= IsReportWithText(fact) ? 1 : 0;
                Responses -= fact is AlertResponded ? 1 : 0;
                Counted();
            }
        }

        public void GoToRest(List<TimelineEvent> facts, bool mayBeDatedBeforeBirth)
        {
            (_held, _written, Events, Cached, RestingMayBeDatedBeforeBirth) = (facts, null, null, null, mayBeDatedBeforeBirth);
        }

        /// <summary>The writer wrote <paramref name="facts"/>: they are let go, unless the patient was woken (or rests anew) since.</summary>
        public void Written(List<TimelineEvent> facts, SpillHandle handle)
        {
            if (ReferenceEquals(_held, facts))
            {
                (_held, _written) = (null, handle);
            }
        }

        public (List<TimelineEvent>? Held, SpillHandle? Written) PeekRest() => (_held, _written);

        public (List<TimelineEvent>? Held, SpillHandle? Written) TakeRest()
        {
            var rest = (_held, _written);
            (_held, _written) = (null, null);
            return rest;
        }

        public void Wake(List<TimelineEvent> facts)
        {
            (Events, RestingMayBeDatedBeforeBirth) = (facts, false);
        }

        private void Counted()
        {
            Count = Events!.Count;
            (FirstKnownOn, LastKnownOn) = Count > 0 ? (Events[0].KnownOn, Events[^1].KnownOn) : (DateOnly.MaxValue, DateOnly.MinValue);
        }

        /// <summary>How many facts of <paramref name="events"/> (in timeline order) are known by <paramref name="asOf"/>: the length of the prefix.</summary>
        public static int KnownBy(List<TimelineEvent> events, DateOnly asOf)
        {
            if (events.Count == 0 || events[^1].KnownOn <= asOf)
            {
                return events.Count;
            }
            var (lo, hi) = (0, events.Count);
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                (lo, hi) = events[mid].KnownOn <= asOf ? (mid + 1, hi) : (lo, mid);
            }
            return lo;
        }

        private static bool IsReportWithText(TimelineEvent fact) => fact is PathologyReported { TextTraits: null };
    }
}
