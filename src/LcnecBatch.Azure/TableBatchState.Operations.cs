using Azure.Data.Tables;

namespace LcnecBatch.Azure;

/// <summary>What the export watchdog and the health probe keep and read: operations messages sent, the last sweep, the outbox's size.</summary>
public sealed partial class TableBatchState
{
    private const string OperationsPartition = "$operations";
    private const string SweepRow = "sweep";

    public async Task<DateTimeOffset?> OperationsSentAsync(string key, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var row = await _ledger.GetEntityIfExistsAsync<TableEntity>(OperationsPartition, key, ["SentAt"], cancellationToken);
        return row.HasValue ? row.Value!.GetDateTimeOffset("SentAt") ?? row.Value.Timestamp : null;
    }

    public async Task RecordOperationsSentAsync(string key, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        await _ledger.UpsertEntityAsync(new TableEntity(OperationsPartition, key) { ["SentAt"] = _time.GetUtcNow() }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task RecordSweepAsync(CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        await _ledger.UpsertEntityAsync(new TableEntity(OperationsPartition, SweepRow) { ["SweptAt"] = _time.GetUtcNow() }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<DateTimeOffset?> LastSweepAsync(CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var row = await _ledger.GetEntityIfExistsAsync<TableEntity>(OperationsPartition, SweepRow, ["SweptAt"], cancellationToken);
        return row.HasValue ? row.Value!.GetDateTimeOffset("SweptAt") : null;
    }

    public async Task<UnsentSummary> UnsentSummaryAsync(int limit, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        // Outbox rows only (RK out|{message id}), keys and times only, and no more than the limit. A row saved before
        // SavedAt was kept counts from the service's timestamp.
        var filter = TableClient.CreateQueryFilter($"RowKey ge {"out|"} and RowKey lt {"out}"}");
        var count = 0;
        DateTimeOffset? oldest = null;
        await foreach (var row in _alerts.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(limit + 1, 1000), select: ["RowKey", "SavedAt", "Timestamp"], cancellationToken: cancellationToken))
        {
            if (count == limit)
            {
                return new UnsentSummary(count, true, oldest);
            }
            count++;
            if ((row.GetDateTimeOffset("SavedAt") ?? row.Timestamp) is { } saved && (oldest is null || saved < oldest))
            {
                oldest = saved;
            }
        }
        return new UnsentSummary(count, false, oldest);
    }
}
