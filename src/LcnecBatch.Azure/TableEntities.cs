using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace LcnecBatch.Azure;

/// <summary>What every table of the batch state needs: keys, large values, and writes in entity-group transactions.</summary>
internal static class TableEntities
{
    /// <summary>A binary property holds at most 64 KiB; larger values continue in <c>{name}1</c>, <c>{name}2</c>, ... (an entity holds 1 MiB).</summary>
    private const int ChunkBytes = 64_000;

    /// <summary>An entity-group transaction holds at most 100 operations and 4 MiB.</summary>
    private const int MaxActions = 100;
    private const int MaxTransactionBytes = 3_500_000;

    public static string DateKey(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDateKey(string key) => DateOnly.ParseExact(key, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// A path as a row key: '/', '\', '#', '?' are not allowed there, so every character but letters, digits and
    /// <c>-_.~</c> is %-escaped. Escaped keys never start with '$', which marks the rows that are not files.
    /// </summary>
    public static string PathKey(string path) => Uri.EscapeDataString(path);

    public static string PathFromKey(string key) => Uri.UnescapeDataString(key);

    public static void SetBinary(TableEntity entity, string name, ReadOnlySpan<byte> value)
    {
        var chunk = 0;
        do
        {
            var take = Math.Min(ChunkBytes, value.Length);
            entity[chunk == 0 ? name : $"{name}{chunk}"] = value[..take].ToArray();
            value = value[take..];
            chunk++;
        }
        while (!value.IsEmpty);
    }

    public static byte[] GetBinary(TableEntity entity, string name)
    {
        var first = entity.GetBinary(name) ?? throw new InvalidDataException($"entity ({entity.PartitionKey}, {entity.RowKey}) has no {name}");
        if (entity.GetBinary($"{name}1") is null)
        {
            return first;
        }
        using var all = new MemoryStream();
        all.Write(first);
        for (var chunk = 1; entity.GetBinary($"{name}{chunk}") is { } next; chunk++)
        {
            all.Write(next);
        }
        return all.ToArray();
    }

    /// <summary>Writes actions of one partition in as few transactions as the limits allow (each atomic, not all together).</summary>
    public static async Task SubmitAsync(TableClient table, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        var chunk = new List<TableTransactionAction>(Math.Min(MaxActions, actions.Count));
        var bytes = 0;
        foreach (var action in actions)
        {
            var size = EstimatedSize(action.Entity);
            if (chunk.Count == MaxActions || (chunk.Count > 0 && bytes + size > MaxTransactionBytes))
            {
                await table.SubmitTransactionAsync(chunk, cancellationToken);
                chunk = [];
                bytes = 0;
            }
            chunk.Add(action);
            bytes += size;
        }
        if (chunk.Count > 0)
        {
            await table.SubmitTransactionAsync(chunk, cancellationToken);
        }
    }

    public static async Task<List<TableEntity>> QueryAsync(TableClient table, string filter, IEnumerable<string>? select, CancellationToken cancellationToken)
    {
        var entities = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: select, cancellationToken: cancellationToken))
        {
            entities.Add(entity);
        }
        return entities;
    }

    public static bool IsConflict(RequestFailedException e) => e.Status is 409 or 412;

    private static int EstimatedSize(ITableEntity entity) =>
        entity is TableEntity table ? 512 + table.Sum(p => p.Value is byte[] b ? b.Length * 4 / 3 : (p.Value?.ToString()?.Length ?? 0) * 2) : 1024;
}
