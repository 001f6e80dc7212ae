using Azure;
using Azure.Data.Tables;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Events;
using static LcnecBatch.Azure.TableEntities;

namespace LcnecBatch.Azure;

/// <summary>Patient facts, raw files and each patient's alert ledger with its unsent messages (the outbox).</summary>
public sealed partial class TableBatchState
{
    private const string PatientRow = "$patient";
    private const string OutboxPrefix = "out|";

    public async Task<IReadOnlySet<string>> WatchedAsync(CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var rows = await QueryAsync(_alerts, TableClient.CreateQueryFilter($"RowKey eq {PatientRow} and Watch eq true"), ["PartitionKey"], cancellationToken);
        return rows.Select(r => r.PartitionKey).ToHashSet(StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<TimelineEvent>> EventsAsync(string pseudonym, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var rows = await QueryAsync(_events, TableClient.CreateQueryFilter($"PartitionKey eq {pseudonym}"), null, cancellationToken);
        return [.. rows.Select(r => TimelineEventJson.Parse(GetBinary(r, "Event")))];
    }

    public async Task<IReadOnlyList<RawNgsFileArrived>> RawFilesAsync(IEnumerable<string> accessions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accessions);
        await ReadyAsync(cancellationToken);
        var files = new List<RawNgsFileArrived>();
        foreach (var accession in accessions.Distinct(StringComparer.Ordinal))
        {
            var rows = await QueryAsync(_rawFiles, TableClient.CreateQueryFilter($"PartitionKey eq {_pseudonym.OfAccession(accession)}"), null, cancellationToken);
            files.AddRange(rows.Select(r => (RawNgsFileArrived)TimelineEventJson.Parse(GetBinary(r, "Event"))));
        }
        return files;
    }

    public async Task<PatientAlerts> AlertsAsync(string pseudonym, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var rows = await QueryAsync(_alerts, TableClient.CreateQueryFilter($"PartitionKey eq {pseudonym} and RowKey lt {OutboxPrefix}"), null, cancellationToken);
        var patient = rows.FirstOrDefault(r => r.RowKey == PatientRow);
        var records = rows.Where(r => r.RowKey != PatientRow).Select(r => AlertRecordJson.ParseRecord(GetBinary(r, "Record"))).ToList();
        return new PatientAlerts(
            pseudonym,
            patient?.GetString("ScreenedThrough") is { } through ? ParseDateKey(through) : null,
            records,
            patient?.ETag.ToString());
    }

    public async Task<bool> SaveAlertsAsync(PatientAlerts loaded, PatientScreening screening, CancellationToken cancellationToken)
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
                var row = new TableEntity(partition, record.Last.AlertId) { ["RuleId"] = record.Last.RuleId, ["Status"] = record.IsOpen ? "open" : "resolved" };
                SetBinary(row, "Record", json);
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, row));
            }
        }
        foreach (var message in screening.Events)
        {
            var row = new TableEntity(partition, OutboxPrefix + message.MessageId) { ["BatchDate"] = DateKey(message.BatchDate), ["On"] = DateKey(message.Event.On) };
            SetBinary(row, "Event", AlertRecordJson.ToUtf8(message.Event));
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, row));
        }
        if (actions.Count > 100)
        {
            throw new InvalidOperationException($"patient {partition}: {actions.Count} alert ledger changes at once do not fit one transaction");
        }
        try
        {
            await _alerts.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (IsConflict(e))
        {
            return false;
        }
    }

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
}
