using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace LcnecBatch.Azure.CdsHooks;

/// <summary>
/// The CDS Hooks table (<see cref="CdsHooksOptions.Table"/>, in the state account). Partition <c>jti</c>: one row per
/// accepted token, keyed by a hash of issuer and <c>jti</c>, with the token's expiry (a row outlives its token
/// harmlessly: a token past <c>exp</c> is refused before the cache is asked). Partition <c>card</c>: one row per card
/// served, alert id → patient pseudonym, so feedback (which names only the card) finds the patient's ledger.
/// Partition <c>inbox</c>: one row per response the inbox endpoint recorded, keyed by a hash of its response id, with
/// its blob name, so the same response id posted on a later day is not written again.
/// </summary>
public sealed class CdsHooksTable(TableServiceClient tables, IOptions<CdsHooksOptions> options, IOptions<StateTableOptions> state)
{
    private const string TokenPartition = "jti";
    private const string CardPartition = "card";
    private const string InboxPartition = "inbox";

    private readonly TableClient _table = tables.GetTableClient(options.Value.Table);
    private readonly bool _create = state.Value.CreateIfNotExists;
    private Task? _ready;

    /// <summary>Records a token id; false when it was recorded before (a replay).</summary>
    public async Task<bool> TryRecordTokenAsync(string issuer, string jti, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        await ReadyAsync();
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{issuer}\n{jti}")));
        try
        {
            await _table.AddEntityAsync(new TableEntity(TokenPartition, key) { ["Expires"] = expires }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Notes which patient (by pseudonym) each served card's alert belongs to.</summary>
    public async Task IndexCardsAsync(string pseudonym, IEnumerable<string> alertIds, CancellationToken cancellationToken)
    {
        await ReadyAsync();
        foreach (var alertId in alertIds)
        {
            await _table.UpsertEntityAsync(new TableEntity(CardPartition, alertId) { ["Pseudonym"] = pseudonym }, TableUpdateMode.Replace, cancellationToken);
        }
    }

    /// <summary>The pseudonym of the patient a served card was about; null for a card never served.</summary>
    public async Task<string?> PseudonymOfCardAsync(string alertId, CancellationToken cancellationToken)
    {
        await ReadyAsync();
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(CardPartition, alertId, ["Pseudonym"], cancellationToken);
        return row.HasValue ? row.Value!.GetString("Pseudonym") : null;
    }

    /// <summary>The blob an inbox response id was recorded in; null when it was never recorded.</summary>
    public async Task<string?> InboxResponseBlobAsync(string responseId, CancellationToken cancellationToken)
    {
        await ReadyAsync();
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(InboxPartition, Hash(responseId), ["Blob"], cancellationToken);
        return row.HasValue ? row.Value!.GetString("Blob") : null;
    }

    /// <summary>Notes the blob an inbox response id was recorded in (after the blob was written).</summary>
    public async Task NoteInboxResponseAsync(string responseId, string blobName, CancellationToken cancellationToken)
    {
        await ReadyAsync();
        await _table.UpsertEntityAsync(new TableEntity(InboxPartition, Hash(responseId)) { ["Blob"] = blobName }, TableUpdateMode.Replace, cancellationToken);
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private Task ReadyAsync()
    {
        if (!_create)
        {
            return Task.CompletedTask;
        }
        var ready = _ready;
        if (ready is null || ready.IsFaulted || ready.IsCanceled)
        {
            ready = _table.CreateIfNotExistsAsync(CancellationToken.None);
            _ready = ready;
        }
        return ready;
    }
}
