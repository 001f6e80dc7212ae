using System.Text.Json;
using System.Text.RegularExpressions;

namespace LcnecBatch.Infra.Tests;

/// <summary>The Functions app of the compiled template: Flex Consumption, and app settings that hold no secret.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed partial class FunctionAppTests(CompiledInfra infra)
{
    private const string AppInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The connection names the code uses; each must be identity-based.</summary>
    private static readonly string[] ConnectionNames = ["AzureWebJobsStorage", "LabExportsStorage", "StateStorage", "ServiceBusConnection"];

    public static TheoryData<string> Connections => new(ConnectionNames);

    [Fact]
    public void AppSettings_CarryNoKeyNorConnectionString()
    {
        var settings = AppSettings();
        Assert.NotEmpty(settings);
        foreach (var (name, value) in settings)
        {
            Assert.False(ListFunction().IsMatch(value), $"{name} calls a list* function (keys): {value}");
            Assert.DoesNotContain("AccountKey=", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("SharedAccessKey", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("DefaultEndpointsProtocol", value, StringComparison.OrdinalIgnoreCase);
            if (name != AppInsightsConnectionString)
            {
                Assert.DoesNotContain("ConnectionString", value, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("CONNECTION_STRING", name, StringComparison.OrdinalIgnoreCase);
            }
        }
        // A bare connection name (AzureWebJobsStorage=...) would be a connection string.
        Assert.DoesNotContain(settings.Keys, ConnectionNames.Contains);
    }

    [Fact]
    public void AppSettings_ApplicationInsightsConnectionString_IsTheComponentsWithLocalAuthOffAndEntraAuth()
    {
        // The one "connection string" allowed: it names the component and its ingestion
        // endpoint, and with local auth off it cannot be used to write without an Entra token.
        var site = infra.Single("Microsoft.Web/sites");
        var value = RawSetting(site, AppInsightsConnectionString);
        var match = ReferenceProperty().Match(value);
        Assert.True(match.Success && match.Groups["property"].Value == "ConnectionString", value);
        Assert.Equal("Microsoft.Insights/components", site.Deployment.TypeOfSymbol(match.Groups["symbol"].Value));

        var component = infra.Single("Microsoft.Insights/components");
        Assert.True(component.Properties.GetProperty("DisableLocalAuth").GetBoolean());

        var authentication = AppSettings()["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"];
        Assert.StartsWith("format('Authorization=AAD;ClientId={0}', (reference('identity').clientId))", authentication);
    }

    [Theory]
    [MemberData(nameof(Connections))]
    public void AppSettings_Connection_UsesTheUserAssignedIdentity(string connection)
    {
        var settings = AppSettings();
        Assert.Equal("managedidentity", settings[$"{connection}__credential"]);
        Assert.Equal("(reference('identity').clientId)", settings[$"{connection}__clientId"]);
        Assert.Contains(settings.Keys, name => name.StartsWith(connection + "__", StringComparison.Ordinal)
            && (name.EndsWith("ServiceUri", StringComparison.OrdinalIgnoreCase) || name.EndsWith("__fullyQualifiedNamespace", StringComparison.Ordinal)));
    }

    [Fact]
    public void AppSettings_BlobTriggerConnection_HasBlobAndQueueEndpoints()
    {
        // The Event Grid blob trigger reads blobs and parks poison blobs in a queue of the same account.
        var settings = AppSettings();
        Assert.Contains("primaryEndpoints.blob", settings["LabExportsStorage__blobServiceUri"]);
        Assert.Contains("primaryEndpoints.queue", settings["LabExportsStorage__queueServiceUri"]);
        Assert.Contains("primaryEndpoints.table", settings["StateStorage__tableServiceUri"]);
    }

    [Fact]
    public void AppSettings_PseudonymKey_IsAKeyVaultReferenceResolvedWithTheIdentity()
    {
        var site = infra.Single("Microsoft.Web/sites");
        Assert.StartsWith("format('@Microsoft.KeyVault(SecretUri={0})'", AppSettings()["Pseudonym__Key"]);
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", site.Resolve(site.Properties.GetProperty("keyVaultReferenceIdentity")));
    }

    [Fact]
    public void AppSettings_OnlyTheEventGridBlobTriggerRuns_TheSweepAndTheUnsentAlertsAreScheduled_AlertsGoToTheTopic()
    {
        // Flex Consumption has no polling blob trigger: IngestLabExport (Event Grid) runs, its polling twin is off.
        var settings = AppSettings();
        Assert.Equal("true", settings["AzureWebJobs.IngestLabExportPolling.Disabled"]);
        Assert.DoesNotContain("AzureWebJobs.IngestLabExport.Disabled", settings.Keys);
        Assert.Equal("0 30 2 * * *", settings["NightlySweepSchedule"]);
        Assert.Equal("0 */15 * * * *", settings["UnsentAlertsSchedule"]);
        Assert.Equal("0 */15 * * * *", settings["ExportWatchdogSchedule"]); // a late export is told within 15 minutes of its deadline
        Assert.Contains("topicName", settings["Alerts__EntityName"], StringComparison.Ordinal);
    }

    [Fact]
    public void FunctionApp_RunsDotnetIsolated10OnFlexConsumption_DeployingWithTheIdentity()
    {
        var plan = infra.Single("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", plan.Json.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", plan.Json.GetProperty("sku").GetProperty("tier").GetString());

        var config = infra.Single("Microsoft.Web/sites").Properties.GetProperty("functionAppConfig");
        Assert.Equal("dotnet-isolated", config.GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("10.0", config.GetProperty("runtime").GetProperty("version").GetString());
        var authentication = config.GetProperty("deployment").GetProperty("storage").GetProperty("authentication");
        Assert.Equal("UserAssignedIdentity", authentication.GetProperty("type").GetString());
    }

    [Fact]
    public void Template_CallsNoListFunction()
    {
        // listKeys, listConnectionStrings, listAccountSas...: none anywhere, not only in app settings.
        var calls = ListFunction().Matches(infra.Text).Select(m => m.Value).ToList();
        Assert.True(calls.Count == 0, "list* calls: " + string.Join(", ", calls));
    }

    /// <summary>The site's app settings, each value resolved to where it comes from.</summary>
    private Dictionary<string, string> AppSettings()
    {
        var site = infra.Single("Microsoft.Web/sites");
        var appSettings = site.Properties.GetProperty("siteConfig").GetProperty("appSettings");
        Assert.True(appSettings.ValueKind == JsonValueKind.Array, "appSettings must be a literal array to be checked: " + appSettings.GetRawText());
        return appSettings.EnumerateArray().ToDictionary(
            s => s.GetProperty("name").GetString()!,
            s => site.Resolve(s.GetProperty("value")));
    }

    private static string RawSetting(ArmResource site, string name) =>
        site.Properties.GetProperty("siteConfig").GetProperty("appSettings").EnumerateArray()
            .Single(s => s.GetProperty("name").GetString() == name).GetProperty("value").GetString()!;

    [GeneratedRegex(@"\blist[A-Za-z]*\(", RegexOptions.IgnoreCase)]
    private static partial Regex ListFunction();

    [GeneratedRegex(@"^\[reference\('(?<symbol>[^']+)'\)\.(?<property>\w+)\]$")]
    private static partial Regex ReferenceProperty();
}
