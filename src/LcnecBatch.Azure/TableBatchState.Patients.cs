using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Events;
using static LcnecBatch.Azure.TableEntities;

namespace LcnecBatch.Azure;

/// <summary>
/// Patient facts, raw files and each patient's alert ledger with its unsent messages (the outbox); patients whose
/// screening failed, in the ingestion ledger (PK <c>$failures</c>, RK = pseudonym), until a run screens them.
/// </summary>
public sealed partial class TableBatchState
{
    private const string PatientRow = "$patient";
    private const string OutboxPrefix = "out|";
    private const string FailuresPartition = "$failures";

    /// <summary>An entity-group transaction holds at most 100 operations.</summary>
    public const int MaxSaveActions = 100;

    public async Task<IReadOnlySet<string>> WatchedAsync(CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var rows = await QueryAsync(_alerts, TableClient.CreateQueryFilter($"RowKey eq {PatientRow} and Watch eq true"), ["PartitionKey"], cancellationToken);
        return rows.Select(r => r.PartitionKey).ToHashSet(StringComparer.Ordinal);
    }

    public async Task<IReadOnlySet<string>> DueAsync(DateOnly asOf, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        // Date keys (yyyy-MM-dd) compare as strings in the order of the dates; a row without the property never matches.
        var filter = TableClient.CreateQueryFilter($"RowKey eq {PatientRow} and (NextDue le {DateKey(asOf)} or ResponseDue le {DateKey(asOf)})");
        var rows = await QueryAsync(_alerts, filter, ["PartitionKey"], cancellationToken);
        return rows.Select(r => r.PartitionKey).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Marks the patients a response file named as due on the day the response was recorded (<see cref="DueAsync"/>), on the rows of those
    /// with a ledger (a response to no alert of theirs changes nothing). Changing the row changes its ETag, so a walk
    /// that read the ledger before the mark fails its save and reads again: the next save that clears the mark saw the response.
    /// </summary>
    private async Task MarkRespondedAsync(IEnumerable<(string Partition, DateOnly RecordedOn)> patients, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(patients, Parallelism(cancellationToken), async (patient, ct) =>
        {
            try
            {
                await _alerts.UpdateEntityAsync(new TableEntity(patient.Partition, PatientRow) { ["ResponseDue"] = DateKey(patient.RecordedOn) }, ETag.All, TableUpdateMode.Merge, ct);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // No ledger: no alert the response could be about.
            }
        });
    }

    public async Task<IReadOnlyList<TimelineEvent>> EventsAsync(string pseudonym, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var rows = await QueryAsync(_events, TableClient.CreateQueryFilter($"PartitionKey eq {pseudonym}"), null, cancellationToken);
        return Readable(PatientFailureReason.UnreadableStoredEvent, () => rows.Select(r => TimelineEventJson.Parse(GetBinary(r, "Event"))).ToList());
    }

    public async Task<IReadOnlyList<RawNgsFileArrived>> RawFilesAsync(IEnumerable<string> accessions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accessions);
        await ReadyAsync(cancellationToken);
        var files = new List<RawNgsFileArrived>();
        foreach (var accession in accessions.Distinct(StringComparer.Ordinal))
        {
            var rows = await QueryAsync(_rawFiles, TableClient.CreateQueryFilter($"PartitionKey eq {_pseudonym.OfAccession(accession)}"), null, cancellationToken);
            files.AddRange(Readable(PatientFailureReason.UnreadableStoredEvent, () => rows.Select(r => (RawNgsFileArrived)TimelineEventJson.Parse(GetBinary(r, "Event"))).ToList()));
        }
        return files;
    }

    public async Task<PatientAlerts> AlertsAsync(string pseudonym, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var rows = await QueryAsync(_alerts, TableClient.CreateQueryFilter($"PartitionKey eq {pseudonym} and RowKey lt {OutboxPrefix}"), null, cancellationToken);
        var patient = rows.FirstOrDefault(r => r.RowKey == PatientRow);
        var records = Readable(PatientFailureReason.UnreadableStoredAlert, () => rows.Where(r => r.RowKey != PatientRow).Select(r => AlertRecordJson.ParseRecord(GetBinary(r, "Record"))).ToList());
        return new PatientAlerts(
            pseudonym,
            patient?.GetString("ScreenedThrough") is { } through ? ParseDateKey(through) : null,
            records,
            patient?.ETag.ToString());
    }

    public async Task<(string Pseudonym, AlertRecord Record)?> AlertAsync(string alertId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alertId);
        await ReadyAsync(cancellationToken);
        // Alert records are keyed (pseudonym, alert id): a lookup by id alone is a query on the row key across partitions.
        var rows = await QueryAsync(_alerts, TableClient.CreateQueryFilter($"RowKey eq {alertId}"), null, cancellationToken);
        if (rows.OrderBy(r => r.PartitionKey, StringComparer.Ordinal).FirstOrDefault() is not { } row)
        {
            return null;
        }
        var record = Readable(PatientFailureReason.UnreadableStoredAlert, () => AlertRecordJson.ParseRecord(GetBinary(row, "Record")));
        return (row.PartitionKey, record);
    }

    public async Task<PatientAlerts?> SaveAlertsAsync(PatientAlerts loaded, PatientScreening screening, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(screening);
        var partition = loaded.Pseudonym;
        var open = screening.Records.Count(r => r.IsOpen);
        var patient = new TableEntity(partition, PatientRow)
        {
            ["ScreenedThrough"] = DateKey(screening.ScreenedThrough),
            ["Lcnec"] = screening.Lcnec,
            ["Open"] = open,
            ["Watch"] = screening.Lcnec || open > 0,
        };
        if (screening.NextDue is { } due)
        {
            patient["NextDue"] = DateKey(due);
        }
        // The patient row's ETag guards the whole partition: every save rewrites it in the same transaction.
        var actions = new List<TableTransactionAction>
        {
            loaded.Version is null
                ? new TableTransactionAction(TableTransactionActionType.Add, patient)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, patient, new ETag(loaded.Version)),
        };
        var before = loaded.Records.ToDictionary(r => r.Last.AlertId, AlertRecordJson.ToUtf8, StringComparer.Ordinal);
        foreach (var record in screening.Records)
        {
            var json = AlertRecordJson.ToUtf8(record);
            if (!before.TryGetValue(record.Last.AlertId, out var was) || !was.AsSpan().SequenceEqual(json))
            {
                var row = new TableEntity(partition, record.Last.AlertId) { ["RuleId"] = record.Last.RuleId, ["Status"] = StatusOf(record) };
                SetBinary(row, "Record", json);
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, row));
            }
        }
        foreach (var message in screening.Events)
        {
            var row = new TableEntity(partition, OutboxPrefix + message.MessageId) { ["BatchDate"] = DateKey(message.BatchDate), ["On"] = DateKey(message.Event.On), ["SavedAt"] = _time.GetUtcNow() };
            SetBinary(row, "Event", AlertRecordJson.ToUtf8(message.Event));
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, row));
        }
        if (actions.Count > MaxSaveActions)
        {
            throw new PatientScreeningException(PatientFailureReason.LedgerTooLarge);
        }
        try
        {
            var saved = await _alerts.SubmitTransactionAsync(actions, cancellationToken);
            // The patient row is the first action: its new ETag guards the next save.
            var version = saved.Value[0].Headers.ETag?.ToString() ?? throw new InvalidOperationException("the patient row was saved without an ETag");
            return new PatientAlerts(partition, screening.ScreenedThrough, [.. screening.Records], version);
        }
        catch (TableTransactionFailedException e) when (IsConflict(e))
        {
            return null;
        }
    }

    /// <summary>A record row's status: open, resolved (the finding stopped holding) or closed (by a care-team response).</summary>
    private static string StatusOf(AlertRecord record) => record.IsOpen ? "open" : record.ClosedOn is not null ? "closed" : "resolved";

    /// <summary>
    /// In the order the events happened (<see cref="AlertEvent.SendOrder"/>), not by the batch whose screening found
    /// them: a catch-up walk saves old events under a late batch, and a resolution must not leave before its raise.
    /// </summary>
    public async Task<IReadOnlyList<AlertMessage>> UnsentAsync(CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var rows = await QueryAsync(_alerts, TableClient.CreateQueryFilter($"RowKey ge {OutboxPrefix} and RowKey lt {"out}"}"), null, cancellationToken);
        return [.. rows
            .Select(r => new AlertMessage(r.PartitionKey, AlertRecordJson.ParseEvent(GetBinary(r, "Event")), ParseDateKey(r.GetString("BatchDate"))))
            .OrderBy(m => m.Event, AlertEvent.SendOrder).ThenBy(m => m.Pseudonym, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<PatientFailure>> FailuresAsync(CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var rows = await QueryAsync(_ledger, TableClient.CreateQueryFilter($"PartitionKey eq {FailuresPartition}"), null, cancellationToken);
        return [.. rows.OrderBy(r => r.RowKey, StringComparer.Ordinal).Select(r => new PatientFailure(
            r.RowKey,
            r.GetString("Reason") ?? PatientFailureReason.ScreeningError,
            ParseDateKey(r.GetString("From")),
            ParseDateKey(r.GetString("Through")),
            r.GetInt32("Attempts") ?? 1,
            r.GetDateTimeOffset("FirstFailedAt") ?? DateTimeOffset.UnixEpoch,
            r.GetDateTimeOffset("LastFailedAt") ?? DateTimeOffset.UnixEpoch))];
    }

    public async Task RecordFailureAsync(PatientFailure failure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failure);
        await ReadyAsync(cancellationToken);
        var row = new TableEntity(FailuresPartition, failure.Pseudonym)
        {
            ["Reason"] = failure.Reason,
            ["From"] = DateKey(failure.From),
            ["Through"] = DateKey(failure.Through),
            ["Attempts"] = failure.Attempts,
            ["FirstFailedAt"] = failure.FirstFailedAt,
            ["LastFailedAt"] = failure.LastFailedAt,
        };
        await _ledger.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task ClearFailureAsync(string pseudonym, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        await _ledger.DeleteEntityAsync(FailuresPartition, pseudonym, ETag.All, cancellationToken); // no error when it is not there
    }

    public async Task MarkSentAsync(IReadOnlyList<AlertMessage> sent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sent);
        await Parallel.ForEachAsync(sent.GroupBy(m => m.Pseudonym), Parallelism(cancellationToken), async (patient, ct) =>
        {
            var deletes = patient.Select(m => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(patient.Key, OutboxPrefix + m.MessageId), ETag.All)).ToList();
            try
            {
                await SubmitAsync(_alerts, deletes, ct);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // One was gone already (marked by an earlier attempt): the others one by one.
                foreach (var delete in deletes)
                {
                    await _alerts.DeleteEntityAsync(delete.Entity.PartitionKey, delete.Entity.RowKey, ETag.All, ct);
                }
            }
        });
    }

    /// <summary>Stored rows that no longer parse are the patient's failure, named by class: the parser's text may quote the data.</summary>
    private static T Readable<T>(string reason, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or NotSupportedException or InvalidCastException or FormatException or ArgumentException)
        {
            throw new PatientScreeningException(reason);
        }
    }
}
