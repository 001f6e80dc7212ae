using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using LcnecBatch.Azure.Tests.TestData;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using Microsoft.Extensions.DependencyInjection;

namespace LcnecBatch.Azure.Tests;

/// <summary>
/// Issue 16 through the Functions app, Table Storage and a real <see cref="ServiceBusClient"/>: an alert resolved and
/// reopened again and again sends each event once under its own id, even two cycles in one save; and the outbox
/// sends events in the order they happened, not by the batch whose screening found them.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AlertEventIdTests(AzuriteFixture azurite)
{
    private const string Queue = LabExportHarness.Queue;
    private const string Rule = "ALK_TEST_MISSING";
    private static readonly DateOnly Day0 = new(2027, 1, 4);

    private const string Lcnec = "Lung, right upper lobe, core biopsy:\n- Large cell neuroendocrine carcinoma.";
    private const string Withdrawn = "Lung, right upper lobe, core biopsy: Atypical carcinoid tumour. The previous diagnosis of large cell neuroendocrine carcinoma is withdrawn.";
    private const string Reinstated = "Second amended report after external consultation: large cell neuroendocrine carcinoma (diagnosis reinstated).";

    private static DateOnly Day(int n) => Day0.AddDays(n);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static JsonElement Body(ServiceBusReceivedMessage message) => JsonDocument.Parse(message.Body.ToMemory()).RootElement;

    private static async Task<List<ServiceBusReceivedMessage>> ReceivedAsync(LoopbackServiceBus bus, CancellationToken cancellationToken) =>
        [.. (await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, cancellationToken)).OrderBy(m => m.SequenceNumber)];

    /// <summary>
    /// A woman who never smoked (high severity: reminders every 30 days) whose specimen's report is withdrawn and
    /// reinstated by amended versions: each withdrawal resolves the untested-LCNEC alert, each reinstatement reopens
    /// it 15 days later. Her ledger cannot be saved while the batches of days 20 and 25 are screened (another writer
    /// changes it before every save: she is recorded as failed and retried), so the batch of day 50 walks her from
    /// day 0 and saves a raise, a resolution, a reopen and its resolution at once.
    /// </summary>
    [Fact]
    public async Task AlertResolvedAndReopenedThreeTimes_ThroughServiceBus_EveryEventHasItsOwnIdInOrder()
    {
        const string Mrn = "QX720001";
        const string Accession = "S27-00101";
        using var archive = new TempFolder();
        BatchBuilder Version(int day, string text) => new BatchBuilder(Day(day)).Report(Accession, Mrn, Day(day), text, status: "amended");
        new BatchBuilder(Day(0)).Patient(Mrn, "F", "1961-05-01", "never").Report(Accession, Mrn, Day(0), Lcnec).WriteTo(archive.Path);
        Version(20, Withdrawn).WriteTo(archive.Path);
        Version(25, Reinstated).WriteTo(archive.Path);
        Version(50, Withdrawn).WriteTo(archive.Path);
        Version(55, Reinstated).WriteTo(archive.Path);
        new BatchBuilder(Day(100)).Patient("QX720099", "M", "1980-01-01", "never").WriteTo(archive.Path);
        Version(105, Withdrawn).WriteTo(archive.Path);
        Version(110, Reinstated).WriteTo(archive.Path);
        new BatchBuilder(Day(130)).Patient("QX720098", "M", "1981-01-01", "current").WriteTo(archive.Path);
        using var bus = new LoopbackServiceBus([Queue]);
        await using var harness = new LabExportHarness(azurite, bus.ConnectionString());
        var names = await harness.UploadAsync(archive.Path);
        bool Before(string name, int day) => string.CompareOrdinal(name, Iso(Day(day))) < 0;
        var id = Alert.IdentityOf(Rule, Mrn, Accession);
        var patient = harness.Pseudonym.Of(Mrn);
        var anotherRun = new TableClient(azurite.ConnectionString, harness.AlertLedger.Name);
        var conflicting = false;
        harness.Faults.When(r => conflicting && Cohort.IsLedgerSave(r, harness.AlertLedger.Name, patient))
            .Before(_ => anotherRun.UpsertEntityAsync(new TableEntity(patient, "$patient") { ["Touched"] = "by another run" }, TableUpdateMode.Merge));

        await harness.DeliverAllAsync(names.Where(n => Before(n, 20)));
        conflicting = true;
        await harness.DeliverAllAsync(names.Where(n => !Before(n, 20) && Before(n, 26)));
        Assert.Equal(patient, Assert.Single(await harness.State.FailuresAsync(harness.Token)).Pseudonym);
        conflicting = false;
        await harness.DeliverAllAsync(names.Where(n => !Before(n, 26) && Before(n, 51)));
        Assert.Empty(await harness.State.FailuresAsync(harness.Token));
        var catchUp = await ReceivedAsync(bus, harness.Token);
        await harness.DeliverAllAsync(names.Where(n => !Before(n, 51)));
        await harness.SweepAsync();
        var rest = await ReceivedAsync(bus, harness.Token);

        // One save (the batch of day 50) held two events of each of two cycles: distinct outbox rows, all sent.
        Assert.Equal([id, $"{id}:resolved", $"{id}:reopened1", $"{id}:reopened1:resolved"], catchUp.Select(m => m.MessageId));
        Assert.All(catchUp, m => Assert.Equal(Iso(Day(50)), m.CorrelationId));
        Assert.Equal([Iso(Day(15)), Iso(Day(20)), Iso(Day(40)), Iso(Day(50))], catchUp.Select(m => Body(m).GetProperty("asOf").GetString()));
        Assert.Equal([$"{id}:reopened2", $"{id}:reopened2:r1", $"{id}:reopened2:resolved", $"{id}:reopened3"], rest.Select(m => m.MessageId));
        var received = catchUp.Concat(rest).ToList();
        Assert.Equal(
            ["raised", "resolved", "reopened", "resolved", "reopened", "reminder", "resolved", "reopened"],
            received.Select(m => m.ApplicationProperties["event"]));
        Assert.All(received, m => Assert.Equal(m.ApplicationProperties["event"], Body(m).GetProperty("event").GetString()));
        Assert.Equal([0, 0, 1, 1, 2, 2, 2, 3], received.Select(m => Body(m).TryGetProperty("cycle", out var c) ? c.GetInt32() : 0));
        Assert.Equal(AlertMessages.Expected(LocalRun.Screen(archive.Path, Day(130), new ScreeningOptions())), AlertMessages.Of(received));
        Assert.Empty((await harness.AlertLedgerAsync()).Unsent);
        Assert.Equal([(id, "open")], (await harness.AlertLedgerAsync()).Records);
    }

    /// <summary>
    /// Service Bus refuses every send while two batches are screened, the later first: the patient walked from day 0
    /// by the batch of day 50 has events of days 15 and 45 saved under batch day 50; another, screened afterwards by
    /// the batch of day 30, has a raise of day 30. Once the broker is back, the outbox goes out by day.
    /// </summary>
    [Fact]
    public async Task OutboxAfterACatchUp_SendsEventsByTheDayTheyHappened_NotByTheirBatch()
    {
        const string Walked = "QX721001";
        const string Later = "QX721002";
        using var archive = new TempFolder();
        new BatchBuilder(Day(0)).Patient(Walked, "F", "1961-05-01", "never").Report("S27-00201", Walked, Day(0), Lcnec).WriteTo(archive.Path);
        new BatchBuilder(Day(30)).Patient(Later, "M", "1950-02-20", "current").Report("S27-00202", Later, Day(5), Lcnec).WriteTo(archive.Path);
        new BatchBuilder(Day(50)).Patient("QX721099", "M", "1980-01-01", "never").WriteTo(archive.Path);
        using var bus = new LoopbackServiceBus([Queue]);
        await using var up = new LabExportHarness(azurite, bus.ConnectionString());
        var names = await up.UploadAsync(archive.Path);
        await up.DeliverAllAsync(names.Where(n => n.StartsWith(Iso(Day(0)), StringComparison.Ordinal)));

        var failures = new List<Exception?>();
        await using (var down = new LabExportHarness(azurite, bus.ConnectionString(Convert.ToBase64String(new byte[32])), up.Storage))
        {
            foreach (var name in names.Where(n => n.StartsWith(Iso(Day(50)), StringComparison.Ordinal)).Concat(names.Where(n => n.StartsWith(Iso(Day(30)), StringComparison.Ordinal))))
            {
                failures.Add(await Record.ExceptionAsync(() => down.DeliverAsync(name)));
            }
        }
        var unsent = await up.State.UnsentAsync(up.Token);
        await up.Services.GetRequiredService<BatchScreening>().SendUnsentAsync(up.Token);
        var received = await ReceivedAsync(bus, up.Token);

        Assert.Equal(2, failures.Count(f => f is UnauthorizedAccessException or ServiceBusException)); // each batch's send was refused
        var walked = Alert.IdentityOf(Rule, Walked, "S27-00201");
        var later = Alert.IdentityOf(Rule, Later, "S27-00202");
        Assert.Equal([(walked, Day(15), Day(50)), (later, Day(30), Day(30)), ($"{walked}:r1", Day(45), Day(50))],
            unsent.Select(m => (m.MessageId, m.Event.On, m.BatchDate)));
        Assert.Equal([walked, later, $"{walked}:r1"], received.Select(m => m.MessageId));
        Assert.Equal([Iso(Day(50)), Iso(Day(30)), Iso(Day(50))], received.Select(m => m.CorrelationId));
        Assert.Empty((await up.AlertLedgerAsync()).Unsent);
    }

    [Fact]
    public void ToServiceBus_LongestMessageIdTheSchemeMakes_IsAcceptedBySdk()
    {
        var finding = new Finding(Rule, "2", Severity.High, "S27-00301", Day0, "t", "r", []);
        var alert = new Alert(Alert.IdentityOf(Rule, "QX722001", "S27-00301"), finding, AlertStatus.Open, Day0, new AlertPatient("QX722001", null, null, null), null);
        var longest = new AlertMessage("p", new AlertEvent(AlertEventKind.Reminder, alert, Day0, int.MaxValue, int.MaxValue), Day0);

        var message = ServiceBusAlertSink.ToServiceBus(longest);

        Assert.Equal(longest.MessageId, message.MessageId);
        Assert.Equal(63, message.MessageId.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceBusMessage { MessageId = new string('a', AlertEvent.MaxMessageIdLength + 1) });
        Assert.Equal("reminder", message.ApplicationProperties["event"]);
    }

    [Fact]
    public void ToServiceBus_Escalation_CarriesTheEscalationPropertyOtherEventsDoNot()
    {
        var finding = new Finding(Rule, "2", Severity.High, "S27-00301", Day0, "t", "r", []);
        var alert = new Alert(Alert.IdentityOf(Rule, "QX722001", "S27-00301"), finding, AlertStatus.Open, Day0, new AlertPatient("QX722001", null, null, null), null);
        var closed = alert with { Status = AlertStatus.Closed, ClosedOn = Day0, ClosedReason = AlertClosedReason.Declined };

        var escalation = ServiceBusAlertSink.ToServiceBus(new AlertMessage("p", new AlertEvent(AlertEventKind.Escalated, alert, Day0, Cycle: 2), Day0));
        var reminder = ServiceBusAlertSink.ToServiceBus(new AlertMessage("p", new AlertEvent(AlertEventKind.Reminder, alert, Day0, 3), Day0));
        var closing = ServiceBusAlertSink.ToServiceBus(new AlertMessage("p", new AlertEvent(AlertEventKind.Closed, closed, Day0), Day0));

        Assert.Equal<object>("escalated", escalation.ApplicationProperties["event"]);
        Assert.Equal<object>("true", escalation.ApplicationProperties["escalation"]);
        Assert.Equal<object>("open", escalation.ApplicationProperties["status"]);
        Assert.Equal($"{alert.AlertId}:reopened2:escalated", escalation.MessageId);
        Assert.False(reminder.ApplicationProperties.ContainsKey("escalation"));
        Assert.Equal<object>("closed", closing.ApplicationProperties["event"]);
        Assert.Equal<object>("closed", closing.ApplicationProperties["status"]);
        Assert.Equal($"{alert.AlertId}:closed", closing.MessageId);
        Assert.Contains("\"closedReason\":\"declined\"", closing.Body.ToString(), StringComparison.Ordinal);
    }
}
