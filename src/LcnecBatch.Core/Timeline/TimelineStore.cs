using LcnecBatch.Core.Events;
using LcnecBatch.Core.Screening;

namespace LcnecBatch.Core.Timeline;

/// <summary>
/// The in-memory patient state of the embedded default: events deduplicated by content identity, raw NGS
/// files linked to patients through their accession (pending until some row names the accession).
/// Order of arrival does not matter: a timeline is rebuilt by sorting on the batch date, so replaying
/// batches late, twice or out of order gives the same timelines.
/// </summary>
public sealed class TimelineStore
{
    private readonly Dictionary<string, TimelineEvent> _events = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PatientEntry> _byPatient = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Mrn, DateOnly KnownOn)>> _accessionOwners = new(StringComparer.Ordinal);
    private readonly List<RawNgsFileArrived> _rawFiles = [];
    private readonly Dictionary<string, List<RawNgsFileArrived>> _rawByAccession = new(StringComparer.Ordinal);

    public int EventCount => _events.Count;

    public IEnumerable<string> Patients => _byPatient.Keys.Order(StringComparer.Ordinal);

    /// <summary>Adds an event; a second delivery of the same fact keeps the earliest batch that carried it.</summary>
    public bool Add(TimelineEvent fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
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
                var mrn = MrnOf(fact)!;
                if (!_byPatient.TryGetValue(mrn, out var entry))
                {
                    _byPatient[mrn] = entry = new PatientEntry();
                }
                entry.Insert(fact);
                if (AccessionOf(fact) is { } accession)
                {
                    if (!_accessionOwners.TryGetValue(accession, out var owners))
                    {
                        _accessionOwners[accession] = owners = [];
                    }
                    owners.Add((mrn, fact.KnownOn));
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
        _byPatient[MrnOf(fact)!].Remove(fact);
        if (AccessionOf(fact) is { } accession)
        {
            _accessionOwners[accession].Remove((MrnOf(fact)!, fact.KnownOn));
        }
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
        _accessionOwners.TryGetValue(accession, out var owners)
            ? owners.Where(o => o.KnownOn <= asOf).OrderBy(o => o.KnownOn).ThenBy(o => o.Mrn, StringComparer.Ordinal).Select(o => o.Mrn).FirstOrDefault()
            : null;

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
    public bool HasFactsBy(string mrn, DateOnly asOf) => _byPatient.TryGetValue(mrn, out var entry) && entry.KnownBy(asOf) > 0;

    public PatientTimeline? Timeline(string mrn, DateOnly asOf)
    {
        if (!_byPatient.TryGetValue(mrn, out var entry))
        {
            return null;
        }
        // Kept in timeline order (batch date, file, line, id) as they are added, so the facts known by a date are a prefix.
        var count = entry.KnownBy(asOf);
        if (count == 0)
        {
            return null;
        }
        var known = entry.Events.GetRange(0, count);
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
        entry.Cached = new CachedTimeline(count, timeline);
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

    /// <summary>A cheap first look: no birth date known, or every specimen dated on or after it, means nothing is set aside.</summary>
    private static bool MayBeDatedBeforeBirth(PatientEntry entry, DateOnly asOf)
    {
        var count = entry.KnownBy(asOf);
        DateOnly? birth = null;
        for (var i = 0; i < count; i++)
        {
            if (entry.Events[i] is DemographicsRecorded { BirthDate: { } born })
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
            if (entry.Events[i] is AlertResponded || (SpecimenDate(entry.Events[i]) is { } date && date < birthDate))
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
    private sealed class PatientEntry
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

        public List<TimelineEvent> Events { get; } = [];

        /// <summary>The last timeline built and how many facts it read (dropped when a fact is added or replaced).</summary>
        public CachedTimeline? Cached { get; set; }

        /// <summary>Reports kept with their text: the ones that speak of LCNEC.</summary>
        public int ReportsWithText { get; private set; }

        public int Responses { get; private set; }

        public void Insert(TimelineEvent fact)
        {
            // Facts mostly arrive in batch order: the place is nearly always the end.
            var at = Events.Count > 0 && TimelineOrder.Compare(Events[^1], fact) > 0 ? Events.BinarySearch(fact, TimelineOrder) : Events.Count;
            Events.Insert(at < 0 ? ~at : at, fact);
            Cached = null;
            ReportsWithText += IsReportWithText(fact) ? 1 : 0;
            Responses += fact is AlertResponded ? 1 : 0;
        }

        public void Remove(TimelineEvent fact)
        {
            if (Events.Remove(fact))
            {
                Cached = null;
                ReportsWithText -= IsReportWithText(fact) ? 1 : 0;
                Responses -= fact is AlertResponded ? 1 : 0;
            }
        }

        /// <summary>How many facts are known by <paramref name="asOf"/>: the length of the prefix.</summary>
        public int KnownBy(DateOnly asOf)
        {
            if (Events.Count == 0 || Events[^1].KnownOn <= asOf)
            {
                return Events.Count;
            }
            var (lo, hi) = (0, Events.Count);
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                (lo, hi) = Events[mid].KnownOn <= asOf ? (mid + 1, hi) : (lo, mid);
            }
            return lo;
        }

        private static bool IsReportWithText(TimelineEvent fact) => fact is PathologyReported { TextTraits: null };
    }
}
