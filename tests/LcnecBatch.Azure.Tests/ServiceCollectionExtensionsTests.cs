using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using LcnecBatch.Core.Screening;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LcnecBatch.Azure.Tests;

public sealed class ServiceCollectionExtensionsTests
{
    private const string Key = "a-pseudonym-key-of-at-least-32-characters";

    /// <summary>The settings of a local run: every connection a connection string.</summary>
    private static readonly (string, string)[] Local =
    [
        ("LabExportsStorage", "UseDevelopmentStorage=true"),
        ("StateStorage", "UseDevelopmentStorage=true"),
        ("ServiceBusConnection", "Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;"),
        ("Pseudonym:Key", Key),
    ];

    /// <summary>The settings infra/modules/functionapp.bicep gives the app: endpoints and an identity, no key.</summary>
    private static readonly (string, string)[] Deployed =
    [
        ("LabExportsStorage:serviceUri", "https://lablcnec.blob.core.windows.net"),
        ("LabExportsStorage:credential", "managedidentity"),
        ("LabExportsStorage:clientId", "00000000-0000-0000-0000-000000000001"),
        ("StateStorage:tableServiceUri", "https://lablcnec.table.core.windows.net"),
        ("StateStorage:credential", "managedidentity"),
        ("StateStorage:clientId", "00000000-0000-0000-0000-000000000001"),
        ("ServiceBusConnection:fullyQualifiedNamespace", "lcnec-sb.servicebus.windows.net"),
        ("ServiceBusConnection:credential", "managedidentity"),
        ("ServiceBusConnection:clientId", "00000000-0000-0000-0000-000000000001"),
        ("Pseudonym:Key", Key),
    ];

    private static ServiceProvider Services(params (string Key, string Value)[] settings) =>
        new ServiceCollection()
            .AddLogging()
            .AddLcnecBatch(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build())
            .BuildServiceProvider(validateScopes: true);

    [Fact]
    public async Task AddLcnecBatch_ConnectionStrings_ConnectToThoseAccountsAndNamespace()
    {
        await using var services = Services(Local);

        var blobs = services.GetRequiredService<BlobServiceClient>();
        var tables = services.GetRequiredService<TableServiceClient>();
        var serviceBus = services.GetRequiredService<ServiceBusClient>();

        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), blobs.Uri);
        Assert.True(blobs.CanGenerateAccountSasUri);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), tables.Uri);
        Assert.Equal("localhost", serviceBus.FullyQualifiedNamespace);
    }

    [Fact]
    public async Task AddLcnecBatch_DeployedSettings_ConnectWithTheIdentityInsteadOfAKey()
    {
        await using var services = Services(Deployed);

        var blobs = services.GetRequiredService<BlobServiceClient>();
        var tables = services.GetRequiredService<TableServiceClient>();
        var serviceBus = services.GetRequiredService<ServiceBusClient>();

        Assert.Equal("lablcnec", blobs.AccountName);
        Assert.False(blobs.CanGenerateAccountSasUri);
        Assert.Equal(new Uri("https://lablcnec.table.core.windows.net"), tables.Uri);
        Assert.Equal("lablcnec", tables.AccountName);
        Assert.Equal("lcnec-sb.servicebus.windows.net", serviceBus.FullyQualifiedNamespace);
        Assert.IsType<ServiceBusAlertSink>(services.GetRequiredService<IAlertSink>());
    }

    [Fact]
    public async Task AddLcnecBatch_PoisonQueue_IsInTheTriggersAccount_ByDefault_OrInTheOneNamed()
    {
        await using var local = Services(Local);
        await using var deployed = Services(Deployed);
        await using var queueEndpoint = Services([.. Deployed, ("LabExportsStorage:queueServiceUri", "https://labq.queue.core.windows.net")]);
        await using var hostAccount = Services([.. Local, ("LabExports:PoisonQueueConnection", "AzureWebJobsStorage"), ("AzureWebJobsStorage", "UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://host.example")]);

        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), local.GetRequiredService<QueueServiceClient>().Uri);
        Assert.Equal(new Uri("https://lablcnec.queue.core.windows.net"), deployed.GetRequiredService<QueueServiceClient>().Uri);
        Assert.Equal(new Uri("https://labq.queue.core.windows.net"), queueEndpoint.GetRequiredService<QueueServiceClient>().Uri);
        Assert.Equal("host.example", hostAccount.GetRequiredService<QueueServiceClient>().Uri.Host);
        Assert.NotNull(local.GetRequiredService<LabExportReconciliation>());
        var options = local.GetRequiredService<IOptions<LabExportOptions>>().Value;
        Assert.Equal(("lab-exports-deadletter", "webjobs-blobtrigger-poison", 7), (options.DeadLetterContainer, options.PoisonQueue, options.ReconcileDays));
    }

    [Fact]
    public async Task AddLcnecBatch_NoOtherSettings_UsesTheSpecDefaults_AndResolvesEveryPart()
    {
        await using var services = Services(Local);

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.NotNull(services.GetRequiredService<LabExportIngestion>());
        Assert.NotNull(services.GetRequiredService<BatchScreening>());
        Assert.NotNull(services.GetRequiredService<HealthProbe>());
        Assert.Same(TimeProvider.System, services.GetRequiredService<TimeProvider>());
        Assert.IsType<TableBatchState>(services.GetRequiredService<IBatchState>());
        Assert.IsType<ServiceBusAlertSink>(services.GetRequiredService<IAlertSink>());
        Assert.Equal("lab-exports", services.GetRequiredService<IOptions<LabExportOptions>>().Value.Container);
        Assert.Equal("lab-exports-quarantine", services.GetRequiredService<IOptions<LabExportOptions>>().Value.QuarantineContainer);
        Assert.Equal("care-team-alerts", services.GetRequiredService<IOptions<AlertTopicOptions>>().Value.EntityName);
        var tables = services.GetRequiredService<IOptions<StateTableOptions>>().Value;
        Assert.Equal(["timelineevents", "ingestionledger", "alertledger", "pendingrawfiles"], [tables.TimelineEvents, tables.IngestionLedger, tables.AlertLedger, tables.PendingRawFiles]);
        Assert.Equal(14, services.GetRequiredService<IOptions<ScreeningOptions>>().Value.TestingGraceDays);
    }

    [Fact]
    public async Task AddLcnecBatch_ScreeningSection_IsBound()
    {
        await using var services = Services([.. Local, ("Screening:TestingGraceDays", "21")]);

        Assert.Equal(21, services.GetRequiredService<IOptions<ScreeningOptions>>().Value.TestingGraceDays);
    }

    [Fact]
    public async Task AddLcnecBatch_InvalidScreeningOptions_FailOnStart_NamingTheSetting()
    {
        await using var services = Services([.. Local, ("Screening:ReminderDays", "0")]);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Screening:ReminderDays must be between 1 and 3653 days, not 0", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("too-short")]
    public async Task AddLcnecBatch_NoUsablePseudonymKey_FailsOnStart(string? key)
    {
        await using var services = Services([.. Local.Where(s => s.Item1 != "Pseudonym:Key"), .. key is null ? Array.Empty<(string, string)>() : [("Pseudonym:Key", key)]]);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddLcnecBatch_NoStateStorage_SaysWhichSettingIsMissing()
    {
        await using var services = Services([.. Local.Where(s => s.Item1 != "StateStorage")]);

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<TableServiceClient>());

        Assert.Contains("StateStorage__tableServiceUri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pseudonym_IsTheKeyedHmacOfTheMrn_NotTheMrn()
    {
        await using var services = Services(Local);
        var pseudonym = services.GetRequiredService<PatientPseudonym>();

        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("a-pseudonym-key-of-at-least-32-characters"u8, "100234"u8))[..32];

        Assert.Equal(expected, pseudonym.Of("100234"));
        Assert.NotEqual(pseudonym.Of("100234"), pseudonym.OfAccession("100234"));
    }
}
