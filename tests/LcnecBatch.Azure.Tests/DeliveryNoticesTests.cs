using System.Text;

namespace LcnecBatch.Azure.Tests;

/// <summary>The poison-queue message and the Event Grid dead letter as untrusted input: read when well formed, refused otherwise, never thrown.</summary>
public sealed class DeliveryNoticesTests
{
    private const string HostMessage =
        """{"Type":"BlobTrigger","FunctionId":"Host.Functions.IngestLabExport","BlobType":"BlockBlob","ContainerName":"lab-exports","BlobName":"2026-10-03/patients.csv","ETag":"\"0x8DE1\""}""";

    [Theory]
    [InlineData(HostMessage)]
    [InlineData("  \n" + HostMessage)]
    public void PoisonMessage_PlainJson_NamesContainerAndBlob(string body)
    {
        Assert.True(PoisonBlobMessage.TryRead(BinaryData.FromString(body), out var container, out var blob));
        Assert.Equal(("lab-exports", "2026-10-03/patients.csv"), (container, blob));
    }

    [Fact]
    public void PoisonMessage_Base64AsTheExtensionWritesIt_NamesContainerAndBlob()
    {
        var body = BinaryData.FromString(Convert.ToBase64String(Encoding.UTF8.GetBytes(HostMessage)));

        Assert.True(PoisonBlobMessage.TryRead(body, out var container, out var blob));
        Assert.Equal(("lab-exports", "2026-10-03/patients.csv"), (container, blob));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{ not json")]
    [InlineData("[]")]
    [InlineData("""{"ContainerName":"lab-exports"}""")]
    [InlineData("""{"ContainerName":5,"BlobName":"x"}""")]
    [InlineData("""{"ContainerName":"lab-exports","BlobName":null}""")]
    [InlineData("eyJDb250YWluZXJOYW1lIjo1fQ==")] // base64 of {"ContainerName":5}
    [InlineData("eyJDb250YWluZXJOYW1lIjoibGFiLWV4cG9ydHMiLCJCbG9iTmFtZSI6IngiLCJhIjpbW1tbW1tbW1tbW1tdXV1dXV1dXV1dXV19")] // base64 of a message nested past the depth limit
    public void PoisonMessage_Malformed_IsUnreadable(string body) =>
        Assert.False(PoisonBlobMessage.TryRead(BinaryData.FromString(body), out _, out _));

    [Theory]
    [InlineData("/blobServices/default/containers/lab-exports/blobs/2026-10-03/ngs/S1.vcf", "lab-exports", "2026-10-03/ngs/S1.vcf")]
    [InlineData("/blobServices/default/containers/lab-exports/blobs/2026-10-03/../x", "lab-exports", "2026-10-03/../x")] // refused later, by name
    [InlineData("/blobServices/default/containers/c/blobs/a/blobs/b", "c", "a/blobs/b")]
    public void DeadLetterSubject_SplitsContainerAndName_AsWritten(string subject, string container, string blob)
    {
        Assert.True(DeadLetteredEvents.TryParseSubject(subject, out var c, out var b));
        Assert.Equal((container, blob), (c, b));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/blobServices/default/containers/lab-exports")]
    [InlineData("/blobServices/default/containers/lab-exports/blobs/")]
    [InlineData("/blobServices/default/containers//blobs/x")]
    [InlineData("/fileServices/default/shares/lab-exports/files/x")]
    public void DeadLetterSubject_NotABlob_IsRefused(string subject) =>
        Assert.False(DeadLetteredEvents.TryParseSubject(subject, out _, out _));

    [Fact]
    public void DeadLetter_ArrayOfBlobCreatedEvents_NamesEachBlob()
    {
        var json = """
            [{"id":"1","subject":"/blobServices/default/containers/lab-exports/blobs/2026-10-03/a.csv","eventType":"Microsoft.Storage.BlobCreated","deadLetterReason":"MaxDeliveryAttemptsExceeded","deliveryAttempts":30},
             {"id":"2","subject":"/blobServices/default/containers/lab-exports/blobs/2026-10-03/b.csv","type":"Microsoft.Storage.BlobCreated"}]
            """;

        Assert.True(DeadLetteredEvents.TryRead(BinaryData.FromString(json), out var events));
        Assert.Equal([new("lab-exports", "2026-10-03/a.csv"), new BlobCreatedNotice("lab-exports", "2026-10-03/b.csv")], events);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("[1]")]
    [InlineData("""[{"subject":"/blobServices/default/containers/c/blobs/x","eventType":"Microsoft.Storage.BlobDeleted"}]""")]
    [InlineData("""[{"subject":"/blobServices/default/containers/c/blobs/x"}]""")]
    [InlineData("""[{"eventType":"Microsoft.Storage.BlobCreated"}]""")]
    [InlineData("""[{"subject":"/blobServices/default/containers/c/blobs/x","eventType":"Microsoft.Storage.BlobCreated"}, {"eventType":"x"}]""")]
    [InlineData("""[{"subject":"/blobServices/default/containers/c/blobs/x","eventType":"Microsoft.Storage.BlobCreated"}""")]
    public void DeadLetter_AnythingElse_IsUnreadable(string json) =>
        Assert.False(DeadLetteredEvents.TryRead(BinaryData.FromString(json), out _));

    [Fact]
    public void RecentBatchDates_TodayWindowPlusTomorrow_UnitedWithTheLatestBatchsWindow()
    {
        var dates = LabExportReconciliation.RecentBatchDates(new DateOnly(2026, 10, 20), new DateOnly(2026, 10, 3), 7);

        Assert.Equal(
            [.. Enumerable.Range(0, 8).Select(i => new DateOnly(2026, 9, 26).AddDays(i)), .. Enumerable.Range(0, 9).Select(i => new DateOnly(2026, 10, 13).AddDays(i))],
            dates);
    }

    [Fact]
    public void RecentBatchDates_LatestWithinTheTodayWindow_ListsEachDayOnce()
    {
        var dates = LabExportReconciliation.RecentBatchDates(new DateOnly(2026, 10, 4), new DateOnly(2026, 10, 3), 7);

        Assert.Equal([.. Enumerable.Range(0, 10).Select(i => new DateOnly(2026, 9, 26).AddDays(i))], dates);
    }
}
