namespace LcnecBatch.Core.Synthetic;

/// <summary>
/// What <c>lcnec generate</c> writes: how many patients, over how many nightly batches from which date, and
/// the seed that makes the archive reproducible byte for byte.
/// </summary>
public sealed record GeneratorOptions
{
    public const int MaxPatients = 100_000;
    public const int MaxDays = 3_660;

    public int Patients { get; init; } = 300;

    public int Days { get; init; } = 30;

    public DateOnly Start { get; init; } = new(2026, 10, 1);

    public int Seed { get; init; } = 42;

    /// <summary>
    /// The share of expected alerts the care team answers (issue 17), drawn per alert; 0 writes no <c>responses/</c>
    /// (<c>lcnec generate --no-responses</c>). An answer that would come after its alert resolved is not written.
    /// </summary>
    public double ResponseRate { get; init; } = 0.7;

    /// <summary>The last batch date of the archive.</summary>
    public DateOnly End => Start.AddDays(Days - 1);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a value cannot give an archive.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Patients, 1, nameof(Patients));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Patients, MaxPatients, nameof(Patients));
        ArgumentOutOfRangeException.ThrowIfLessThan(Days, 1, nameof(Days));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Days, MaxDays, nameof(Days));
        if (ResponseRate is < 0 or > 1 || double.IsNaN(ResponseRate))
        {
            throw new ArgumentOutOfRangeException(nameof(ResponseRate), ResponseRate, "the response rate is a share between 0 and 1");
        }
        if (Start.Year < 2000 || Start.AddDays(Days - 1).Year > 2099)
        {
            // Accessions carry a two-digit year.
            throw new ArgumentOutOfRangeException(nameof(Start), Start, "the archive must lie within the years 2000-2099");
        }
    }
}
