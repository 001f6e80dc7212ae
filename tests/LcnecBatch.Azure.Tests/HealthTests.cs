using System.Net;
using System.Text;
using System.Text.Json;
using LcnecBatch.Azure.Tests.TestData;
using Microsoft.Azure.Functions.Worker.Http;

namespace LcnecBatch.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class HealthTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Health_StorageTablesAndServiceBusAnswer_Is200WithEveryCheckHealthy()
    {
        using var bus = new LoopbackServiceBus([LabExportHarness.Queue]);
        await using var harness = new LabExportHarness(azurite, bus.ConnectionString());
        await Ready(harness);

        var (status, body) = await GetAsync(harness);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("healthy").GetBoolean());
        Assert.Equal(["labExports", "stateTables", "serviceBus"], body.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.All(body.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("healthy").GetBoolean()));
    }

    [Fact]
    public async Task Health_ServiceBusRejectsTheKey_Is503_NamingTheFailureButNoSecret()
    {
        using var bus = new LoopbackServiceBus([LabExportHarness.Queue]);
        var wrongKey = Convert.ToBase64String(Encoding.UTF8.GetBytes("not-the-key-of-this-namespace!!"));
        await using var harness = new LabExportHarness(azurite, bus.ConnectionString(wrongKey));
        await Ready(harness);

        var (status, body) = await GetAsync(harness);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var checks = body.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.True(checks["labExports"].GetProperty("healthy").GetBoolean());
        Assert.True(checks["stateTables"].GetProperty("healthy").GetBoolean());
        Assert.False(checks["serviceBus"].GetProperty("healthy").GetBoolean());
        Assert.Equal("unauthorized", checks["serviceBus"].GetProperty("failure").GetString());
        var text = body.GetRawText();
        Assert.DoesNotContain(wrongKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(bus.Key, text, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_ExportsContainerMissing_Is503()
    {
        using var bus = new LoopbackServiceBus([LabExportHarness.Queue]);
        await using var harness = new LabExportHarness(azurite, bus.ConnectionString());

        var (status, body) = await GetAsync(harness);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains(body.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "labExports" && c.GetProperty("failure").GetString() == "404 ContainerNotFound");
    }

    /// <summary>The exports container and the state tables, as the deployment creates them.</summary>
    private static async Task Ready(LabExportHarness harness)
    {
        await harness.Exports.CreateIfNotExistsAsync(cancellationToken: harness.Token);
        foreach (var table in harness.TableNames)
        {
            await harness.Tables.CreateTableIfNotExistsAsync(table, harness.Token);
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(LabExportHarness harness)
    {
        HttpResponseData response = await harness.Health.Run(new FakeHttpRequest("http://localhost/api/health"), harness.Token);
        Assert.Contains(response.Headers, h => h.Key == "Content-Type" && h.Value.Single().StartsWith("application/json", StringComparison.Ordinal));
        response.Body.Position = 0;
        return (response.StatusCode, (await JsonDocument.ParseAsync(response.Body, cancellationToken: harness.Token)).RootElement);
    }
}
