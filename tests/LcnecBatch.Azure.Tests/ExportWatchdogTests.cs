using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using LcnecBatch.Azure.Telemetry;
using LcnecBatch.Azure.Tests.TestData;
using Microsoft.Extensions.DependencyInjection;

namespace LcnecBatch.Azure.Tests;

/// <summary>
/// The export watchdog on Azurite and the loopback broker (with the deployment's duplicate window), its clock a
/// <see cref="ManualClock"/>: the lab is in Berlin, the batch of a date is due at 07:00 local the next morning.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ExportWatchdogTests(AzuriteFixture azurite)
{
    private static readonly DateOnly Tuesday = new(2026, 11, 24);

    /// <summary>07:00 in Berlin on Wednesday 25 November (CET, UTC+1).</summary>
    private static readonly DateTimeOffset TuesdayDeadline = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Check_CompleteBatchBeforeItsDeadline_SendsNothing_AndAfterTheDeadlineStillNothing()
    {
        using var bus = Bus();
        await using var watch = await WatchAsync(bus, TuesdayDeadline.AddHours(-2));
        await watch.DeliverAsync(CleanBatch(Tuesday));

        Assert.Empty(await watch.CheckAsync());
        watch.Clock.Advance(TimeSpan.FromHours(3));
        Assert.Empty(await watch.CheckAsync());

        Assert.Empty(await watch.OperationsAsync());
    }

    [Fact]
    public async Task Check_NoBatchAtTheDeadline_SendsOneLate_NotAMinuteBefore()
    {
        using var bus = Bus();
        await using var watch = await WatchAsync(bus, TuesdayDeadline.AddMinutes(-1));

        Assert.Empty(await watch.CheckAsync());
        watch.Clock.Advance(TimeSpan.FromMinutes(1));
        var sent = await watch.CheckAsync();

        Assert.Equal(["ops:LAB_EXPORT_LATE:2026-11-24"], sent.Select(n => n.MessageId));
        var message = Assert.Single(await watch.OperationsAsync());
        Assert.Equal("ops:LAB_EXPORT_LATE:2026-11-24", message.MessageId);
        Assert.Equal("LAB_EXPORT_LATE", message.Subject);
        Assert.Equal("2026-11-24", message.CorrelationId);
        var body = JsonDocument.Parse(message.Body.ToString()).RootElement;
        Assert.Equal("2026-11-25T06:00:00Z", body.GetProperty("deadline").GetString());
        Assert.Equal(0, body.GetProperty("filesIngested").GetInt32());
    }

    [Fact]
    public async Task Check_RecordsTheOldestOverdueBatchsLatenessInHours_AndZeroOnceItArrived()
    {
        using var bus = Bus();
        await using var watch = await WatchAsync(bus, TuesdayDeadline.AddMinutes(-30));
        var lateness = new List<double>();
        var meter = watch.Harness.Services.GetRequiredService<PipelineMetrics>();
        using var listener = new MeterListener();
        // Only this harness's meter: other tests running beside this one record on meters of the same name.
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "lcnec.export.lateness" && meter.Owns(instrument))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => lateness.Add(value));
        listener.Start();

        await watch.CheckAsync();
        watch.Clock.Advance(TimeSpan.FromMinutes(120));
        await watch.CheckAsync();
        await watch.DeliverAsync(CleanBatch(Tuesday));
        await watch.CheckAsync();

        Assert.Equal([0.0, 1.5, 0.0], lateness);
    }

    [Fact]
    public async Task Check_LateThenArrived_SendsOneLateAndOneArrived_NeverASecondLate()
    {
        using var bus = Bus();
        await using var watch = await WatchAsync(bus, TuesdayDeadline.AddMinutes(5));
        await watch.CheckAsync();

        await watch.DeliverAsync(CleanBatch(Tuesday));
        watch.Clock.Advance(TimeSpan.FromMinutes(15));
        await watch.CheckAsync();
        watch.Clock.Advance(TimeSpan.FromMinutes(15));
        await watch.CheckAsync();

        Assert.Equal(["ops:LAB_EXPORT_LATE:2026-11-24", "ops:LAB_EXPORT_ARRIVED:2026-11-24"], (await watch.OperationsAsync()).Select(m => m.MessageId));
    }

    [Fact]
    public async Task Check_WeekendAndHolidayAreNotExpected_OnlyTheMissingFridayIsLate()
    {
        using var bus = Bus();
        // Monday 30 November, 07:30 in Berlin; exports since Thursday 26 November, a holiday; Friday's never came.
        await using var watch = await WatchAsync(bus, new DateTimeOffset(2026, 11, 30, 6, 30, 0, TimeSpan.Zero), since: new(2026, 11, 26),
            configure: (o, e) =>
            {
                o.Holidays.Add(new DateOnly(2026, 11, 26));
                foreach (var day in new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday })
                {
                    e.ExportDays.Add(day);
                }
            });

        await watch.CheckAsync();

        Assert.Equal(["ops:LAB_EXPORT_LATE:2026-11-27"], (await watch.OperationsAsync()).Select(m => m.MessageId));
    }

    [Fact]
    public async Task Check_ManifestListsFilesNotIngestedByTheDeadline_SendsIncompleteWithTheCountMissing()
    {
        using var bus = Bus();
        await using var watch = await WatchAsync(bus, TuesdayDeadline.AddMinutes(1));
        await watch.DeliverAsync(CleanBatch(Tuesday), except: "pathology_reports.csv");

        await watch.CheckAsync();

        var message = Assert.Single(await watch.OperationsAsync());
        Assert.Equal("ops:LAB_EXPORT_INCOMPLETE:2026-11-24", message.MessageId);
        var body = JsonDocument.Parse(message.Body.ToString()).RootElement;
        Assert.Equal(2, body.GetProperty("filesListed").GetInt32());
        Assert.Equal(1, body.GetProperty("filesMissing").GetInt32());
    }

    [Fact]
    public async Task Check_CompleteBatchWithAQuarantinedFileAndMostRowsRejected_SendsQuarantinedAndRejectedRows_WithoutWaitingForTheDeadline()
    {
        using var bus = Bus();
        await using var watch = await WatchAsync(bus, TuesdayDeadline.AddHours(-5));
        await watch.DeliverAsync(BadBatch(Tuesday));

        await watch.CheckAsync();

        var messages = (await watch.OperationsAsync()).ToDictionary(m => m.Subject);
        Assert.Equal(["LAB_EXPORT_QUARANTINED", "LAB_EXPORT_REJECTED_ROWS"], messages.Keys.Order(StringComparer.Ordinal));
        var rejected = JsonDocument.Parse(messages["LAB_EXPORT_REJECTED_ROWS"].Body.ToString()).RootElement;
        Assert.Equal(1, rejected.GetProperty("filesQuarantined").GetInt32());
        Assert.Equal(3, rejected.GetProperty("rowsRejected").GetInt64());
        Assert.True(rejected.GetProperty("rowsRead").GetInt64() > 3);
    }

    [Fact]
    public async Task Check_RejectedRowsUnderTheShare_SendsNoRejectedRows()
    {
        using var bus = Bus();
        await using var watch = await WatchAsync(bus, TuesdayDeadline.AddHours(1), configure: (o, _) => o.RejectedRowShare = 0.9);
        await watch.DeliverAsync(BadBatch(Tuesday));

        await watch.CheckAsync();

        Assert.Equal(["LAB_EXPORT_QUARANTINED"], (await watch.OperationsAsync()).Select(m => m.Subject));
    }

    [Fact]
    public async Task Check_RepeatedSweeps_SendOnce_AndAFailedLedgerWriteIsCaughtByTheBrokersDuplicateDetection()
    {
        using var bus = Bus();
        await using var watch = await WatchAsync(bus, TuesdayDeadline.AddMinutes(1));
        for (var i = 0; i < 3; i++)
        {
            await watch.CheckAsync();
            watch.Clock.Advance(TimeSpan.FromMinutes(15));
        }
        Assert.Equal(1, bus.Sends);

        // A crash between the send and the ledger row: the row is gone, the next check sends again with the same id.
        await watch.Harness.Tables.GetTableClient($"ingestionledger{watch.Harness.Storage}")
            .DeleteEntityAsync("$operations", "LAB_EXPORT_LATE|2026-11-24", cancellationToken: watch.Harness.Token);
        await watch.CheckAsync();

        Assert.Equal(2, bus.Sends);
        Assert.Equal(1, bus.DuplicatesDropped);
        Assert.Equal(["ops:LAB_EXPORT_LATE:2026-11-24"], (await watch.OperationsAsync()).Select(m => m.MessageId));
    }

    [Fact]
    public async Task Check_OnTheNightClocksGoBack_TheDeadlineIsSevenLocalInWinterTime()
    {
        using var bus = Bus();
        // Saturday 24 October 2026: Berlin leaves summer time at 03:00 on Sunday, so 07:00 that day is 06:00 UTC, not 05:00.
        var saturday = new DateOnly(2026, 10, 24);
        await using var watch = await WatchAsync(bus, new DateTimeOffset(2026, 10, 25, 5, 30, 0, TimeSpan.Zero), since: saturday);

        Assert.Empty(await watch.CheckAsync());
        watch.Clock.Advance(TimeSpan.FromMinutes(30));
        await watch.CheckAsync();

        Assert.Equal(["ops:LAB_EXPORT_LATE:2026-10-24"], (await watch.OperationsAsync()).Select(m => m.MessageId));
    }

    [Theory]
    [InlineData("2026-10-23", "07:00", "2026-10-24T05:00:00Z")] // summer time
    [InlineData("2026-10-24", "07:00", "2026-10-25T06:00:00Z")] // the autumn change's morning
    [InlineData("2026-03-28", "07:00", "2026-03-29T05:00:00Z")] // the spring change's morning
    [InlineData("2026-03-28", "02:30", "2026-03-29T01:00:00Z")] // a wall time the spring change skips: the first instant after the gap
    [InlineData("2026-10-24", "02:30", "2026-10-25T00:30:00Z")] // a wall time the autumn change repeats: its first occurrence
    public void DeadlineOf_InTheLabsZone_FollowsTheLocalClockAcrossDaylightSavingChanges(string date, string deadline, string expected)
    {
        var options = new ExportWatchdogOptions { TimeZone = "Europe/Berlin", Deadline = TimeOnly.Parse(deadline, System.Globalization.CultureInfo.InvariantCulture) };

        var instant = ExportWatchdog.DeadlineOf(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), options, options.Zone());

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), instant);
    }

    [Fact]
    public async Task OperationsMessages_OfABatchOfPatients_CarryNoMrnReportTextOrFileName_AndAreRoutedAwayFromCareTeams()
    {
        using var bus = Bus();
        await using var watch = await WatchAsync(bus, TuesdayDeadline.AddMinutes(1));
        await watch.DeliverAsync(BadBatch(Tuesday), except: "ihc_results.csv");

        await watch.CheckAsync();

        var messages = await watch.OperationsAsync();
        Assert.Equal(["LAB_EXPORT_INCOMPLETE", "LAB_EXPORT_QUARANTINED", "LAB_EXPORT_REJECTED_ROWS"], messages.Select(m => m.Subject).Order(StringComparer.Ordinal));
        foreach (var message in messages)
        {
            Assert.Equal("operations", message.ApplicationProperties["channel"]);
            Assert.False(message.ApplicationProperties.ContainsKey("careTeam"));
            var wire = message.Body + " " + string.Join(' ', message.ApplicationProperties.Select(p => $"{p.Key}={p.Value}"))
                + $" {message.MessageId} {message.Subject} {message.CorrelationId}";
            Assert.All(SampleBatches.Mrns, mrn => Assert.DoesNotContain(mrn, wire, StringComparison.Ordinal));
            Assert.All(SampleBatches.ReportText, text => Assert.DoesNotContain(text, wire, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain("S26-", wire, StringComparison.Ordinal);
            Assert.DoesNotContain(".csv", wire, StringComparison.Ordinal);
            Assert.DoesNotContain(".vcf", wire, StringComparison.Ordinal);
        }
        var logs = string.Join('\n', watch.Harness.Logs.Lines);
        Assert.Contains("LAB_EXPORT_QUARANTINED", logs, StringComparison.Ordinal);
        Assert.All(SampleBatches.Mrns, mrn => Assert.DoesNotContain(mrn, logs, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Europe/Berlin", true)]
    [InlineData("America/Chicago", true)]
    [InlineData("Mars/Olympus_Mons", false)]
    [InlineData("", false)]
    public void Options_TimeZoneMustBeAKnownIanaId(string zone, bool valid)
    {
        var options = new ExportWatchdogOptions { TimeZone = zone };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        var ok = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true);

        Assert.Equal(valid, ok);
    }

    [Fact]
    public async Task Check_Disabled_SendsNothing()
    {
        using var bus = Bus();
        await using var watch = await WatchAsync(bus, TuesdayDeadline.AddDays(1), configure: (o, _) => o.Enabled = false);

        Assert.Empty(await watch.CheckAsync());
        Assert.Empty(await watch.OperationsAsync());
    }

    private static LoopbackServiceBus Bus() => new([LabExportHarness.Queue], duplicateDetection: LoopbackServiceBus.DeploymentDuplicateWindow);

    /// <summary>One patient without LCNEC (no alert is raised), in a patients file and a report file.</summary>
    private static BatchBuilder CleanBatch(DateOnly date) => new BatchBuilder(date)
        .Patient(SampleBatches.Mrns[3], "M", "1950-01-01", "current")
        .Report("S26-00041", SampleBatches.Mrns[3], date.AddDays(-3), "Small cell carcinoma.");

    /// <summary>Five patients (every sample MRN), three patients rows with a bad sex, and a molecular file that is no table at all.</summary>
    private static BatchBuilder BadBatch(DateOnly date)
    {
        var batch = new BatchBuilder(date);
        for (var i = 0; i < SampleBatches.Mrns.Length; i++)
        {
            batch.Patient(SampleBatches.Mrns[i], i < 3 ? "Q" : "F", "1960-01-01", "never")
                .Report($"S26-0009{i}", SampleBatches.Mrns[i], date.AddDays(-2), "Small cell carcinoma.")
                .Ihc($"S26-0009{i}", SampleBatches.Mrns[i], date.AddDays(-1), "negative");
        }
        return batch.File("molecular_results.csv", Encoding.UTF8.GetBytes("mrn\n"));
    }

    private async Task<Watch> WatchAsync(LoopbackServiceBus bus, DateTimeOffset now, DateOnly? since = null, Action<ExportWatchdogOptions, LabExportOptions>? configure = null)
    {
        var clock = new ManualClock(now);
        var harness = new LabExportHarness(azurite, bus.ConnectionString(), configure: services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.PostConfigure<ExportWatchdogOptions>(o => o.TimeZone = "Europe/Berlin");
            services.PostConfigure<LabExportOptions>(e => e.ExportsSince = since ?? Tuesday);
            if (configure is not null)
            {
                services.PostConfigure<ExportWatchdogOptions>(o => configure(o, new LabExportOptions()));
                services.PostConfigure<LabExportOptions>(e => configure(new ExportWatchdogOptions(), e));
            }
        });
        await harness.Exports.CreateIfNotExistsAsync(cancellationToken: harness.Token);
        return new Watch(harness, clock, bus);
    }

    private sealed class Watch(LabExportHarness harness, ManualClock clock, LoopbackServiceBus bus) : IAsyncDisposable
    {
        private readonly TempFolder _archive = new();
        private readonly List<ServiceBusReceivedMessage> _operations = [];

        public LabExportHarness Harness => harness;

        public ManualClock Clock => clock;

        public Task<IReadOnlyList<OperationsNotice>> CheckAsync() =>
            harness.Services.GetRequiredService<ExportWatchdog>().CheckAsync(harness.Token);

        /// <summary>Uploads and delivers a batch, all of it but one file when asked (the manifest lists it all the same).</summary>
        public async Task DeliverAsync(BatchBuilder batch, string? except = null)
        {
            batch.WriteTo(_archive.Path);
            var names = await harness.UploadAsync(_archive.Path);
            await harness.DeliverAllAsync(names.Where(n => except is null || !n.EndsWith("/" + except, StringComparison.Ordinal)));
        }

        /// <summary>Every operations message the broker holds so far (alerts, without the channel, are left out), in arrival order.</summary>
        public async Task<IReadOnlyList<ServiceBusReceivedMessage>> OperationsAsync()
        {
            var received = await AlertMessages.DrainAsync(bus.ConnectionString(), LabExportHarness.Queue, harness.Token);
            _operations.AddRange(received.Where(m => m.ApplicationProperties.TryGetValue("channel", out var c) && "operations".Equals(c)));
            return _operations;
        }

        public async ValueTask DisposeAsync()
        {
            await harness.DisposeAsync();
            _archive.Dispose();
        }
    }
}
