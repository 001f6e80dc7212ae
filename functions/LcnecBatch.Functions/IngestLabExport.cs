using LcnecBatch.Azure;
using Microsoft.Azure.Functions.Worker;

namespace LcnecBatch.Functions;

/// <summary>Each blob of a nightly batch, as it lands in <c>lab-exports</c>.</summary>
public sealed class IngestLabExport(LabExportIngestion ingestion)
{
    [Function(nameof(IngestLabExport))]
    public Task Run(
        [BlobTrigger("lab-exports/{name}", Connection = "LabExportsStorage")] Stream blob,
        string name,
        CancellationToken cancellationToken) =>
        ingestion.IngestAsync(name, blob, cancellationToken);
}
