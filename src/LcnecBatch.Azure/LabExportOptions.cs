using System.ComponentModel.DataAnnotations;

namespace LcnecBatch.Azure;

/// <summary>Where the lab's nightly batches arrive and where unreadable files are copied, bound from <c>LabExports</c>.</summary>
public sealed class LabExportOptions
{
    public const string SectionName = "LabExports";

    /// <summary>The container the blob trigger watches (its path in <c>IngestLabExport</c> names the same one).</summary>
    [Required]
    public string Container { get; set; } = "lab-exports";

    /// <summary>Unreadable files are copied here under their own name, beside a <c>{name}.error.json</c> sidecar.</summary>
    [Required]
    public string QuarantineContainer { get; set; } = "lab-exports-quarantine";

    /// <summary>Where Event Grid writes the deliveries it gave up on (the subscription's dead-letter destination); the sweep drains it.</summary>
    [Required]
    public string DeadLetterContainer { get; set; } = "lab-exports-deadletter";

    /// <summary>Where the Functions blob extension puts a blob whose invocations failed <c>poisonBlobThreshold</c> times; the sweep retries them.</summary>
    [Required]
    public string PoisonQueue { get; set; } = "webjobs-blobtrigger-poison";

    /// <summary>
    /// The connection setting of the storage account holding <see cref="PoisonQueue"/>: the extension writes it in the
    /// account of the triggering blob (the trigger's <c>LabExportsStorage</c>), and in the host's
    /// <c>AzureWebJobsStorage</c> only when that account has no queue service.
    /// </summary>
    [Required]
    public string PoisonQueueConnection { get; set; } = ServiceCollectionExtensions.StorageConnectionName;

    /// <summary>How many days back the sweep lists batch folders, from today and from the latest batch date.</summary>
    [Range(0, 366)]
    public int ReconcileDays { get; set; } = 7;

    /// <summary>
    /// The days of the week the lab exports a batch (empty: no schedule known). With a schedule, a batch completed
    /// on delivery is screened at once only when every export day of the <see cref="InOrderDays"/> before it (from
    /// <see cref="ExportsSince"/> on) has its batch in: a batch arriving after later ones would otherwise have its
    /// facts walked from a day the later batches' screening already passed. A batch that never comes holds the
    /// later ones back until the nightly sweep, which screens what it has.
    /// </summary>
    public IList<DayOfWeek> ExportDays { get; } = [];

    /// <summary>The first batch date this deployment receives (the schedule is not looked at before it); none: the earliest batch the ledger knows.</summary>
    public DateOnly? ExportsSince { get; set; }

    /// <summary>How many days before a completed batch the schedule is checked for batches not yet in.</summary>
    [Range(1, 31)]
    public int InOrderDays { get; set; } = 7;
}
