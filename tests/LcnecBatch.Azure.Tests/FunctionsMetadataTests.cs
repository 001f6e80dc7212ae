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
    public void Metadata_HasExactlyTheFourTriggers()
    {
        Assert.Equal(["Health", "IngestLabExport", "IngestLabExportPolling", "NightlySweep"],
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
