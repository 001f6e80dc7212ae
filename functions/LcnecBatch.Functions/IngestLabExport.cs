using LcnecBatch.Azure;
using Microsoft.Azure.Functions.Worker;

namespace LcnecBatch.Functions;

/// <summary>
/// Each blob of a nightly batch, as it lands in <c>lab-exports</c>, announced by the storage account's Event Grid
/// BlobCreated events (infra/scripts/create-eventgrid-subscription.sh): the trigger of the Flex Consumption
/// deployment. Where Event Grid cannot reach the app (Azurite, a workstation), <see cref="IngestLabExportPolling"/>
/// runs instead; each app enables exactly one of the two (<c>AzureWebJobs.{name}.Disabled</c>).
/// </summary>
public sealed class IngestLabExport(LabExportIngestion ingestion)
{
    [Function(nameof(IngestLabExport))]
    public Task Run(
        [BlobTrigger("lab-exports/{name}", Source = BlobTriggerSource.EventGrid, Connection = "LabExportsStorage")] Stream blob,
        string name,
        CancellationToken cancellationToken) =>
        ingestion.IngestAsync(name, blob, cancellationToken);
}
