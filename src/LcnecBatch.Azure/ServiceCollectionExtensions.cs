using Azure.Identity;
using LcnecBatch.Core.Screening;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LcnecBatch.Azure;

public static class ServiceCollectionExtensions
{
    /// <summary>The connection setting of the lab-exports storage account: a connection string, or <c>LabExportsStorage__serviceUri</c> with an identity.</summary>
    public const string StorageConnectionName = "LabExportsStorage";

    /// <summary>
    /// Everything the Functions app needs: screening options (validated on start), the storage client, the
    /// batch state, the alert sink and the per-blob ingestion.
    /// </summary>
    public static IServiceCollection AddLcnecBatch(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ScreeningOptions>()
            .Bind(configuration.GetSection(ScreeningOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<LabExportOptions>()
            .Bind(configuration.GetSection(LabExportOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddAzureClients(clients =>
        {
            clients.AddBlobServiceClient(configuration.GetSection(StorageConnectionName));
            clients.UseCredential(new DefaultAzureCredential());
        });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IBatchState, InMemoryBatchState>();
        services.TryAddSingleton<IAlertSink, InMemoryAlertSink>();
        services.TryAddSingleton<LabExportIngestion>();
        return services;
    }
}
