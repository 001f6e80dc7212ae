using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace LcnecBatch.Core.Events;

/// <summary>
/// One accepted input row, dated. <see cref="KnownOn"/> is the date of the batch that delivered it: a
/// screening as of D only sees what had arrived by D, which is what makes an archive replay honest.
/// </summary>
public abstract record TimelineEvent
{
    protected TimelineEvent()
    {
    }

    /// <summary>A <c>with</c> copy computes its own identity: it may differ in an identity field.</summary>
    protected TimelineEvent(TimelineEvent original)
    {
        ArgumentNullException.ThrowIfNull(original);
        KnownOn = original.KnownOn;
        Source = original.Source;
    }

    public required DateOnly KnownOn { get; init; }

    public required SourceRef Source { get; init; }

    /// <summary>Deterministic identity from the event's content (not its source), so a re-delivered row is the same event.</summary>
    public string EventId => _eventId ??= ComputeId();

    private string? _eventId;

    /// <summary>A copy made to be kept leaner (see <see cref="PathologyReported.WithoutText"/>) keeps the identity of the fact it copies.</summary>
    private protected void KeepIdentityOf(TimelineEvent original) => _eventId = original.EventId;

    /// <summary>A fact read back from a spill file keeps the identity it was written with (a lean report's cannot be recomputed).</summary>
    internal void RestoreIdentity(string eventId) => _eventId = eventId;

    /// <summary>The fields that make two deliveries of this fact the same fact.</summary>
    protected abstract IEnumerable<string?> IdentityFields();

    private string ComputeId()
    {
        var text = new StringBuilder(GetType().Name);
        foreach (var field in IdentityFields())
        {
            text.Append('\u001f').Append(field);
        }
        // The first 16 bytes of SHA-256 over the UTF-8 identity text, in hex; hashed from a pooled buffer (reports are long).
        var identity = text.ToString();
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(identity.Length));
        try
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, Encoding.UTF8.GetBytes(identity, buffer)), hash);
            return Convert.ToHexStringLower(hash[..16]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected static string? Iso(DateOnly? date) => date?.ToString("yyyy-MM-dd");
}

/// <summary>An event about one patient, keyed by mrn.</summary>
public interface IPatientFact
{
    string Mrn { get; }
}

/// <summary>An event tied to a specimen accession (which is how raw NGS files find their patient).</summary>
public interface ISpecimenFact : IPatientFact
{
    string Accession { get; }
}

/// <summary>A <c>patients.csv</c> row. Empty cells are null and never override a known value.</summary>
public sealed record DemographicsRecorded : TimelineEvent, IPatientFact
{
    public required string Mrn { get; init; }
    public Sex? Sex { get; init; }
    public DateOnly? BirthDate { get; init; }
    public SmokingStatus? Smoking { get; init; }
    public decimal? PackYears { get; init; }
    public string? CareTeam { get; init; }

    protected override IEnumerable<string?> IdentityFields() =>
        [Mrn, Iso(KnownOn), Sex?.ToString(), Iso(BirthDate), Smoking?.ToString(), PackYears?.ToString(), CareTeam];
}

/// <summary>A signed-out pathology report (<c>pathology_reports.csv</c> row).</summary>
public sealed record PathologyReported : TimelineEvent, ISpecimenFact
{
    public required string Mrn { get; init; }
    public required string Accession { get; init; }
    public required DateOnly ReportDate { get; init; }
    public required string FinalDiagnosis { get; init; }
    public string? SpecimenSite { get; init; }
    public string? Procedure { get; init; }
    public string? Morphology { get; init; }
    public string? Topography { get; init; }
    public string? Stage { get; init; }
    public bool Addendum { get; init; }

    /// <summary>
    /// The carrier says this version amends or corrects the report (HL7 OBR-25 <c>C</c>, FHIR <c>amended</c> or
    /// <c>corrected</c>, <c>report_status</c> amended/corrected): it supersedes the accession's earlier diagnosis.
    /// </summary>
    public bool Amends { get; init; }

    public string? CareTeam { get; init; }

    /// <summary>
    /// Set only on a copy the timeline store keeps without its text (a report that says nothing about LCNEC, whose text
    /// screening reads only through these answers); null on every report as read.
    /// </summary>
    internal ReportTextTraits? TextTraits { get; init; }

    /// <summary>This report with an empty <see cref="FinalDiagnosis"/> and the answers screening would have read from it; the same fact (same <see cref="TimelineEvent.EventId"/>).</summary>
    internal PathologyReported WithoutText(ReportTextTraits traits)
    {
        var lean = this with { FinalDiagnosis = "", TextTraits = traits };
        lean.KeepIdentityOf(this);
        return lean;
    }

    protected override IEnumerable<string?> IdentityFields() => Amends
        ? [Mrn, Accession, Iso(ReportDate), FinalDiagnosis, SpecimenSite, Procedure, Morphology, Topography, Stage, Addendum ? "addendum" : null, CareTeam, "amends"]
        : [Mrn, Accession, Iso(ReportDate), FinalDiagnosis, SpecimenSite, Procedure, Morphology, Topography, Stage, Addendum ? "addendum" : null, CareTeam];
}

/// <summary>What screening reads from the text of a report that says nothing about LCNEC, kept when the text is not.</summary>
[Flags]
internal enum ReportTextTraits
{
    None = 0,

    /// <summary>An addendum's words say it amends or corrects the report.</summary>
    AmendingWords = 1,

    /// <summary>The text states a diagnosis of its own (so an amending version withdraws an earlier one).</summary>
    StatesADiagnosis = 2,

    /// <summary>The text names a cancer other than LCNEC (so a lung report's stage column is not the LCNEC's).</summary>
    NamesAnotherCancer = 4,
}

/// <summary>One IHC marker result (<c>ihc_results.csv</c> row).</summary>
public sealed record IhcResulted : TimelineEvent, ISpecimenFact
{
    public required string Mrn { get; init; }
    public required string Accession { get; init; }
    public required DateOnly ResultDate { get; init; }
    public required string Marker { get; init; }
    public string? AntibodyClone { get; init; }
    public required IhcResult Result { get; init; }
    public decimal? Value { get; init; }
    public string? Comment { get; init; }

    public bool IsAlk => Marker.Equals("ALK", StringComparison.OrdinalIgnoreCase);

    protected override IEnumerable<string?> IdentityFields() =>
        [Mrn, Accession, Iso(ResultDate), Marker.ToUpperInvariant(), AntibodyClone, Result.ToString(), Value?.ToString(), Comment];
}

/// <summary>One gene finding of a signed-out molecular report (<c>molecular_results.csv</c> row).</summary>
public sealed record MolecularResulted : TimelineEvent, ISpecimenFact
{
    public required string Mrn { get; init; }
    public required string Accession { get; init; }
    public required DateOnly ResultDate { get; init; }
    public required MolecularMethod Method { get; init; }
    public required string Gene { get; init; }
    public required MolecularResult Result { get; init; }
    public string? Alteration { get; init; }

    /// <summary>The raw NGS file behind the result, relative to the archive root (already checked to stay in its batch).</summary>
    public string? File { get; init; }

    public bool IsAlk => Gene.Equals("ALK", StringComparison.OrdinalIgnoreCase);

    /// <summary>Only a definite answer counts as an ALK test or a confirmation; indeterminate and failed do not.</summary>
    public bool IsDefinite => Result is MolecularResult.Detected or MolecularResult.NotDetected;

    protected override IEnumerable<string?> IdentityFields() =>
        [Mrn, Accession, Iso(ResultDate), Method.ToString(), Gene.ToUpperInvariant(), Result.ToString(), Alteration, File];
}

public enum RawNgsKind { Vcf, Arriba, StarFusion }

/// <summary>A raw NGS output file under <c>ngs/</c>. It carries no mrn: it is tied to a patient by its accession.</summary>
public sealed record RawNgsFileArrived : TimelineEvent
{
    public required string Accession { get; init; }
    public required RawNgsKind Kind { get; init; }

    /// <summary>SHA-256 of the file's bytes: the same file delivered twice is one event.</summary>
    public required string ContentHash { get; init; }

    /// <summary>The ALK fusions the scanner found at ingestion (reciprocal and filtered calls included, flagged).</summary>
    public IReadOnlyList<FusionDetail> Fusions { get; init; } = [];

    /// <summary>The ALK resistance mutations the scanner found (VCF only).</summary>
    public IReadOnlyList<MutationDetail> Mutations { get; init; } = [];

    /// <summary>Calls beyond the ones carried (at most 32 fusions and 32 mutations, counting ones first): said, never silently dropped.</summary>
    public int CallsOmitted { get; init; }

    /// <summary>The file's sample columns do not name its accession: it may belong to another specimen (said in the alert).</summary>
    public bool SampleMismatch { get; init; }

    /// <summary>A VCF whose header declares structural-variant calling or that holds SV records (fusion tables always can).</summary>
    public bool CallsStructuralVariants { get; init; }

    /// <summary>
    /// The file can show an ALK fusion and is this accession's own: an Arriba or STAR-Fusion table, or a VCF that calls
    /// structural variants (or holds a fusion call), whose sample column does not name another specimen. Only such a file
    /// is an ALK test (screening.md).
    /// </summary>
    public bool IsAlkFusionTest => !SampleMismatch && (Kind != RawNgsKind.Vcf || CallsStructuralVariants || Fusions.Count > 0);

    /// <summary>The fusions that count: kinase domain kept, passed the caller's filter.</summary>
    public IEnumerable<FusionDetail> CountingFusions => Fusions.Where(f => f.Counts);

    /// <summary>The resistance mutations that passed the caller's filter.</summary>
    public IEnumerable<MutationDetail> PassingMutations => Mutations.Where(m => m.PassesFilter);

    // The findings follow from the bytes (and the scan options), so the content hash already identifies them.
    protected override IEnumerable<string?> IdentityFields() => [Accession, Kind.ToString(), ContentHash];

    // Value equality, the findings included: a fact read back from storage equals the fact written.
    public bool Equals(RawNgsFileArrived? other) =>
        base.Equals(other) && Accession == other.Accession && Kind == other.Kind && ContentHash == other.ContentHash
        && SampleMismatch == other.SampleMismatch && CallsStructuralVariants == other.CallsStructuralVariants && CallsOmitted == other.CallsOmitted && Fusions.SequenceEqual(other.Fusions) && Mutations.SequenceEqual(other.Mutations);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Accession, ContentHash);
}
