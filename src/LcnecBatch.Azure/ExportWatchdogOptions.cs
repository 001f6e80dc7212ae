using System.ComponentModel.DataAnnotations;

namespace LcnecBatch.Azure;

/// <summary>
/// When the lab's nightly export is due and what counts as a bad night, bound from <c>ExportWatchdog</c>. The days of
/// the week the lab exports are <see cref="LabExportOptions.ExportDays"/> (empty: every day), the first date it does
/// <see cref="LabExportOptions.ExportsSince"/>.
/// </summary>
public sealed class ExportWatchdogOptions : IValidatableObject
{
    public const string SectionName = "ExportWatchdog";

    /// <summary>Off: no operations messages, and health never calls the export late.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The lab's time zone (IANA id, e.g. <c>Europe/Berlin</c>): the deadline is its local time, summer or winter.</summary>
    [Required]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The local time by which the batch of a date must be complete, on <see cref="DeadlineDays"/> after that date.</summary>
    public TimeOnly Deadline { get; set; } = new(7, 0);

    /// <summary>How many days after its batch date a batch is due (1: the night's export is due the next morning).</summary>
    [Range(0, 7)]
    public int DeadlineDays { get; set; } = 1;

    /// <summary>Batch dates the lab does not export (public holidays), though they fall on an export day.</summary>
    public IList<DateOnly> Holidays { get; } = [];

    /// <summary>A batch whose rejected rows are more than this share of its rows read is reported (0.05 = 5 %).</summary>
    [Range(0.0, 1.0)]
    public double RejectedRowShare { get; set; } = 0.05;

    /// <summary>How many batch dates back each check looks (a night missed while the app was down is still reported).</summary>
    [Range(1, 31)]
    public int LookbackDays { get; set; } = 7;

    /// <summary>Health is unhealthy when an alert event has waited unsent longer than this.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan StuckSendingAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The time zone, found by its IANA id.</summary>
    public TimeZoneInfo Zone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone ?? "", out _))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(TimeZone)} is not a known time zone id (IANA, e.g. Europe/Berlin)", [nameof(TimeZone)]);
        }
    }
}
