using System.Globalization;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using LcnecBatch.Azure.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LcnecBatch.Azure;

/// <summary>The operations messages of alerts.md ("Operations messages"): the <c>Subject</c> of each.</summary>
public static class OperationsKind
{
    public const string Late = "LAB_EXPORT_LATE";
    public const string Incomplete = "LAB_EXPORT_INCOMPLETE";
    public const string Arrived = "LAB_EXPORT_ARRIVED";
    public const string Quarantined = "LAB_EXPORT_QUARANTINED";
    public const string RejectedRows = "LAB_EXPORT_REJECTED_ROWS";

    /// <summary>The application property that routes a message to the <c>operations</c> subscription, and its value.</summary>
    public const string ChannelProperty = "channel";
    public const string Channel = "operations";
}

/// <summary>One operations message: what, for which batch date, and counts only (no file name: raw NGS names carry accessions).</summary>
public sealed record OperationsNotice(
    string Kind,
    DateOnly BatchDate,
    DateTimeOffset Deadline,
    DateTimeOffset DetectedAt,
    int FilesListed,
    int FilesMissing,
    int FilesIngested,
    int FilesQuarantined,
    long RowsRead,
    long RowsRejected)
{
    public string MessageId => $"ops:{Kind}:{TableEntities.DateKey(BatchDate)}";

    /// <summary>The ledger key of the notice: once per kind and batch date.</summary>
    public string Key => $"{Kind}|{TableEntities.DateKey(BatchDate)}";

    public byte[] ToUtf8Json()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("kind", Kind);
            json.WriteString("batchDate", TableEntities.DateKey(BatchDate));
            json.WriteString("deadline", Deadline.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            json.WriteString("detectedAt", DetectedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            json.WriteNumber("filesListed", FilesListed);
            json.WriteNumber("filesMissing", FilesMissing);
            json.WriteNumber("filesIngested", FilesIngested);
            json.WriteNumber("filesQuarantined", FilesQuarantined);
            json.WriteNumber("rowsRead", RowsRead);
            json.WriteNumber("rowsRejected", RowsRejected);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public ServiceBusMessage ToServiceBus()
    {
        var message = new ServiceBusMessage(ToUtf8Json())
        {
            MessageId = MessageId,
            Subject = Kind,
            ContentType = "application/json",
            CorrelationId = TableEntities.DateKey(BatchDate),
        };
        message.ApplicationProperties[OperationsKind.ChannelProperty] = OperationsKind.Channel;
        message.ApplicationProperties["kind"] = Kind;
        return message;
    }
}

/// <summary>A batch date that is past its deadline without a complete batch.</summary>
public sealed record OverdueBatch(DateOnly BatchDate, DateTimeOffset Deadline, string Kind);

/// <summary>
/// Watches the lab's nightly export (issue 18): for every expected batch date of the last
/// <see cref="ExportWatchdogOptions.LookbackDays"/> whose deadline has passed, a batch with no manifest is late, one
/// whose manifest lists files not ingested is incomplete; a batch with quarantined files, or with more rejected rows
/// than the configured share, is reported once it is complete or due. Each kind is sent once per batch date: the
/// ingestion ledger records it after the broker accepted it, and the message id <c>ops:{kind}:{date}</c> lets the
/// topic's duplicate detection drop a re-send after a crash in between. A late batch that then comes complete gets
/// one <c>LAB_EXPORT_ARRIVED</c>. Times come from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class ExportWatchdog(
    IBatchState state,
    ServiceBusClient serviceBus,
    TimeProvider time,
    IOptions<ExportWatchdogOptions> options,
    IOptions<LabExportOptions> exports,
    IOptions<AlertTopicOptions> topic,
    PipelineMetrics metrics,
    ILogger<ExportWatchdog> logger)
{
    /// <summary>Checks every due batch date and sends what was not sent yet; returns the notices sent now.</summary>
    public async Task<IReadOnlyList<OperationsNotice>> CheckAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return [];
        }
        var now = time.GetUtcNow();
        var notices = new List<OperationsNotice>();
        var lateness = TimeSpan.Zero;
        foreach (var (date, deadline) in await ExpectedAsync(now, cancellationToken))
        {
            var due = now >= deadline;
            var batch = await state.BatchAsync(date, cancellationToken);
            if (due && batch is not { IsComplete: true } && now - deadline > lateness)
            {
                lateness = now - deadline;
            }
            var listed = batch?.Manifest?.Distinct(StringComparer.Ordinal).ToList() ?? [];
            var missing = batch?.Manifest is null ? 0 : listed.Count(f => !batch.Ingested.Contains(f));
            var ingested = batch?.Ingested.Count ?? 0;
            OperationsNotice Notice(string kind, int quarantined = 0, long read = 0, long rejected = 0) =>
                new(kind, date, deadline, now, listed.Count, missing, ingested, quarantined, read, rejected);

            if (batch is { IsComplete: true })
            {
                if (await state.OperationsSentAsync(Notice(OperationsKind.Late).Key, cancellationToken) is not null
                    || await state.OperationsSentAsync(Notice(OperationsKind.Incomplete).Key, cancellationToken) is not null)
                {
                    notices.Add(Notice(OperationsKind.Arrived));
                }
            }
            else if (due)
            {
                notices.Add(Notice(batch?.Manifest is null ? OperationsKind.Late : OperationsKind.Incomplete));
            }
            if (batch is not null && (batch.IsComplete || due))
            {
                var files = await state.IngestedAsync(date, cancellationToken);
                var quarantined = files.Count(f => f.Quarantined);
                var read = files.Sum(f => (long)f.RowsRead);
                var rejected = files.Sum(f => (long)f.RowsRejected);
                if (quarantined > 0)
                {
                    notices.Add(Notice(OperationsKind.Quarantined, quarantined, read, rejected));
                }
                if (read > 0 && rejected > settings.RejectedRowShare * read)
                {
                    notices.Add(Notice(OperationsKind.RejectedRows, quarantined, read, rejected));
                }
            }
        }
        // Every check records the oldest overdue batch's lateness (0 when none), so the export-late alert rule
        // (infra/modules/alerts.bicep) fires while a batch is overdue and resolves once it is complete.
        metrics.RecordExportLateness(lateness);
        var sent = new List<OperationsNotice>();
        await using var sender = serviceBus.CreateSender(topic.Value.EntityName);
        foreach (var notice in notices)
        {
            if (await state.OperationsSentAsync(notice.Key, cancellationToken) is not null)
            {
                continue;
            }
            await sender.SendMessageAsync(notice.ToServiceBus(), cancellationToken);
            await state.RecordOperationsSentAsync(notice.Key, cancellationToken);
            logger.OperationsSent(notice.Kind, notice.BatchDate);
            sent.Add(notice);
        }
        return sent;
    }

    /// <summary>The batch dates past their deadline without a complete batch (the rule of <c>LAB_EXPORT_LATE</c> and <c>_INCOMPLETE</c>), for health.</summary>
    public async Task<IReadOnlyList<OverdueBatch>> OverdueAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return [];
        }
        var now = time.GetUtcNow();
        var overdue = new List<OverdueBatch>();
        foreach (var (date, deadline) in await ExpectedAsync(now, cancellationToken))
        {
            if (now < deadline)
            {
                continue;
            }
            var batch = await state.BatchAsync(date, cancellationToken);
            if (batch is not { IsComplete: true })
            {
                overdue.Add(new OverdueBatch(date, deadline, batch?.Manifest is null ? OperationsKind.Late : OperationsKind.Incomplete));
            }
        }
        return overdue;
    }

    /// <summary>
    /// The expected batch dates of the lookback window, with their deadlines: export days (every day when none is
    /// configured) that are no holiday, from <see cref="LabExportOptions.ExportsSince"/> on (none: from the first batch
    /// the ledger knows; a ledger with no batch expects nothing yet), up to the lab's local today.
    /// </summary>
    private async Task<List<(DateOnly Date, DateTimeOffset Deadline)>> ExpectedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var schedule = exports.Value;
        var zone = settings.Zone();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var since = schedule.ExportsSince;
        if (since is null)
        {
            var known = await state.BatchDatesAsync(cancellationToken);
            if (known.Count == 0)
            {
                return [];
            }
            since = known[0];
        }
        var expected = new List<(DateOnly, DateTimeOffset)>();
        for (var date = today.AddDays(-settings.LookbackDays); date <= today; date = date.AddDays(1))
        {
            if (date < since
                || (schedule.ExportDays.Count > 0 && !schedule.ExportDays.Contains(date.DayOfWeek))
                || settings.Holidays.Contains(date))
            {
                continue;
            }
            expected.Add((date, DeadlineOf(date, settings, zone)));
        }
        return expected;
    }

    /// <summary>
    /// The deadline of a batch date as an instant: its local wall-clock time in the lab's zone, whatever the offset
    /// that day. A wall-clock time the spring change skips counts as the first instant after the gap; one the autumn
    /// change repeats, as its first (summer-time) occurrence.
    /// </summary>
    public static DateTimeOffset DeadlineOf(DateOnly date, ExportWatchdogOptions settings, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(zone);
        var local = date.AddDays(settings.DeadlineDays).ToDateTime(settings.Deadline, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
