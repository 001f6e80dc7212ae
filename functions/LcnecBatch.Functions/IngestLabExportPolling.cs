using LcnecBatch.Azure;
using Microsoft.Azure.Functions.Worker;

namespace LcnecBatch.Functions;

/// <summary>
/// The same ingestion as <see cref="IngestLabExport"/>, found by the host scanning the container: for Azurite and
/// plans that support it (not Flex Consumption, where the deployment disables it with
/// <c>AzureWebJobs.IngestLabExportPolling.Disabled</c>).
/// </summary>
public sealed class IngestLabExportPolling(LabExportIngestion ingestion)
{
    [Function(nameof(IngestLabExportPolling))]
    public Task Run(
        [BlobTrigger("lab-exports/{name}", Connection = "LabExportsStorage")] Stream blob,
        string name,
        CancellationToken cancellationToken) =>
        ingestion.IngestAsync(name, blob, cancellationToken);
}
