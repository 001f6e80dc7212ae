namespace LcnecBatch.Core.Synthetic;

/// <summary>
/// What <c>lcnec generate</c> writes: how many patients, over how many nightly batches from which date, and
/// the seed that makes the archive reproducible byte for byte.
/// </summary>
public sealed record GeneratorOptions
{
    public const int MaxPatients = 100_000;
    public const int MaxDays = 7_305; // 20 years (issue 19)

    public int Patients { get; init; } = 300;

    public int Days { get; init; } = 30;

    public DateOnly Start { get; init; } = new(2026, 10, 1);

    public int Seed { get; init; } = 42;

    /// <summary>
    /// How many patients have LCNEC; null for the usual share (about 1 in 12). Fixed, it lets a benchmark add patients
    /// without LCNEC alone (issue 19: the audit's memory should grow with LCNEC patients, not with all patients).
    /// </summary>
    public int? LcnecPatients { get; init; }

    /// <summary>
    /// The share of expected alerts the care team answers (issue 17), drawn per alert; 0 writes no <c>responses/</c>
    /// (<c>lcnec generate --no-responses</c>). An answer that would come after its alert resolved is not written.
    /// </summary>
    public double ResponseRate { get; init; } = 0.7;

    /// <summary>
    /// How ALK testing of advanced LCNEC improves over a long archive (issue 19); used only when the archive spans at
    /// least <see cref="SpreadFromDays"/> days.
    /// </summary>
    public TestingPractice Practice { get; init; } = new();

    /// <summary>
    /// From this many days on, LCNEC diagnoses are spread over the whole archive at a steady, seasonal incidence and
    /// <see cref="Practice"/> applies; shorter archives keep each scenario's planned day (every rule shows in 30 days).
    /// </summary>
    public const int SpreadFromDays = 180;

    /// <summary>The last batch date of the archive.</summary>
    public DateOnly End => Start.AddDays(Days - 1);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a value cannot give an archive.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Patients, 1, nameof(Patients));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Patients, MaxPatients, nameof(Patients));
        ArgumentOutOfRangeException.ThrowIfLessThan(Days, 1, nameof(Days));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Days, MaxDays, nameof(Days));
        if (LcnecPatients is { } lcnec && (lcnec < 1 || lcnec > Patients))
        {
            throw new ArgumentOutOfRangeException(nameof(LcnecPatients), lcnec, "the patients with LCNEC are at least 1 and at most --patients");
        }
        if (ResponseRate is < 0 or > 1 || double.IsNaN(ResponseRate))
        {
            throw new ArgumentOutOfRangeException(nameof(ResponseRate), ResponseRate, "the response rate is a share between 0 and 1");
        }
        Practice.Validate();
        if (Start.Year < 2000 || Start.AddDays(Days - 1).Year > 2099)
        {
            // Accessions carry a two-digit year.
            throw new ArgumentOutOfRangeException(nameof(Start), Start, "the archive must lie within the years 2000-2099");
        }
    }
}

/// <summary>
/// The share of advanced LCNEC tested for ALK, and of those tested the share with a reflex ALK IHC ordered with the
/// neuroendocrine panel (within three days of sign-out) rather than on request later, each rising in a straight line
/// from the first day of the archive to its last. The defaults are illustrative of a laboratory that brings in reflex ALK
/// IHC for LCNEC over the years: under half of advanced cases tested at first, most by the end.
/// </summary>
public sealed record TestingPractice
{
    /// <summary>Share of advanced LCNEC tested for ALK when diagnosed on the first day.</summary>
    public double TestedFirst { get; init; } = 0.4;

    /// <summary>Share of advanced LCNEC tested for ALK when diagnosed on the last day.</summary>
    public double TestedLast { get; init; } = 0.85;

    /// <summary>Of the tested, the share with a reflex ALK IHC, on the first day.</summary>
    public double ReflexFirst { get; init; } = 0.25;

    /// <summary>Of the tested, the share with a reflex ALK IHC, on the last day.</summary>
    public double ReflexLast { get; init; } = 0.75;

    /// <summary>The tested share at <paramref name="t"/>, the fraction of the archive elapsed (0 to 1).</summary>
    public double Tested(double t) => TestedFirst + ((TestedLast - TestedFirst) * t);

    /// <summary>The reflex share of the tested at <paramref name="t"/>.</summary>
    public double Reflex(double t) => ReflexFirst + ((ReflexLast - ReflexFirst) * t);

    internal void Validate()
    {
        foreach (var (name, value) in new[] { (nameof(TestedFirst), TestedFirst), (nameof(TestedLast), TestedLast), (nameof(ReflexFirst), ReflexFirst), (nameof(ReflexLast), ReflexLast) })
        {
            if (value is < 0 or > 1 || double.IsNaN(value))
            {
                throw new ArgumentOutOfRangeException(name, value, "a testing share is between 0 and 1");
            }
        }
    }
}
