using Azure;
using LcnecBatch.Azure.Tests.TestData;

namespace LcnecBatch.Azure.Tests;

/// <summary>The fault tool itself: its rules reach the app's own Table and Blob clients, count tries, and stop when told.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class FaultInjectionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task TableWritesAnswered503_FailTheIngestionAfterTheSdksRetries_AndTheSameDeliverySucceedsOnceTheOutageEnds()
    {
        using var archive = new TempFolder();
        SampleBatches.First().WriteTo(archive.Path);
        await using var harness = new LabExportHarness(azurite);
        var names = await harness.UploadAsync(archive.Path);
        var outage = harness.Faults.When(harness.Faults.Tables(writesOnly: true)).Fail(503);

        var failure = await Assert.ThrowsAnyAsync<RequestFailedException>(() => harness.DeliverAsync(names[0]));

        Assert.True(503 == failure.Status, string.Join("\n", outage.Calls));
        Assert.Equal(4 * 4, outage.Injected); // creating the 4 state tables: each the first try and the SDK's 3 retries, all answered by the fault
        harness.Faults.Clear();
        await harness.DeliverAsync(names[0]);
        Assert.Single(await harness.State.IngestedAsync(SampleBatches.October3, harness.Token));
    }

    [Fact]
    public async Task RuleAfterAndTimes_ActOnExactlyTheChosenCalls()
    {
        await using var harness = new LabExportHarness(azurite);
        var rule = harness.Faults.When(harness.Faults.Blobs(harness.Exports.Name)).After(1).Times(2).Fail(412);
        await harness.Exports.CreateIfNotExistsAsync(cancellationToken: harness.Token); // call 1: through

        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            try
            {
                await harness.Exports.GetPropertiesAsync(cancellationToken: harness.Token);
                statuses.Add(200);
            }
            catch (RequestFailedException e)
            {
                statuses.Add(e.Status);
            }
        }

        Assert.Equal([412, 412, 200], statuses); // 412 is not retried by the SDK: one try each
        Assert.Equal(4, rule.Seen);
        Assert.Equal(2, rule.Injected);
    }
}
