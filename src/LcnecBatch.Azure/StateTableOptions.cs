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

    /// <summary>
    /// How long a screening run holds the lease before another may take over. The run renews it in the background
    /// every third of this while it works, so only a run that died (or cannot reach the table) loses it; a run whose
    /// renewal finds it taken stops. Seconds are for tests: production keeps minutes, so that a slow table call
    /// never outlasts it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "01:00:00")]
    public TimeSpan ScreeningLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How many more times the sweep tries for a busy lease before it fails for the host's retry.</summary>
    [Range(0, 10)]
    public int LeaseBusyRetries { get; set; } = 3;

    /// <summary>How long the sweep waits before each of those tries.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan LeaseBusyDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The sweep leaves an incomplete batch (no manifest, or a listed file missing) alone until its first file
    /// arrived this long ago (by the ingestion ledger's clock), so that it never screens a night's export half
    /// delivered. A complete batch is screened at once, whatever its age.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "2.00:00:00")]
    public TimeSpan MinimumBatchAge { get; set; } = TimeSpan.FromHours(2);
}
