using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using LcnecBatch.Azure.CdsHooks;
using LcnecBatch.Azure.Telemetry;
using LcnecBatch.Core.Screening;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LcnecBatch.Azure;

public static class ServiceCollectionExtensions
{
    /// <summary>The lab-exports storage account: a connection string, or <c>LabExportsStorage__serviceUri</c> with an identity.</summary>
    public const string StorageConnectionName = "LabExportsStorage";

    /// <summary>The batch state tables: a connection string, or <c>StateStorage__tableServiceUri</c> with an identity.</summary>
    public const string StateConnectionName = "StateStorage";

    /// <summary>The alerts namespace: a connection string, or <c>ServiceBusConnection__fullyQualifiedNamespace</c> with an identity.</summary>
    public const string ServiceBusConnectionName = "ServiceBusConnection";

    /// <summary>
    /// Everything the Functions app needs: options (validated on start), the storage, table and Service Bus
    /// clients (identity-based settings use <see cref="DefaultAzureCredential"/>, which picks the deployment's
    /// identity by <c>AZURE_CLIENT_ID</c>), the Table Storage state, the Service Bus sink, ingestion, screening,
    /// the health probe and the CDS Hooks service. Registrations made before this call win (tests swap the sink).
    /// </summary>
    public static IServiceCollection AddLcnecBatch(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Bind<ScreeningOptions>(services, configuration, ScreeningOptions.SectionName);
        Bind<LabExportOptions>(services, configuration, LabExportOptions.SectionName);
        Bind<PseudonymOptions>(services, configuration, PseudonymOptions.SectionName);
        Bind<StateTableOptions>(services, configuration, StateTableOptions.SectionName);
        Bind<AlertTopicOptions>(services, configuration, AlertTopicOptions.SectionName);
        Bind<CdsHooksOptions>(services, configuration, CdsHooksOptions.SectionName);
        Bind<ExportWatchdogOptions>(services, configuration, ExportWatchdogOptions.SectionName);
        Bind<InboxOptions>(services, configuration, InboxOptions.SectionName);
        var state = configuration.GetSection(StateConnectionName);
        var serviceBus = configuration.GetSection(ServiceBusConnectionName);
        var poisonQueue = configuration.GetSection(configuration[$"{LabExportOptions.SectionName}:{nameof(LabExportOptions.PoisonQueueConnection)}"] ?? StorageConnectionName);
        services.AddAzureClients(clients =>
        {
            clients.AddBlobServiceClient(configuration.GetSection(StorageConnectionName));
            clients.AddClient<QueueServiceClient, QueueClientOptions>((options, credential, _) => CreateQueueServiceClient(poisonQueue, options, credential))
                .ConfigureOptions(poisonQueue);
            clients.AddClient<TableServiceClient, TableClientOptions>((options, credential, _) => CreateTableServiceClient(state, options, credential))
                .ConfigureOptions(state);
            clients.AddServiceBusClient(serviceBus).ConfigureOptions(serviceBus);
            clients.UseCredential(new DefaultAzureCredential());
        });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PipelineMetrics>();
        services.TryAddSingleton<PatientPseudonym>();
        services.TryAddSingleton<IBatchState, TableBatchState>();
        services.TryAddSingleton<IAlertSink, ServiceBusAlertSink>();
        services.TryAddSingleton<BatchScreening>();
        services.TryAddSingleton<LabExportIngestion>();
        services.TryAddSingleton<LabExportReconciliation>();
        services.TryAddSingleton<ExportWatchdog>();
        services.TryAddSingleton<HealthProbe>();
        services.TryAddSingleton<CdsHooksTable>();
        services.TryAddSingleton<CdsHooksAuthenticator>();
        services.TryAddSingleton<CdsHooksService>();
        services.TryAddSingleton<InboxResponses>();
        return services;
    }

    /// <summary>
    /// The account of the blob trigger's poison queue: a connection string as the section's value, else the
    /// Functions-style <c>queueServiceUri</c>, else the queue endpoint of the section's blob <c>serviceUri</c>
    /// (<c>https://{account}.blob.core.windows.net</c> → <c>https://{account}.queue.core.windows.net</c>), with the credential.
    /// </summary>
    private static QueueServiceClient CreateQueueServiceClient(IConfigurationSection section, QueueClientOptions options, TokenCredential credential)
    {
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return new QueueServiceClient(section.Value, options);
        }
        if (section["queueServiceUri"] is { } queueServiceUri)
        {
            return new QueueServiceClient(new Uri(queueServiceUri), credential, options);
        }
        var blobEndpoint = section["blobServiceUri"] ?? section["serviceUri"]
            ?? throw new InvalidOperationException($"{section.Path} is not set: give a connection string, or {section.Path}__queueServiceUri with an identity");
        var queue = new UriBuilder(blobEndpoint);
        queue.Host = queue.Host.Replace(".blob.", ".queue.", StringComparison.OrdinalIgnoreCase);
        return new QueueServiceClient(queue.Uri, credential, options);
    }

    private static void Bind<TOptions>(IServiceCollection services, IConfiguration configuration, string section) where TOptions : class =>
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();

    /// <summary>A connection string as the section's value, else the Functions-style <c>tableServiceUri</c> (or <c>serviceUri</c>, <c>endpoint</c>) with the credential.</summary>
    private static TableServiceClient CreateTableServiceClient(IConfigurationSection section, TableClientOptions options, TokenCredential credential)
    {
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return new TableServiceClient(section.Value, options);
        }
        var endpoint = section["tableServiceUri"] ?? section["serviceUri"] ?? section["endpoint"]
            ?? throw new InvalidOperationException($"{section.Path} is not set: give a connection string, or {section.Path}__tableServiceUri with an identity");
        return new TableServiceClient(new Uri(endpoint), credential, options);
    }
}
