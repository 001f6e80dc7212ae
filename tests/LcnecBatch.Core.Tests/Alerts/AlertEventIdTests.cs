using System.Text;
using System.Text.Json.Nodes;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Screening;

namespace LcnecBatch.Core.Tests.Alerts;

/// <summary>
/// Issue 16: every event of an alert has a message id no other event of it ever has (Service Bus duplicate detection
/// drops a repeated id, and the outbox keys rows by it), its body says what happened, and events sort into the order
/// they happened.
/// </summary>
public class AlertEventIdTests
{
    private static readonly DateOnly Day0 = new(2026, 3, 2);
    private const string Mrn = "100001";
    private static readonly HashSet<string> Screened = new(StringComparer.Ordinal) { Mrn, "100002" };

    private static Alert Open(string subject = "S-1", string mrn = Mrn, DateOnly? on = null) =>
        new(Alert.IdentityOf("ALK_TEST_MISSING", mrn, subject),
            new Finding("ALK_TEST_MISSING", "2", Severity.High, subject, Day0, "Advanced LCNEC never tested for ALK", "Order ALK IHC.", []),
            AlertStatus.Open, on ?? Day0, new AlertPatient(mrn, Sex.Female, 55, SmokingStatus.Never), "thoracic-onc");

    /// <summary>
    /// One alert open on the days listed in <paramref name="openOn"/> and closed on the other days walked, advanced
    /// day by day with reminders every 10 days.
    /// </summary>
    private static List<AlertEvent> Walk(int days, Func<int, bool> openOn, Func<int, bool>? secondOpenOn = null)
    {
        var ledger = new AlertLedger();
        var events = new List<AlertEvent>();
        for (var day = 0; day <= days; day++)
        {
            var on = Day0.AddDays(day);
            List<Alert> open = openOn(day) ? [Open(on: on)] : [];
            if (secondOpenOn?.Invoke(day) == true)
            {
                open.Add(Open("S-2", "100002", on));
            }
            events.AddRange(ledger.Advance(on, open, Screened, reminderDays: 10));
        }
        return events;
    }

    /// <summary>Open days 0-24, 30-44, 50-60, 70-84: three reopen/resolve cycles after the first, each with a reminder.</summary>
    private static bool ThreeCycles(int day) => day is (>= 0 and < 25) or (>= 30 and < 45) or (>= 50 and < 61) or (>= 70 and < 85);

    [Fact]
    public void Ledger_ThreeReopenResolveCycles_GivesEveryEventItsOwnIdInTheSchemesOrder()
    {
        var events = Walk(90, ThreeCycles);

        var id = Open().AlertId;
        Assert.Equal(
            [
                id, $"{id}:r1", $"{id}:r2", $"{id}:resolved",
                $"{id}:reopened1", $"{id}:reopened1:r1", $"{id}:reopened1:resolved",
                $"{id}:reopened2", $"{id}:reopened2:r1", $"{id}:reopened2:resolved",
                $"{id}:reopened3", $"{id}:reopened3:r1", $"{id}:reopened3:resolved",
            ],
            events.Select(e => e.MessageId));
        Assert.Equal(
            ["raised", "reminder", "reminder", "resolved", "reopened", "reminder", "resolved", "reopened", "reminder", "resolved", "reopened", "reminder", "resolved"],
            events.Select(e => e.Name));
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3], events.Select(e => e.Cycle));
    }

    [Fact]
    public void MessageId_LongestTheSchemeCanMake_FitsServiceBusLimit()
    {
        var longest = new[]
        {
            new AlertEvent(AlertEventKind.Reminder, Open(), Day0, int.MaxValue, int.MaxValue),
            new AlertEvent(AlertEventKind.Resolved, Open(), Day0, 0, int.MaxValue),
            new AlertEvent(AlertEventKind.Reopened, Open(), Day0, 0, int.MaxValue),
        }.Max(e => e.MessageId.Length);

        Assert.Equal(32, Open().AlertId.Length);
        Assert.Equal(32 + ":reopened".Length + 10 + ":r".Length + 10, longest);
        Assert.True(longest <= AlertEvent.MaxMessageIdLength, $"{longest} > {AlertEvent.MaxMessageIdLength}");
        Assert.Equal(128, AlertEvent.MaxMessageIdLength); // Service Bus: MessageId at most 128 characters
    }

    [Fact]
    public void ParseEvent_StoredBeforeTheCycleWasKept_KeepsItsMessageId()
    {
        var events = Walk(90, ThreeCycles);
        var reopened2 = events.Single(e => e.MessageId.EndsWith(":reopened2", StringComparison.Ordinal));
        var resolved = events.First(e => e.Kind == AlertEventKind.Resolved);
        var reminder = events.First(e => e.Kind == AlertEventKind.Reminder);

        // What the old code stored: no cycle; a reopen carried its count as the number.
        Assert.Equal($"{reopened2.Alert.AlertId}:reopened2", AlertRecordJson.ParseEvent(Legacy(reopened2 with { Cycle = 0, Number = 2 })).MessageId);
        Assert.Equal($"{resolved.Alert.AlertId}:resolved", AlertRecordJson.ParseEvent(Legacy(resolved)).MessageId);
        Assert.Equal($"{reminder.Alert.AlertId}:r1", AlertRecordJson.ParseEvent(Legacy(reminder)).MessageId);
        Assert.All(events, e => Assert.Equal(e, AlertRecordJson.ParseEvent(AlertRecordJson.ToUtf8(e)) with { Alert = e.Alert }));
    }

    private static byte[] Legacy(AlertEvent e)
    {
        var json = JsonNode.Parse(AlertRecordJson.ToUtf8(e))!.AsObject();
        Assert.True(json.Remove("cycle"));
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    [Fact]
    public void Body_OfEachEvent_SaysWhatHappenedAfterTheAlertId()
    {
        var events = Walk(90, ThreeCycles);
        string Body(Func<AlertEvent, bool> which) => Encoding.UTF8.GetString(AlertJson.ToUtf8(events.First(which)));
        var id = Open().AlertId;

        Assert.StartsWith($"{{\"alertId\":\"{id}\",\"event\":\"raised\",\"ruleId\":", Body(e => e.Kind == AlertEventKind.Raised), StringComparison.Ordinal);
        Assert.StartsWith($"{{\"alertId\":\"{id}\",\"event\":\"reminder\",\"reminder\":2,\"ruleId\":", Body(e => e.Number == 2), StringComparison.Ordinal);
        Assert.StartsWith($"{{\"alertId\":\"{id}\",\"event\":\"resolved\",\"ruleId\":", Body(e => e.Kind == AlertEventKind.Resolved), StringComparison.Ordinal);
        Assert.StartsWith($"{{\"alertId\":\"{id}\",\"event\":\"reopened\",\"cycle\":2,\"ruleId\":", Body(e => e.Cycle == 2), StringComparison.Ordinal);
        Assert.StartsWith($"{{\"alertId\":\"{id}\",\"event\":\"reminder\",\"reminder\":1,\"cycle\":3,\"ruleId\":", Body(e => e.Cycle == 3 && e.Kind == AlertEventKind.Reminder), StringComparison.Ordinal);
        Assert.Contains("\"status\":\"resolved\"", Body(e => e.Kind == AlertEventKind.Resolved && e.Cycle == 1), StringComparison.Ordinal);
        // alerts.jsonl keeps the alert alone.
        Assert.DoesNotContain("\"event\"", Encoding.UTF8.GetString(AlertJson.ToUtf8(events[0].Alert)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SendOrder_AnyShuffleOfTwoAlertsLives_SortsBackToTheOrderTheyHappened(int seed)
    {
        var events = Walk(90, ThreeCycles, day => day is (>= 3 and < 30) or >= 42);
        Assert.Contains(events, e => e.Alert.Subject == "S-2" && e.Kind == AlertEventKind.Reopened);
        var shuffled = events.ToArray();
        new Random(seed).Shuffle(shuffled);

        Assert.Equal(events.Select(e => e.MessageId), shuffled.Order(AlertEvent.SendOrder).Select(e => e.MessageId));
    }
}
