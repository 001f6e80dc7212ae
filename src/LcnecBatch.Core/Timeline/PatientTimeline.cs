using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Timeline;

/// <summary>Demographics merged field by field, latest batch wins for every non-empty cell.</summary>
public sealed record Demographics(
    Sex? Sex,
    DateOnly? BirthDate,
    SmokingStatus? Smoking,
    decimal? PackYears,
    string? CareTeam,
    SourceRef? Source)
{
    public static readonly Demographics Unknown = new(null, null, null, null, null, null);

    public Demographics Apply(DemographicsRecorded row) => new(
        row.Sex ?? Sex,
        row.BirthDate ?? BirthDate,
        row.Smoking ?? Smoking,
        row.PackYears ?? PackYears,
        row.CareTeam ?? CareTeam,
        row.Source);

    public int? AgeOn(DateOnly date)
    {
        if (BirthDate is not { } birth)
        {
            return null;
        }
        if (date < birth)
        {
            return null; // dated before birth: no age, rather than a negative one that reads as "young"
        }
        var age = date.Year - birth.Year;
        return date < birth.AddYears(age) ? age - 1 : age;
    }
}

/// <summary>
/// Everything known about one patient as of a date, in date order. Rules read only this; they never see
/// facts that had not arrived by the as-of date.
/// </summary>
public sealed record PatientTimeline(
    string Mrn,
    DateOnly AsOf,
    Demographics Demographics,
    IReadOnlyList<PathologyReported> Reports,
    IReadOnlyList<IhcResulted> Ihc,
    IReadOnlyList<MolecularResulted> Molecular,
    IReadOnlyList<RawNgsFileArrived> RawFiles)
{
    /// <summary>Specimen facts dated before the patient's birth date: set aside, not screened (see <see cref="TimelineStore"/>).</summary>
    public IReadOnlyList<TimelineEvent> DatedBeforeBirth { get; init; } = [];

    /// <summary>The care team's responses to alerts known by the as-of date, in the order they were recorded.</summary>
    public IReadOnlyList<AlertResponded> Responses { get; init; } = [];

    public IEnumerable<IhcResulted> AlkIhc => Ihc.Where(i => i.IsAlk);

    public IEnumerable<MolecularResulted> AlkMolecular => Molecular.Where(m => m.IsAlk);
}
