using System.Globalization;
using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using LcnecBatch.Azure.Tests.TestData;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;

namespace LcnecBatch.Azure.Tests;

/// <summary>
/// Issue 19 through the Functions app: a night walks the patients its batch touched and those whose saved next
/// boundary (<c>NextDue</c> on the patient row) has come, event-driven; a watched patient with an open alert and no
/// new fact is left alone until then, and the broker still gets the replay's events, id for id and body for body.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class EventDrivenNightsTests(AzuriteFixture azurite)
{
    private const string Queue = LabExportHarness.Queue;
    private const string Rule = "ALK_TEST_MISSING";
    private const string Mrn = "QX740001";
    private const string Lcnec = "Lung, right upper lobe, core biopsy:\n- Large cell neuroendocrine carcinoma.";
    private static readonly DateOnly Day0 = new(2027, 3, 1);

    private static DateOnly Day(int n) => Day0.AddDays(n);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string AlertId => Alert.IdentityOf(Rule, Mrn, "S27-00401");

    /// <summary>One never-smoker with untested LCNEC on day 0 (high severity: reminders every 30 days), then batches of other patients only.</summary>
    private static void Archive(string root, params int[] laterDays)
    {
        new BatchBuilder(Day(0)).Patient(Mrn, "F", "1960-02-03", "never").Report("S27-00401", Mrn, Day(0), Lcnec).WriteTo(root);
        foreach (var day in laterDays)
        {
            new BatchBuilder(Day(day)).Patient($"QX7409{day:00}", "M", "1979-01-01", "current").WriteTo(root);
        }
    }

    private static async Task<List<ServiceBusReceivedMessage>> ReceivedAsync(LoopbackServiceBus bus, CancellationToken cancellationToken) =>
        [.. (await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, cancellationToken)).OrderBy(m => m.SequenceNumber)];

    private static Task DeliverDayAsync(LabExportHarness harness, IReadOnlyList<string> names, int day) =>
        harness.DeliverAllAsync(names.Where(n => n.StartsWith(Iso(Day(day)) + "/", StringComparison.Ordinal)));

    /// <summary>The patient row as saved: how far the patient was walked, and the next day it is due without a new fact.</summary>
    private static async Task<(string? ScreenedThrough, string? NextDue)> PatientRowAsync(LabExportHarness harness)
    {
        var row = (await harness.AlertLedger.GetEntityAsync<TableEntity>(harness.Pseudonym.Of(Mrn), "$patient", cancellationToken: harness.Token)).Value;
        return (row.GetString("ScreenedThrough"), row.GetString("NextDue"));
    }

    /// <summary>
    /// The alert is raised when the rule's grace period ends and reminded 30 days later, both on nights whose batches
    /// carry nothing of the patient's: each is walked on the first night on or after its boundary, and not on the
    /// nights before (the patient row shows how far it was walked and the next day it is due).
    /// </summary>
    [Fact]
    public async Task RaiseAndReminderDueOnNightsWithNoNewFacts_WalkThePatientThoseNightsOnly_AsTheReplay()
    {
        using var archive = new TempFolder();
        Archive(archive.Path, 10, 20, 50);
        using var bus = new LoopbackServiceBus([Queue]);
        await using var harness = new LabExportHarness(azurite, bus.ConnectionString());
        var names = await harness.UploadAsync(archive.Path);
        var replay = LocalRun.Screen(archive.Path, Day(50), new ScreeningOptions());
        var raise = replay.AlertEvents.Single(e => e.MessageId == AlertId).On;
        var reminder = replay.AlertEvents.Single(e => e.MessageId == $"{AlertId}:r1").On;

        await DeliverDayAsync(harness, names, 0);
        var afterDiagnosis = await PatientRowAsync(harness);
        await DeliverDayAsync(harness, names, 10);
        var afterQuietNight = await PatientRowAsync(harness);
        var beforeRaise = await ReceivedAsync(bus, harness.Token);
        await DeliverDayAsync(harness, names, 20);
        var raiseNight = await ReceivedAsync(bus, harness.Token);
        var afterRaise = await PatientRowAsync(harness);
        await DeliverDayAsync(harness, names, 50);
        var reminderNight = await ReceivedAsync(bus, harness.Token);
        var afterReminder = await PatientRowAsync(harness);

        Assert.InRange(raise, Day(11), Day(20)); // the grace period ends between the nights of day 10 and day 20
        Assert.InRange(reminder, Day(21), Day(50));
        Assert.Equal((Iso(Day(0)), Iso(raise)), afterDiagnosis);
        Assert.Equal(afterDiagnosis, afterQuietNight); // nothing new, nothing due: not walked on day 10
        Assert.Empty(beforeRaise);
        Assert.Equal([AlertId], raiseNight.Select(m => m.MessageId));
        Assert.Equal((Iso(Day(20)), Iso(reminder)), afterRaise);
        Assert.Equal([$"{AlertId}:r1"], reminderNight.Select(m => m.MessageId));
        Assert.Equal(Iso(Day(50)), afterReminder.ScreenedThrough);
        Assert.Equal(AlertMessages.Expected(replay), AlertMessages.Of(raiseNight.Concat(reminderNight)));
    }

    /// <summary>
    /// The care team snoozes the alert until day 40 (a response blob of day 22): the next night walks the patient for
    /// the response, and the next reminder is due 30 days after the snooze ends. The night of day 60, open alert and
    /// no new fact, leaves the patient alone; the night of day 75 sends the reminder of day 70, as the replay does.
    /// </summary>
    [Fact]
    public async Task SnoozeEndingBetweenNights_LeavesThePatientAloneUntilTheReminderAfterIt_AsTheReplay()
    {
        using var archive = new TempFolder();
        Archive(archive.Path, 20, 25, 60, 75);
        var response = $"responses/{Iso(Day(22))}/inbox.jsonl";
        var path = Path.Combine(archive.Path, response.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"{{\"responseId\":\"r-snooze\",\"mrn\":\"{Mrn}\",\"alertId\":\"{AlertId}\",\"respondedOn\":\"{Iso(Day(22))}\",\"kind\":\"snoozed\",\"until\":\"{Iso(Day(40))}\",\"by\":\"oncologist\",\"channel\":\"inbox\"}}\n");
        using var bus = new LoopbackServiceBus([Queue]);
        await using var harness = new LabExportHarness(azurite, bus.ConnectionString());
        var names = await harness.UploadAsync(archive.Path);
        await harness.Exports.GetBlobClient(response).UploadAsync(BinaryData.FromBytes(await File.ReadAllBytesAsync(path, harness.Token)), harness.Token);

        await DeliverDayAsync(harness, names, 0);
        await DeliverDayAsync(harness, names, 20);
        await harness.DeliverAsync(response);
        await DeliverDayAsync(harness, names, 25);
        var afterSnooze = await PatientRowAsync(harness);
        await DeliverDayAsync(harness, names, 60);
        var afterQuietNight = await PatientRowAsync(harness);
        var beforeReminder = await ReceivedAsync(bus, harness.Token);
        await DeliverDayAsync(harness, names, 75);
        var reminderNight = await ReceivedAsync(bus, harness.Token);

        var replay = LocalRun.Screen(archive.Path, Day(75), new ScreeningOptions());
        Assert.Equal(Day(70), replay.AlertEvents.Single(e => e.MessageId == $"{AlertId}:r1").On); // 30 days after the snooze ended
        Assert.Equal((Iso(Day(25)), Iso(Day(70))), afterSnooze); // the response made the patient due on day 25
        Assert.Equal(afterSnooze, afterQuietNight); // day 60: snoozed till 40, no new fact, next reminder on 70
        Assert.Contains(beforeReminder, m => m.MessageId == AlertId);
        Assert.DoesNotContain(beforeReminder, m => m.MessageId.Contains(":r", StringComparison.Ordinal));
        Assert.Equal([$"{AlertId}:r1"], reminderNight.Select(m => m.MessageId));
        Assert.Equal(AlertMessages.Expected(replay), AlertMessages.Of(beforeReminder.Concat(reminderNight)));
    }
}
