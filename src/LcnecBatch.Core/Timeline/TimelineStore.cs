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
    private readonly Dictionary<string, List<TimelineEvent>> _byPatient = new(StringComparer.Ordinal);
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
                if (!_byPatient.TryGetValue(mrn, out var list))
                {
                    _byPatient[mrn] = list = [];
                }
                list.Add(fact);
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

    public PatientTimeline? Timeline(string mrn, DateOnly asOf)
    {
        if (!_byPatient.TryGetValue(mrn, out var events))
        {
            return null;
        }
        var known = events.Where(e => e.KnownOn <= asOf)
            .OrderBy(e => e.KnownOn)
            .ThenBy(e => e.Source.File, StringComparer.Ordinal)
            .ThenBy(e => e.Source.Line)
            .ThenBy(e => e.EventId, StringComparer.Ordinal)
            .ToList();
        if (known.Count == 0)
        {
            return null;
        }
        var demographics = known.OfType<DemographicsRecorded>().Aggregate(Demographics.Unknown, (d, row) => d.Apply(row));
        var accessions = known.Select(AccessionOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
        // Looked up by accession: a patient's timeline never walks every raw file of the archive.
        var raw = accessions
            .SelectMany(a => _rawByAccession.TryGetValue(a, out var files) ? files : [])
            .Where(r => r.KnownOn <= asOf && OwnerOf(r.Accession, asOf) == mrn)
            .OrderBy(r => r.KnownOn).ThenBy(r => r.Source.File, StringComparer.Ordinal).ThenBy(r => r.EventId, StringComparer.Ordinal)
            .ToList();
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
        Patients.SelectMany(mrn => Timeline(mrn, asOf)?.DatedBeforeBirth ?? []);

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
}
