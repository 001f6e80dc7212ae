using System.Net;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using LcnecBatch.Azure.Tests.TestData;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LcnecBatch.Azure.Tests;

/// <summary>
/// <c>GET /api/health</c> beyond connectivity (issue 18), on Azurite and the loopback broker with a hand-moved clock:
/// the pipeline's dates, counts and times, and 503 when the export is late or sending is stuck.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class HealthPipelineTests(AzuriteFixture azurite)
{
    /// <summary>Noon in Berlin the day the 3 October batch arrives; its deadline is 07:00 on 4 October.</summary>
    private static readonly DateTimeOffset October3Noon = new(2026, 10, 3, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Health_BatchInAndSent_Is200_WithTheLastCompleteBatchItsAgeAndTheCounts_AndNoPatientData()
    {
        using var bus = new LoopbackServiceBus([LabExportHarness.Queue]);
        var clock = new ManualClock(October3Noon);
        await using var harness = Harness(bus, clock);
        await DeliverAsync(harness);
        await harness.SweepAsync();

        var (status, body, text) = await GetAsync(harness);

        Assert.Equal(HttpStatusCode.OK, status);
        var pipeline = body.GetProperty("pipeline");
        Assert.Equal("2026-10-03", pipeline.GetProperty("lastCompleteBatch").GetString());
        Assert.Equal(10.0, pipeline.GetProperty("lastCompleteBatchAgeHours").GetDouble());
        Assert.Equal(0, pipeline.GetProperty("batchesPending").GetInt32());
        Assert.Equal(0, pipeline.GetProperty("unreconciledBlobs").GetInt32());
        Assert.Equal(0, pipeline.GetProperty("deadLetteredBlobs").GetInt32());
        Assert.Equal(0, pipeline.GetProperty("poisonEntries").GetInt32());
        Assert.Equal(0, pipeline.GetProperty("unsentAlertEvents").GetInt32());
        Assert.Equal(October3Noon, pipeline.GetProperty("lastSweepAt").GetDateTimeOffset());
        Assert.False(pipeline.GetProperty("exportLate").GetBoolean());
        Assert.False(pipeline.GetProperty("sendingStuck").GetBoolean());
        AssertNoPatientData(text);
    }

    [Fact]
    public async Task Health_NextBatchMissingAtItsDeadline_Is503_NamingTheLateDateOnly()
    {
        using var bus = new LoopbackServiceBus([LabExportHarness.Queue]);
        var clock = new ManualClock(October3Noon);
        await using var harness = Harness(bus, clock);
        await DeliverAsync(harness);
        clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromMinutes(1)); // 4 October 11:59 Berlin: the 3rd's batch is in, the 4th's is not due

        var (before, _, _) = await GetAsync(harness);
        clock.Advance(TimeSpan.FromDays(1)); // 5 October 11:59: the 4th's deadline (07:00) has passed
        var (status, body, text) = await GetAsync(harness);

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var pipeline = body.GetProperty("pipeline");
        Assert.True(pipeline.GetProperty("exportLate").GetBoolean());
        Assert.Equal(["2026-10-04"], pipeline.GetProperty("lateBatches").EnumerateArray().Select(d => d.GetString()));
        Assert.False(pipeline.GetProperty("sendingStuck").GetBoolean());
        Assert.All(body.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("healthy").GetBoolean()));
        AssertNoPatientData(text);
    }

    [Fact]
    public async Task Health_AlertEventsUnsentLongerThanTheStuckAge_Is503_WithTheirCountAndAge()
    {
        using var bus = new LoopbackServiceBus([LabExportHarness.Queue]);
        var clock = new ManualClock(October3Noon);
        await using var harness = Harness(bus, clock, services => services.AddSingleton<IAlertSink, RefusingAlertSink>());
        // The delivery that completes the batch screens it, saves its events unsent, and fails at the send (the host retries it).
        await Assert.ThrowsAsync<ServiceBusException>(() => DeliverAsync(harness));

        var (fresh, freshBody, _) = await GetAsync(harness);
        clock.Advance(TimeSpan.FromMinutes(61));
        var (status, body, text) = await GetAsync(harness);

        Assert.Equal(HttpStatusCode.OK, fresh);
        var unsent = freshBody.GetProperty("pipeline").GetProperty("unsentAlertEvents").GetInt32();
        Assert.True(unsent > 0);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var pipeline = body.GetProperty("pipeline");
        Assert.True(pipeline.GetProperty("sendingStuck").GetBoolean());
        Assert.False(pipeline.GetProperty("exportLate").GetBoolean());
        Assert.Equal(unsent, pipeline.GetProperty("unsentAlertEvents").GetInt32());
        Assert.Equal(61.0, pipeline.GetProperty("oldestUnsentAgeMinutes").GetDouble());
        AssertNoPatientData(text);
    }

    [Fact]
    public async Task Health_PoisonEntryAndBlobNotInTheLedger_AreCounted_WithoutFailingHealth()
    {
        using var bus = new LoopbackServiceBus([LabExportHarness.Queue]);
        var clock = new ManualClock(October3Noon);
        await using var harness = Harness(bus, clock);
        await DeliverAsync(harness);
        await harness.Exports.GetBlobClient("2026-10-03/late-file.csv").UploadAsync(BinaryData.FromString("mrn\n"), harness.Token);
        await harness.PoisonAsync(harness.Exports.Name, "2026-10-03/late-file.csv");

        var (status, body, _) = await GetAsync(harness);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body.GetProperty("pipeline").GetProperty("unreconciledBlobs").GetInt32());
        Assert.Equal(1, body.GetProperty("pipeline").GetProperty("poisonEntries").GetInt32());
    }

    private LabExportHarness Harness(LoopbackServiceBus bus, ManualClock clock, Action<IServiceCollection>? configure = null) =>
        new(azurite, bus.ConnectionString(), configure: services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.PostConfigure<ExportWatchdogOptions>(o => o.TimeZone = "Europe/Berlin");
            configure?.Invoke(services);
        });

    private static async Task DeliverAsync(LabExportHarness harness)
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        await harness.DeliverAllAsync(await harness.UploadAsync(archive.Path));
        foreach (var table in harness.TableNames)
        {
            await harness.Tables.CreateTableIfNotExistsAsync(table, harness.Token);
        }
    }

    private static void AssertNoPatientData(string json)
    {
        Assert.All(SampleBatches.Mrns, mrn => Assert.DoesNotContain(mrn, json, StringComparison.Ordinal));
        Assert.All(SampleBatches.ReportText, text => Assert.DoesNotContain(text, json, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("S26-", json, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body, string Text)> GetAsync(LabExportHarness harness)
    {
        HttpResponseData response = await harness.Health.Run(new FakeHttpRequest("http://localhost/api/health"), harness.Token);
        response.Body.Position = 0;
        var text = await new StreamReader(response.Body).ReadToEndAsync(harness.Token);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement, text);
    }

    /// <summary>A broker that refuses every send: the events stay in the outbox.</summary>
    private sealed class RefusingAlertSink : IAlertSink
    {
        public Task SendAsync(IReadOnlyList<AlertMessage> messages, Func<IReadOnlyList<AlertMessage>, CancellationToken, Task> sent, CancellationToken cancellationToken) =>
            throw new ServiceBusException("refused by the test", ServiceBusFailureReason.ServiceCommunicationProblem);
    }
}
