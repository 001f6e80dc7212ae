namespace LcnecBatch.Core.Audit;

/// <summary>
/// How many day counts, their median and 90th percentile (linear between closest ranks, as numpy's default
/// and Excel's PERCENTILE.INC); the median and p90 are null when there is nothing to measure.
/// </summary>
public sealed record DayDistribution(int N, double? Median, double? P90)
{
    public static readonly DayDistribution Empty = new(0, null, null);

    public static DayDistribution Of(IEnumerable<int> days)
    {
        var sorted = days.Order().ToArray();
        return new DayDistribution(sorted.Length, Percentile(sorted, 0.5), Percentile(sorted, 0.9));
    }

    public static double? Percentile(IReadOnlyList<int> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return null;
        }
        // In decimal, so that the 90th percentile of whole days is not 8.500000000000005.
        var rank = (decimal)p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return (double)(sorted[low] + ((rank - low) * (sorted[high] - sorted[low])));
    }
}

/// <summary><see cref="Count"/> of the <see cref="Of"/> patients whose value is known.</summary>
public sealed record Proportion(int Count, int Of)
{
    public double? Percent => Of == 0 ? null : 100.0 * Count / Of;
}

/// <summary>Age at diagnosis in whole years over the <see cref="Of"/> patients whose birth date is known.</summary>
public sealed record AgeSummary(int Of, double? Median, double? Mean, int? Min, int? Max)
{
    public static AgeSummary FromAges(IEnumerable<int> ages)
    {
        var sorted = ages.Order().ToArray();
        return sorted.Length == 0
            ? new AgeSummary(0, null, null, null, null)
            : new AgeSummary(sorted.Length, DayDistribution.Percentile(sorted, 0.5), sorted.Average(), sorted[0], sorted[^1]);
    }
}

/// <summary>
/// The clinical "Table 2" of ALK-positive LCNEC (affirmed LCNEC with a molecularly confirmed ALK fusion),
/// computed from case-level data with its denominators, as clinical-basis.md asks.
/// </summary>
public sealed record AlkPositiveCharacteristics(
    int N,
    Proportion Female,
    Proportion NeverSmoker,
    Proportion StageIV,
    AgeSummary Age,
    IReadOnlyList<KeyValuePair<string, int>> Partners,
    IReadOnlyList<KeyValuePair<string, int>> Variants)
{
    public const string Unspecified = "unspecified";

    public static AlkPositiveCharacteristics Of(IReadOnlyCollection<AuditCase> positives)
    {
        ArgumentNullException.ThrowIfNull(positives);
        return new AlkPositiveCharacteristics(
            positives.Count,
            Known(positives, c => c.Sex is Events.Sex.Female or Events.Sex.Male, c => c.Sex == Events.Sex.Female),
            Known(positives, c => c.Smoking is Events.SmokingStatus.Never or Events.SmokingStatus.Former or Events.SmokingStatus.Current, c => c.Smoking == Events.SmokingStatus.Never),
            Known(positives, c => c.Stage is not null, c => c.Stage?.Level == 4),
            AgeSummary.FromAges(positives.Select(c => c.AgeAtDiagnosis).OfType<int>()),
            Tally(positives.Select(c => c.Partner ?? Unspecified)),
            Tally(positives.Where(c => c.Partner == "EML4").Select(c => c.Variant ?? Unspecified)));
    }

    private static Proportion Known(IEnumerable<AuditCase> cases, Func<AuditCase, bool> known, Func<AuditCase, bool> has)
    {
        var withValue = cases.Where(known).ToList();
        return new Proportion(withValue.Count(has), withValue.Count);
    }

    /// <summary>Most frequent first, then by name; "unspecified" last.</summary>
    internal static List<KeyValuePair<string, int>> Tally(IEnumerable<string> names) =>
        [.. names.GroupBy(n => n, StringComparer.Ordinal)
            .Select(g => KeyValuePair.Create(g.Key, g.Count()))
            .OrderBy(p => p.Key == Unspecified)
            .ThenByDescending(p => p.Value)
            .ThenBy(p => p.Key, StringComparer.Ordinal)];
}

/// <summary>LCNEC diagnosed in one calendar quarter, and how many had an ALK test by the end of the audit.</summary>
public sealed record QuarterCoverage(string Quarter, int Lcnec, int Advanced, int Tested, int AdvancedTested);

/// <summary>What one rule's alerts did inside the audit window.</summary>
public sealed record RuleActivity(string RuleId, int Raised, int Reopened, int Reminders, int Resolved, int OpenAtEnd, DayDistribution DaysToResolution)
{
    /// <summary>Alerts raised in the window, counting a resolved alert that came back as raised again.</summary>
    public int RaisedOrReopened => Raised + Reopened;
}

/// <summary>What was read: batches (and those before the window replayed only to carry state), files, rows.</summary>
public sealed record AuditInput(
    int Batches,
    int HistoryBatches,
    int Files,
    int RowsRead,
    int RowsAccepted,
    int RowsRejected,
    int FilesQuarantined,
    int MissingFromManifest)
{
    /// <summary>Files of a batch that no reader takes (not an input of the export format).</summary>
    public int FilesNotAnInput { get; init; }

    /// <summary>Folders named like a batch that are not a valid date.</summary>
    public int FoldersNotBatches { get; init; }
}

/// <summary>
/// Every figure of an audit (<c>audit.json</c> and <c>audit.html</c>). The cohort is the patients with affirmed
/// pulmonary LCNEC as of <see cref="To"/> whose diagnosis date falls in [<see cref="From"/>, <see cref="To"/>];
/// alert counts are the alert events dated inside the window, whoever they are about.
/// </summary>
public sealed record AuditFigures(
    DateOnly From,
    DateOnly To,
    AuditInput Input,
    int LcnecPatients,
    int AdvancedLcnecPatients,
    int UncertainLcnecPatients,
    int TestedForAlk,
    int AdvancedTestedForAlk,
    int AlkIhcPositive,
    int AlkIhcEquivocal,
    int AlkConfirmed,
    IReadOnlyList<RuleActivity> Rules,
    DayDistribution TimeToFirstAlkTestDays,
    DayDistribution TimeToConfirmationDays,
    IReadOnlyList<KeyValuePair<string, int>> TimeToFirstAlkTestBins,
    IReadOnlyList<QuarterCoverage> CoverageByQuarter,
    AlkPositiveCharacteristics AlkPositiveCharacteristics)
{
    /// <summary>The care team's answers to the alerts (issue 17).</summary>
    public ResponseActivity Responses { get; init; } = ResponseActivity.Empty;

    /// <summary>Rule id → alerts raised in the window (every rule of the screener, zero included).</summary>
    public IReadOnlyList<KeyValuePair<string, int>> AlertsByRule => [.. Rules.Select(r => KeyValuePair.Create(r.RuleId, r.RaisedOrReopened))];

    /// <summary>The bins of the time-to-first-test chart, in days from diagnosis; the last holds the untested.</summary>
    public static readonly IReadOnlyList<(string Label, int Max)> TestBins =
    [
        ("0 or less", 0), ("1-7", 7), ("8-14", 14), ("15-30", 30), ("31-90", 90), ("over 90", int.MaxValue),
    ];

    public const string NotTestedBin = "not tested";

    internal static AuditFigures Compute(DateOnly from, DateOnly to, AuditInput input, IReadOnlyList<AuditCase> cases, int uncertain, IReadOnlyList<RuleActivity> rules)
    {
        var tested = cases.Where(c => c.DaysToFirstAlkTest is not null).ToList();
        var bins = TestBins.Select(b => b.Label).Append(NotTestedBin).ToDictionary(b => b, _ => 0, StringComparer.Ordinal);
        foreach (var c in cases)
        {
            var label = c.DaysToFirstAlkTest is { } days ? TestBins.First(b => days <= b.Max).Label : NotTestedBin;
            bins[label]++;
        }
        return new AuditFigures(
            from,
            to,
            input,
            cases.Count,
            cases.Count(c => c.Advanced),
            uncertain,
            tested.Count,
            tested.Count(c => c.Advanced),
            cases.Count(c => c.AlkIhcPositive),
            cases.Count(c => c.AlkIhcEquivocal),
            cases.Count(c => c.AlkFusion),
            rules,
            DayDistribution.Of(tested.Select(c => c.DaysToFirstAlkTest!.Value)),
            DayDistribution.Of(cases.Select(c => c.DaysToConfirmation).OfType<int>()),
            [.. TestBins.Select(b => b.Label).Append(NotTestedBin).Select(b => KeyValuePair.Create(b, bins[b]))],
            Quarters(from, to, cases),
            AlkPositiveCharacteristics.Of([.. cases.Where(c => c.AlkFusion)]));
    }

    private static List<QuarterCoverage> Quarters(DateOnly from, DateOnly to, IReadOnlyList<AuditCase> cases)
    {
        var byQuarter = cases.ToLookup(c => QuarterOf(c.DiagnosisDate), StringComparer.Ordinal);
        var quarters = new List<QuarterCoverage>();
        for (var start = new DateOnly(from.Year, ((from.Month - 1) / 3 * 3) + 1, 1); start <= to; start = start.AddMonths(3))
        {
            var label = QuarterOf(start);
            var these = byQuarter[label].ToList();
            quarters.Add(new QuarterCoverage(
                label,
                these.Count,
                these.Count(c => c.Advanced),
                these.Count(c => c.DaysToFirstAlkTest is not null),
                these.Count(c => c.Advanced && c.DaysToFirstAlkTest is not null)));
        }
        return quarters;
    }

    public static string QuarterOf(DateOnly date) => $"{date.Year}-Q{((date.Month - 1) / 3) + 1}";
}
