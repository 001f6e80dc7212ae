using Azure;
using Azure.Data.Tables;
using static LcnecBatch.Azure.TableEntities;

namespace LcnecBatch.Azure;

/// <summary>The ledger queries of the sweep's reconciliation (<see cref="LabExportReconciliation"/>).</summary>
public sealed partial class TableBatchState
{
    public Task<IReadOnlyDictionary<string, RecordedFile>> RecordedFilesAsync(DateOnly batchDate, CancellationToken cancellationToken) =>
        RecordedAsync(DateKey(batchDate), cancellationToken);

    public Task<IReadOnlyDictionary<string, RecordedFile>> RecordedResponsesAsync(DateOnly recordedOn, CancellationToken cancellationToken) =>
        RecordedAsync(ResponsesPartition(recordedOn), cancellationToken);

    private async Task<IReadOnlyDictionary<string, RecordedFile>> RecordedAsync(string partition, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        // File rows only: their escaped keys sort after '%', the rows that are not files start with '$'.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge '%'");
        var rows = await QueryAsync(_ledger, filter, ["RowKey", "BlobETag"], cancellationToken);
        return rows.Select(r => new RecordedFile(PathFromKey(r.RowKey), r.GetString("BlobETag")))
            .ToDictionary(f => f.PathInBatch, StringComparer.Ordinal);
    }

    public async Task StampAsync(DeliveredFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.BlobETag is null)
        {
            return;
        }
        await ReadyAsync(cancellationToken);
        var row = await _ledger.GetEntityIfExistsAsync<TableEntity>(LedgerPartition(file), PathKey(file.PathInBatch), ["ContentHash", "BlobETag"], cancellationToken);
        if (!row.HasValue || row.Value!.GetString("ContentHash") != file.ContentHash || row.Value.GetString("BlobETag") == file.BlobETag)
        {
            return;
        }
        var stamp = new TableEntity(LedgerPartition(file), PathKey(file.PathInBatch)) { ["BlobETag"] = file.BlobETag };
        try
        {
            await _ledger.UpdateEntityAsync(stamp, row.Value.ETag, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException e) when (IsConflict(e))
        {
            // Recorded again meanwhile (other bytes): that row stands; a stale stamp would only cost a re-read.
        }
    }
}
