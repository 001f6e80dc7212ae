using Azure.Storage.Blobs;
using LcnecBatch.Core.Screening;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LcnecBatch.Azure.Tests;

public sealed class ServiceCollectionExtensionsTests
{
    private static ServiceProvider Services(params (string Key, string Value)[] settings) =>
        new ServiceCollection()
            .AddLogging()
            .AddLcnecBatch(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build())
            .BuildServiceProvider(validateScopes: true);

    [Fact]
    public void AddLcnecBatch_ConnectionStringSetting_ConnectsToThatAccount()
    {
        using var services = Services(("LabExportsStorage", "UseDevelopmentStorage=true"));

        var blobs = services.GetRequiredService<BlobServiceClient>();

        Assert.Equal("devstoreaccount1", blobs.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), blobs.Uri);
        Assert.True(blobs.CanGenerateAccountSasUri);
    }

    [Fact]
    public void AddLcnecBatch_ServiceUriSetting_ConnectsWithAnIdentityInsteadOfAKey()
    {
        using var services = Services(("LabExportsStorage:serviceUri", "https://lablcnec.blob.core.windows.net"));

        var blobs = services.GetRequiredService<BlobServiceClient>();

        Assert.Equal("lablcnec", blobs.AccountName);
        Assert.Equal(new Uri("https://lablcnec.blob.core.windows.net"), blobs.Uri);
        Assert.False(blobs.CanGenerateAccountSasUri);
    }

    [Fact]
    public void AddLcnecBatch_NoSettings_UsesTheSpecDefaults_AndResolvesTheIngestion()
    {
        using var services = Services(("LabExportsStorage", "UseDevelopmentStorage=true"));

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.NotNull(services.GetRequiredService<LabExportIngestion>());
        Assert.Same(TimeProvider.System, services.GetRequiredService<TimeProvider>());
        Assert.IsType<InMemoryBatchState>(services.GetRequiredService<IBatchState>());
        Assert.IsType<InMemoryAlertSink>(services.GetRequiredService<IAlertSink>());
        Assert.Equal("lab-exports", services.GetRequiredService<IOptions<LabExportOptions>>().Value.Container);
        Assert.Equal("lab-exports-quarantine", services.GetRequiredService<IOptions<LabExportOptions>>().Value.QuarantineContainer);
        Assert.Equal(14, services.GetRequiredService<IOptions<ScreeningOptions>>().Value.TestingGraceDays);
    }

    [Fact]
    public void AddLcnecBatch_ScreeningSection_IsBound()
    {
        using var services = Services(("LabExportsStorage", "UseDevelopmentStorage=true"), ("Screening:TestingGraceDays", "21"));

        Assert.Equal(21, services.GetRequiredService<IOptions<ScreeningOptions>>().Value.TestingGraceDays);
    }

    [Fact]
    public void AddLcnecBatch_InvalidScreeningOptions_FailOnStart_NamingTheSetting()
    {
        using var services = Services(("LabExportsStorage", "UseDevelopmentStorage=true"), ("Screening:ReminderDays", "0"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Screening:ReminderDays must be at least 1 day, not 0", error.Message, StringComparison.Ordinal);
    }
}
