using System.ComponentModel.DataAnnotations;

namespace LcnecBatch.Azure;

/// <summary>The tables of the batch state (infra/modules/storage.bicep creates them), bound from <c>StateTables</c>.</summary>
public sealed class StateTableOptions
{
    public const string SectionName = "StateTables";

    /// <summary>Patient facts: partition = patient pseudonym, row = event id.</summary>
    [Required]
    public string TimelineEvents { get; set; } = "timelineevents";

    /// <summary>Per batch, each file ingested and each patient it touched; the batch index; the screening lease.</summary>
    [Required]
    public string IngestionLedger { get; set; } = "ingestionledger";

    /// <summary>Per patient, the alert records, the unsent alert messages and where screening has got to.</summary>
    [Required]
    public string AlertLedger { get; set; } = "alertledger";

    /// <summary>Raw NGS files by accession pseudonym, until a row names the accession's patient.</summary>
    [Required]
    public string PendingRawFiles { get; set; } = "pendingrawfiles";

    /// <summary>Create missing tables on first use (Azurite, a new account); the deployment creates them in Azure.</summary>
    public bool CreateIfNotExists { get; set; } = true;

    /// <summary>How many partitions are written or patients screened at once.</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 8;

    /// <summary>How long a screening run holds the lease before another may take over (renewed between batches).</summary>
    [Range(typeof(TimeSpan), "00:00:30", "01:00:00")]
    public TimeSpan ScreeningLease { get; set; } = TimeSpan.FromMinutes(10);
}
