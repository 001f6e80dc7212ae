using System.Text.Json;
using LcnecBatch.Azure.Tests.TestData;

namespace LcnecBatch.Azure.Tests;

/// <summary>
/// The host reads <c>functions.metadata</c>, which the worker SDK generates at build; no host runs here, so the
/// bindings it will use are checked in that file, from the same build configuration as this test.
/// </summary>
public sealed class FunctionsMetadataTests
{
    [Fact]
    public void IngestLabExport_IsABlobTriggerOnLabExports_WithTheLabExportsStorageConnection()
    {
        var functions = JsonDocument.Parse(File.ReadAllBytes(MetadataPath())).RootElement;

        var function = Assert.Single(functions.EnumerateArray(), f => f.GetProperty("name").GetString() == "IngestLabExport");
        Assert.Equal("LcnecBatch.Functions.IngestLabExport.Run", function.GetProperty("entryPoint").GetString());
        var binding = Assert.Single(function.GetProperty("bindings").EnumerateArray());
        Assert.Equal("blobTrigger", binding.GetProperty("type").GetString());
        Assert.Equal("In", binding.GetProperty("direction").GetString());
        Assert.Equal("lab-exports/{name}", binding.GetProperty("path").GetString());
        Assert.Equal("LabExportsStorage", binding.GetProperty("connection").GetString());
        Assert.Equal("blob", binding.GetProperty("name").GetString());
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
