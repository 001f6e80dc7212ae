namespace LcnecBatch.Core.Synthetic;

/// <summary>
/// When LCNEC is diagnosed in a long archive, and which planned story each diagnosis gets (issue 19). Diagnoses
/// follow a steady incidence with a winter peak and month-to-month noise drawn from the seed; each patient takes one
/// stratum of that distribution, so counts per quarter stay near the steady rate. Advanced LCNEC is tested for ALK,
/// and by reflex IHC, more often as the archive goes on (<see cref="TestingPractice"/>).
/// </summary>
internal static class LcnecIncidence
{
    /// <summary>Relative height of the winter peak (January) over the summer trough.</summary>
    private const double Seasonal = 0.15;

    /// <summary>Month-to-month noise around the seasonal curve, as a share either way.</summary>
    private const double MonthNoise = 0.1;

    /// <summary>A reflex ALK IHC is ordered with the diagnostic panel: at most this many days after sign-out.</summary>
    private const int ReflexDays = 3;

    private static readonly LcnecScenario[] Untested = [.. LcnecScenarios.Table.Where(s => IsAdvancedAffirmed(s) && s.AlkIhc is null && s.Molecular is null)];

    private static readonly LcnecScenario[] Reflex = [.. LcnecScenarios.Table.Where(s => IsAdvancedAffirmed(s) && s.AlkIhc is { AfterDiagnosis: <= ReflexDays })];

    private static readonly LcnecScenario[] OnRequest = [.. LcnecScenarios.Table.Where(s => IsAdvancedAffirmed(s) && !Untested.Contains(s) && !Reflex.Contains(s))];

    /// <summary>Whether <paramref name="days"/> batches make a long archive.</summary>
    public static bool Applies(int days) => days >= GeneratorOptions.SpreadFromDays;

    /// <summary><paramref name="count"/> diagnosis days (offsets from the start), ascending.</summary>
    public static int[] DiagnosisDays(ArchiveBuilder b, int count)
    {
        var start = b.Options.Start;
        var days = b.Options.Days;
        var noise = new Dictionary<(int, int), double>();
        var cumulative = new double[days];
        var total = 0.0;
        for (var d = 0; d < days; d++)
        {
            var date = start.AddDays(d);
            if (!noise.TryGetValue((date.Year, date.Month), out var month))
            {
                month = 1 + (MonthNoise * ((2 * b.NextDouble()) - 1));
                noise[(date.Year, date.Month)] = month;
            }
            total += (1 + (Seasonal * Math.Cos(2 * Math.PI * (date.DayOfYear - 15) / 365.25))) * month;
            cumulative[d] = total;
        }
        var result = new int[count];
        for (var i = 0; i < count; i++)
        {
            var u = (i + b.NextDouble()) / count * total;
            var at = Array.BinarySearch(cumulative, u);
            result[i] = Math.Min(at >= 0 ? at : ~at, days - 1);
        }
        return result;
    }

    /// <summary>
    /// The story of an LCNEC patient diagnosed on <paramref name="day"/>: an advanced, affirmed slot of the cycle is
    /// drawn again as untested, tested by reflex IHC or tested on request, by the practice of that time.
    /// </summary>
    public static LcnecScenario Choose(ArchiveBuilder b, LcnecScenario planned, int day)
    {
        var scenario = planned;
        if (IsAdvancedAffirmed(planned))
        {
            var t = b.Options.Days > 1 ? day / (double)(b.Options.Days - 1) : 0;
            var practice = b.Options.Practice;
            scenario = !b.Chance(practice.Tested(t)) ? b.Pick(Untested) : b.Chance(practice.Reflex(t)) ? b.Pick(Reflex) : b.Pick(OnRequest);
        }
        return scenario with { DiagnosisDay = day };
    }

    private static bool IsAdvancedAffirmed(LcnecScenario s) => s.Label == LcnecLabel.Affirmed && s.Advanced;
}
