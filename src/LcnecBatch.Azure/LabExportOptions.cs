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
}
