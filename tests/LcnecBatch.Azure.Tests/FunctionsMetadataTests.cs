using System.Globalization;
using System.Text.Json;
using LcnecBatch.Azure.Tests.TestData;

namespace LcnecBatch.Azure.Tests;

/// <summary>
/// The host reads <c>functions.metadata</c>, which the worker SDK generates at build; no host runs here, so the
/// bindings it will use are checked in that file, from the same build configuration as this test.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly JsonElement Functions = JsonDocument.Parse(File.ReadAllBytes(MetadataPath())).RootElement.Clone();

    [Fact]
    public void Metadata_HasExactlyTheNineTriggers()
    {
        Assert.Equal(["AlertResponses", "CdsDiscovery", "CdsFeedback", "CdsPatientView", "ExportWatchdogCheck", "Health", "IngestLabExport", "IngestLabExportPolling", "NightlySweep", "SendUnsentAlerts"],
            Functions.EnumerateArray().Select(f => f.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void IngestLabExport_IsAnEventGridBlobTriggerOnLabExports_WithTheLabExportsStorageConnection()
    {
        var binding = Trigger("IngestLabExport", "LcnecBatch.Functions.IngestLabExport.Run");

        Assert.Equal("blobTrigger", binding.GetProperty("type").GetString());
        Assert.Equal("lab-exports/{name}", binding.GetProperty("path").GetString());
        Assert.Equal("EventGrid", binding.GetProperty("source").GetString());
        Assert.Equal("LabExportsStorage", binding.GetProperty("connection").GetString());
        Assert.Equal("blob", binding.GetProperty("name").GetString());
    }

    [Fact]
    public void IngestLabExportPolling_IsAPollingBlobTriggerOnTheSameContainerAndConnection()
    {
        var binding = Trigger("IngestLabExportPolling", "LcnecBatch.Functions.IngestLabExportPolling.Run");

        Assert.Equal("blobTrigger", binding.GetProperty("type").GetString());
        Assert.Equal("lab-exports/{name}", binding.GetProperty("path").GetString());
        Assert.False(binding.TryGetProperty("source", out _));
        Assert.Equal("LabExportsStorage", binding.GetProperty("connection").GetString());
    }

    [Fact]
    public void NightlySweep_IsATimerTriggerOnTheScheduleSetting()
    {
        var binding = Trigger("NightlySweep", "LcnecBatch.Functions.NightlySweep.Run");

        Assert.Equal("timerTrigger", binding.GetProperty("type").GetString());
        Assert.Equal("%NightlySweepSchedule%", binding.GetProperty("schedule").GetString());
        Assert.False(binding.TryGetProperty("runOnStartup", out var runOnStartup) && runOnStartup.GetBoolean());
    }

    [Fact]
    public void NightlySweep_HasAnExponentialRetryPolicy_ThatOutlastsACrashedRunsLease()
    {
        var retry = Single("NightlySweep", "LcnecBatch.Functions.NightlySweep.Run").GetProperty("retry");

        Assert.Equal("exponentialBackoff", retry.GetProperty("strategy").GetString());
        Assert.Equal(5, retry.GetProperty("maxRetryCount").GetInt32());
        var minimum = TimeSpan.Parse(retry.GetProperty("minimumInterval").GetString()!, CultureInfo.InvariantCulture);
        var maximum = TimeSpan.Parse(retry.GetProperty("maximumInterval").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromMinutes(1), minimum);
        // Waits of 1, 2, 4, 8 and 10 (capped) minutes: longer together than the default 10-minute lease.
        var waits = Enumerable.Range(0, 5).Sum(i => Math.Min(minimum.TotalMinutes * Math.Pow(2, i), maximum.TotalMinutes));
        Assert.True(waits > new StateTableOptions().ScreeningLease.TotalMinutes, $"{waits} minutes of retries");
    }

    [Fact]
    public void SendUnsentAlerts_IsATimerTriggerOnItsOwnScheduleSetting_WithoutRetry()
    {
        var binding = Trigger("SendUnsentAlerts", "LcnecBatch.Functions.SendUnsentAlerts.Run");

        Assert.Equal("timerTrigger", binding.GetProperty("type").GetString());
        Assert.Equal("%UnsentAlertsSchedule%", binding.GetProperty("schedule").GetString());
        Assert.False(binding.TryGetProperty("runOnStartup", out var runOnStartup) && runOnStartup.GetBoolean());
        Assert.False(Single("SendUnsentAlerts", "LcnecBatch.Functions.SendUnsentAlerts.Run").TryGetProperty("retry", out _));
    }

    [Fact]
    public void ExportWatchdogCheck_IsATimerTriggerOnItsOwnScheduleSetting_WithoutRetry()
    {
        var binding = Trigger("ExportWatchdogCheck", "LcnecBatch.Functions.ExportWatchdogCheck.Run");

        Assert.Equal("timerTrigger", binding.GetProperty("type").GetString());
        Assert.Equal("%ExportWatchdogSchedule%", binding.GetProperty("schedule").GetString());
        Assert.False(binding.TryGetProperty("runOnStartup", out var runOnStartup) && runOnStartup.GetBoolean());
        Assert.False(Single("ExportWatchdogCheck", "LcnecBatch.Functions.ExportWatchdogCheck.Run").TryGetProperty("retry", out _));
    }

    [Fact]
    public void Health_IsAnAnonymousGetOnApiHealth_ReturningTheResponse()
    {
        var function = Single("Health", "LcnecBatch.Functions.Health.Run");
        var bindings = function.GetProperty("bindings").EnumerateArray().ToList();

        var trigger = Assert.Single(bindings, b => b.GetProperty("direction").GetString() == "In");
        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
        Assert.Equal(["get"], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("health", trigger.GetProperty("route").GetString());
        var output = Assert.Single(bindings, b => b.GetProperty("direction").GetString() == "Out");
        Assert.Equal(("http", "$return"), (output.GetProperty("type").GetString(), output.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("CdsDiscovery", "Discovery", "get", "cds-services")]
    [InlineData("CdsPatientView", "PatientViewService", "post", "cds-services/lcnec-alk-screening")]
    [InlineData("CdsFeedback", "FeedbackService", "post", "cds-services/lcnec-alk-screening/feedback")]
    public void CdsHooks_AreAnonymousToTheHost_OnTheirCdsHooksRoutes_ReturningTheResponse(string name, string method, string verb, string route)
    {
        var bindings = Single(name, $"LcnecBatch.Functions.CdsServices.{method}").GetProperty("bindings").EnumerateArray().ToList();

        var trigger = Assert.Single(bindings, b => b.GetProperty("direction").GetString() == "In");
        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        // The EHR's JWT is the authentication (checked by the function), not a function key it would not send.
        Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
        Assert.Equal([verb], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        var output = Assert.Single(bindings, b => b.GetProperty("direction").GetString() == "Out");
        Assert.Equal(("http", "$return"), (output.GetProperty("type").GetString(), output.GetProperty("name").GetString()));
    }

    [Fact]
    public void AlertResponses_IsAnonymousToTheHost_OnThePostAlertResponsesRoute_ReturningTheResponse()
    {
        var bindings = Single("AlertResponses", "LcnecBatch.Functions.AlertResponses.Run").GetProperty("bindings").EnumerateArray().ToList();

        var trigger = Assert.Single(bindings, b => b.GetProperty("direction").GetString() == "In");
        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        // App Service Authentication in front is the authentication; the function checks its principal and role.
        Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
        Assert.Equal(["post"], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("alerts/{alertId}/responses", trigger.GetProperty("route").GetString());
        var output = Assert.Single(bindings, b => b.GetProperty("direction").GetString() == "Out");
        Assert.Equal(("http", "$return"), (output.GetProperty("type").GetString(), output.GetProperty("name").GetString()));
    }

    private static JsonElement Trigger(string name, string entryPoint)
    {
        var binding = Assert.Single(Single(name, entryPoint).GetProperty("bindings").EnumerateArray());
        Assert.Equal("In", binding.GetProperty("direction").GetString());
        return binding;
    }

    private static JsonElement Single(string name, string entryPoint)
    {
        var function = Assert.Single(Functions.EnumerateArray(), f => f.GetProperty("name").GetString() == name);
        Assert.Equal(entryPoint, function.GetProperty("entryPoint").GetString());
        return function;
    }

    /// <summary>functions/LcnecBatch.Functions/bin/{configuration}/{framework}/, as this test's own bin/{configuration}/{framework}/.</summary>
    private static string MetadataPath()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(RepositoryRoot.Find(), "functions", "LcnecBatch.Functions", "bin", output.Parent!.Name, output.Name, "functions.metadata");
        Assert.True(File.Exists(path), $"no {path}: build the functions project (dotnet build builds it with this test project)");
        return path;
    }
}
