using System.ComponentModel.DataAnnotations;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Formats.Fusions;
using LcnecBatch.Core.Genomics;

namespace LcnecBatch.Core.Screening;

/// <summary>A feature that sends an IHC-negative advanced LCNEC to molecular testing anyway.</summary>
public enum HighPriorFeature { NeverSmoker, Female, Young }

/// <summary>
/// Every window and threshold of screening.md in one place, bound from the <c>Screening</c> configuration
/// section, with the spec's defaults.
/// </summary>
public sealed class ScreeningOptions : IValidatableObject
{
    public const string SectionName = "Screening";

    /// <summary>An ALK test up to this many days before diagnosis counts (default 90).</summary>
    public int LookbackDays { get; set; } = 90;

    /// <summary>Days after diagnosis before a missing ALK test is alerted (default 14).</summary>
    public int TestingGraceDays { get; set; } = 14;

    /// <summary>Days after an ALK IHC result before a missing molecular confirmation is alerted (default 14).</summary>
    public int ConfirmationGraceDays { get; set; } = 14;

    /// <summary>Days after a raw NGS file arrives before an unreported fusion is alerted (default 7).</summary>
    public int ReportGraceDays { get; set; } = 7;

    /// <summary>Days between reminders of an open high-severity alert (default 30).</summary>
    public int ReminderDays { get; set; } = 30;

    /// <summary>Days between reminders of an alert the care team acknowledged, counted from the acknowledgement (default 90).</summary>
    public int AcknowledgedReminderDays { get; set; } = 90;

    /// <summary>Reminders of one alert per cycle before its one escalation, after which it is silent until it reopens (default 3).</summary>
    public int MaxReminders { get; set; } = 3;

    /// <summary>The most reminders a cycle may be set to have: one a day for the longest window, so a lab can keep reminding without end.</summary>
    public const int MaxMaxReminders = MaxWindowDays;

    /// <summary>The ledger's cadence from these options.</summary>
    public AlertCadence Cadence => new(ReminderDays, AcknowledgedReminderDays, MaxReminders);

    /// <summary>Age at diagnosis under which a patient is "young" (default 60).</summary>
    public int YoungAgeYears { get; set; } = 60;

    /// <summary>Which features count as high-prior (default: all three).</summary>
    public HashSet<HighPriorFeature> HighPriorFeatures { get; set; } = [HighPriorFeature.NeverSmoker, HighPriorFeature.Female, HighPriorFeature.Young];

    /// <summary>Whether an LCNEC with no stage information at all is treated as advanced (default false).</summary>
    public bool UnknownStageIsAdvanced { get; set; }

    /// <summary>
    /// Whether a negative ALK IHC whose clone is missing or not one of D5F3, 5A4 or ALK1 counts as an ALK test (default
    /// true: lung ALK IHC is D5F3 or 5A4 almost everywhere, and an empty clone cell is a gap in the export more often
    /// than an ALK1 stain). A lab that knows its exports name every clone sets it false.
    /// </summary>
    public bool UnknownAlkCloneCountsAsTest { get; set; } = true;

    /// <summary>
    /// <c>ALK_IHC_DISCORDANT</c> pairs an IHC with a molecular result of the same accession, or of another accession
    /// resulted within this many days of it (default 14: a send-out of the same block under its own accession). 0: same
    /// accession only.
    /// </summary>
    public int DiscordancePairingDays { get; set; } = 14;

    /// <summary>How raw NGS files are read (<c>Screening:Ngs</c>): which calls pass, and which build to assume.</summary>
    public NgsScreeningOptions Ngs { get; set; } = new();

    /// <summary>The longest window any option may set: ten years. Longer ones are mistakes, and overflow date arithmetic.</summary>
    public const int MaxWindowDays = 3653;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[]
        {
            (nameof(LookbackDays), LookbackDays), (nameof(TestingGraceDays), TestingGraceDays),
            (nameof(ConfirmationGraceDays), ConfirmationGraceDays), (nameof(ReportGraceDays), ReportGraceDays),
            (nameof(DiscordancePairingDays), DiscordancePairingDays),
        })
        {
            if (value is < 0 or > MaxWindowDays)
            {
                yield return new ValidationResult($"Screening:{name} must be between 0 and {MaxWindowDays} days, not {value}", [name]);
            }
        }
        if (ReminderDays is < 1 or > MaxWindowDays)
        {
            yield return new ValidationResult($"Screening:{nameof(ReminderDays)} must be between 1 and {MaxWindowDays} days, not {ReminderDays}", [nameof(ReminderDays)]);
        }
        if (AcknowledgedReminderDays is < 1 or > MaxWindowDays)
        {
            yield return new ValidationResult($"Screening:{nameof(AcknowledgedReminderDays)} must be between 1 and {MaxWindowDays} days, not {AcknowledgedReminderDays}", [nameof(AcknowledgedReminderDays)]);
        }
        if (MaxReminders is < 0 or > MaxMaxReminders)
        {
            yield return new ValidationResult($"Screening:{nameof(MaxReminders)} must be between 0 and {MaxMaxReminders}, not {MaxReminders}", [nameof(MaxReminders)]);
        }
        if (YoungAgeYears is < 1 or > 130)
        {
            yield return new ValidationResult($"Screening:{nameof(YoungAgeYears)} must be between 1 and 130, not {YoungAgeYears}", [nameof(YoungAgeYears)]);
        }
        if (Ngs is null || !double.IsFinite(Ngs.StarFusionMinimumFfpm) || Ngs.StarFusionMinimumFfpm < 0)
        {
            yield return new ValidationResult($"Screening:Ngs:{nameof(NgsScreeningOptions.StarFusionMinimumFfpm)} must be zero or more, not {Ngs?.StarFusionMinimumFfpm}", [nameof(Ngs)]);
        }
        if (HighPriorFeatures is null || HighPriorFeatures.Count == 0)
        {
            yield return new ValidationResult($"Screening:{nameof(HighPriorFeatures)} must name at least one of NeverSmoker, Female, Young", [nameof(HighPriorFeatures)]);
        }
    }

    /// <summary>Throws with every problem in one message; called at start by the CLI and the Functions host.</summary>
    public ScreeningOptions Validated()
    {
        var problems = Validate(new ValidationContext(this)).Select(r => r.ErrorMessage).ToList();
        return problems.Count == 0 ? this : throw new ArgumentException("invalid screening options: " + string.Join("; ", problems));
    }
}

/// <summary>
/// The raw-file settings a lab may change: a fusion call that passes these is one <c>ALK_FUSION_UNREPORTED</c> acts
/// on. They apply when a file is ingested: a file already ingested keeps the calls it was read with.
/// </summary>
public sealed class NgsScreeningOptions
{
    /// <summary>The build to assume for every file, when the lab's pipeline is known; null: read it from each file.</summary>
    public GenomeBuild? GenomeBuild { get; set; }

    /// <summary>Arriba calls below this confidence are dropped (default medium: Arriba's <c>low</c> is mostly noise).</summary>
    public ArribaConfidence ArribaMinimumConfidence { get; set; } = NgsScanOptions.Default.ArribaMinimumConfidence;

    /// <summary>STAR-Fusion calls below this many fusion fragments per million reads are dropped (default 0.1).</summary>
    public double StarFusionMinimumFfpm { get; set; } = NgsScanOptions.Default.StarFusionMinimumFfpm;

    public NgsScanOptions ToScanOptions() => new()
    {
        GenomeBuild = GenomeBuild,
        ArribaMinimumConfidence = ArribaMinimumConfidence,
        StarFusionMinimumFfpm = StarFusionMinimumFfpm,
    };
}
