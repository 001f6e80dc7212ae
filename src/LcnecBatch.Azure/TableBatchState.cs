using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Pipeline;
using Microsoft.Extensions.Options;
using static LcnecBatch.Azure.TableEntities;

namespace LcnecBatch.Azure;

/// <summary>
/// The batch state in Azure Table Storage. Layout (PK = partition key, RK = row key):
/// <list type="bullet">
/// <item><c>timelineevents</c>: PK = patient pseudonym, RK = event id; the event's JSON (with the mrn: storage, not logs).</item>
/// <item><c>pendingrawfiles</c>: PK = accession pseudonym, RK = event id; raw NGS files, found by the accessions of a patient's rows.</item>
/// <item><c>ingestionledger</c>: PK = batch date, RK = escaped path (one row per file: content hash, counts, outcome) or
/// <c>$p|{pseudonym}</c> (patients the batch touched); PK <c>$batches</c>, RK = date (manifest, pending mark);
/// PK <c>$screening</c>, RK <c>lease</c>; PK <c>$operations</c>, RK <c>{kind}|{date}</c> (an operations message sent) or
/// <c>sweep</c> (the last nightly sweep); PK <c>$responses|{date}</c>, RK = escaped name (a care-team response file of
/// <c>responses/{date}/</c>: content hash, counts, outcome; no batch, no pending mark).</item>
/// <item><c>alertledger</c>: PK = patient pseudonym, RK <c>$patient</c> (screened through, LCNEC, open alerts: its
/// ETag guards every save of the partition), RK = alert id (the record), RK <c>out|{message id}</c> (an unsent event).</item>
/// </list>
/// Writes go in entity-group transactions of at most 100 per partition; retries are the SDK's own policy.
/// </summary>
public sealed partial class TableBatchState : IBatchState
{
    private const string BatchesPartition = "$batches";
    private const string TouchedPrefix = "$p|";
    private const string LeasePartition = "$screening";
    private const string LeaseRow = "lease";
    private const string ResponsesPrefix = "$responses|";
    private const int KeptRejections = 1000;

    private readonly TableClient _events;
    private readonly TableClient _ledger;
    private readonly TableClient _alerts;
    private readonly TableClient _rawFiles;
    private readonly StateTableOptions _options;
    private readonly PatientPseudonym _pseudonym;
    private readonly TimeProvider _time;
    private Task? _ready;

    public TableBatchState(TableServiceClient tables, IOptions<StateTableOptions> options, PatientPseudonym pseudonym, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _options = options.Value;
        _events = tables.GetTableClient(_options.TimelineEvents);
        _ledger = tables.GetTableClient(_options.IngestionLedger);
        _alerts = tables.GetTableClient(_options.AlertLedger);
        _rawFiles = tables.GetTableClient(_options.PendingRawFiles);
        _pseudonym = pseudonym;
        _time = time;
    }

    public async Task<bool> IsIngestedAsync(DeliveredFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        await ReadyAsync(cancellationToken);
        var row = await _ledger.GetEntityIfExistsAsync<TableEntity>(LedgerPartition(file), PathKey(file.PathInBatch), ["ContentHash"], cancellationToken);
        return row.HasValue && row.Value!.GetString("ContentHash") == file.ContentHash;
    }

    public async Task RecordResponsesAsync(DeliveredFile file, FileIngestion ingestion, IReadOnlyList<TimelineEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(ingestion);
        ArgumentNullException.ThrowIfNull(events);
        if (!file.IsResponse)
        {
            throw new ArgumentException("not a response file: batch files are recorded with RecordAsync", nameof(file));
        }
        await ReadyAsync(cancellationToken);
        // Facts first, then the file's row: a crash in between leaves the file unrecorded, and its re-delivery writes the same rows again.
        var patients = await AddPatientEventsAsync(events, cancellationToken);
        await MarkRespondedAsync(patients.Select(p => (p.Partition, p.Events.Min(e => e.KnownOn))), cancellationToken);
        await _ledger.UpsertEntityAsync(FileRow(file, ingestion, patients.Count), TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<BatchStatus> RecordAsync(DeliveredFile file, FileIngestion ingestion, IReadOnlyList<TimelineEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(ingestion);
        ArgumentNullException.ThrowIfNull(events);
        await ReadyAsync(cancellationToken);
        var date = DateKey(file.BatchDate);

        // Facts first, then who they touched, then the file's row and the batch's pending mark: a crash in
        // between leaves the file unrecorded, and its re-delivery writes the same rows again.
        var patients = await AddPatientEventsAsync(events, cancellationToken);

        // Merged, so a later file of the batch without LCNEC text does not clear the mark an earlier one set.
        var touched = patients
            .Select(p => new TableTransactionAction(TableTransactionActionType.UpsertMerge, BatchScreening.SpeaksOfLcnec(p.Events)
                ? new TableEntity(date, TouchedPrefix + p.Partition) { ["Lcnec"] = true }
                : new TableEntity(date, TouchedPrefix + p.Partition)))
            .ToList();
        await SubmitAsync(_ledger, touched, cancellationToken);
        await _ledger.UpsertEntityAsync(FileRow(file, ingestion, touched.Count), TableUpdateMode.Replace, cancellationToken);

        var batch = new TableEntity(BatchesPartition, date) { ["Pending"] = true };
        if (ingestion.Manifest is { } manifest)
        {
            batch["Manifest"] = JsonSerializer.Serialize(manifest.Files, LedgerJsonContext.Default.IReadOnlyListString);
        }
        await _ledger.UpsertEntityAsync(batch, TableUpdateMode.Merge, cancellationToken);
        return await BatchAsync(file.BatchDate, cancellationToken)
            ?? throw new InvalidOperationException($"batch {date} vanished right after it was recorded");
    }

    /// <summary>Writes a file's facts: patient facts by patient pseudonym, raw NGS files by accession pseudonym; returns the patients' partitions.</summary>
    private async Task<List<(string Partition, List<TimelineEvent> Events)>> AddPatientEventsAsync(IReadOnlyList<TimelineEvent> events, CancellationToken cancellationToken)
    {
        var patients = events.OfType<IPatientFact>().GroupBy(e => _pseudonym.Of(e.Mrn))
            .Select(g => (Table: _events, Partition: g.Key, Events: g.Cast<TimelineEvent>().ToList()));
        var raw = events.OfType<RawNgsFileArrived>().GroupBy(e => _pseudonym.OfAccession(e.Accession))
            .Select(g => (Table: _rawFiles, Partition: g.Key, Events: g.Cast<TimelineEvent>().ToList()));
        var partitions = patients.Concat(raw).ToList();
        await Parallel.ForEachAsync(partitions, Parallelism(cancellationToken), (p, ct) => new ValueTask(AddEventsAsync(p.Table, p.Partition, p.Events, ct)));
        return [.. partitions.Where(p => p.Table == _events).Select(p => (p.Partition, p.Events))];
    }

    /// <summary>The ingestion ledger's row of one delivered file: content hash, counts, outcome (the first rejections).</summary>
    private TableEntity FileRow(DeliveredFile file, FileIngestion ingestion, int patients)
    {
        var row = new TableEntity(LedgerPartition(file), PathKey(file.PathInBatch))
        {
            ["ContentHash"] = file.ContentHash,
            ["Kind"] = ingestion.Kind.ToString(),
            ["Quarantined"] = ingestion.Quarantined,
            ["RowsRead"] = ingestion.RowsRead,
            ["RowsAccepted"] = ingestion.RowsAccepted,
            ["RowsRejected"] = ingestion.RowsRejected,
            ["Patients"] = patients,
            ["ArrivedAt"] = _time.GetUtcNow(),
        };
        if (file.BlobETag is { } blobETag)
        {
            row["BlobETag"] = blobETag;
        }
        var kept = ingestion.Rejections.Count <= KeptRejections ? ingestion : ingestion with { Rejections = [.. ingestion.Rejections.Take(KeptRejections)] };
        SetBinary(row, "Ingestion", JsonSerializer.SerializeToUtf8Bytes(kept, LedgerJsonContext.Default.FileIngestion));
        return row;
    }

    /// <summary>A batch file's row is in its batch's partition; a response file's in its day's <c>$responses|{date}</c>.</summary>
    private static string LedgerPartition(DeliveredFile file) => file.IsResponse ? ResponsesPartition(file.BatchDate) : DateKey(file.BatchDate);

    private static string ResponsesPartition(DateOnly recordedOn) => ResponsesPrefix + DateKey(recordedOn);

    public async Task<IReadOnlyList<FileIngestion>> IngestedAsync(DateOnly batchDate, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var rows = await QueryAsync(_ledger, TableClient.CreateQueryFilter($"PartitionKey eq {DateKey(batchDate)} and RowKey ge '%'"), null, cancellationToken);
        return [.. rows.Select(r => JsonSerializer.Deserialize(GetBinary(r, "Ingestion"), LedgerJsonContext.Default.FileIngestion)!).OrderBy(f => f.Source, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<BatchStatus>> PendingBatchesAsync(CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var rows = await QueryAsync(_ledger, TableClient.CreateQueryFilter($"PartitionKey eq {BatchesPartition} and Pending eq true"), null, cancellationToken);
        var batches = new List<BatchStatus>();
        foreach (var row in rows.OrderBy(r => r.RowKey, StringComparer.Ordinal))
        {
            batches.Add(await StatusAsync(row, cancellationToken));
        }
        return batches;
    }

    public async Task<DateOnly?> LatestBatchDateAsync(CancellationToken cancellationToken)
    {
        var dates = await BatchDatesAsync(cancellationToken);
        return dates.Count == 0 ? null : dates[^1];
    }

    public async Task<IReadOnlyList<DateOnly>> BatchDatesAsync(CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var rows = await QueryAsync(_ledger, TableClient.CreateQueryFilter($"PartitionKey eq {BatchesPartition}"), ["RowKey"], cancellationToken);
        return [.. rows.Select(r => ParseDateKey(r.RowKey)).Order()];
    }

    public async Task<bool> MarkScreenedAsync(BatchStatus batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var row = new TableEntity(BatchesPartition, DateKey(batch.Date)) { ["Pending"] = false, ["ScreenedAt"] = _time.GetUtcNow() };
        try
        {
            await _ledger.UpdateEntityAsync(row, new ETag(batch.Version), TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (IsConflict(e))
        {
            return false;
        }
    }

    public async Task<IReadOnlyDictionary<string, bool>> TouchedAsync(DateOnly batchDate, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {DateKey(batchDate)} and RowKey ge {TouchedPrefix} and RowKey lt {"$p}"}");
        var rows = await QueryAsync(_ledger, filter, ["RowKey", "Lcnec"], cancellationToken);
        return rows.ToDictionary(r => r.RowKey[TouchedPrefix.Length..], r => r.GetBoolean("Lcnec") ?? false, StringComparer.Ordinal);
    }

    public async Task<ScreeningLease?> TryLeaseAsync(string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var lease = new TableEntity(LeasePartition, LeaseRow) { ["Owner"] = owner, ["Until"] = now + duration };
        try
        {
            var held = await _ledger.GetEntityIfExistsAsync<TableEntity>(LeasePartition, LeaseRow, cancellationToken: cancellationToken);
            Response written;
            if (!held.HasValue)
            {
                written = await _ledger.AddEntityAsync(lease, cancellationToken);
            }
            else if (held.Value!.GetString("Owner") == owner || held.Value.GetDateTimeOffset("Until") <= now)
            {
                written = await _ledger.UpdateEntityAsync(lease, held.Value.ETag, TableUpdateMode.Replace, cancellationToken);
            }
            else
            {
                return null;
            }
            return new ScreeningLease(owner, now + duration, written.Headers.ETag?.ToString() ?? throw new InvalidOperationException("the lease was written without an ETag"));
        }
        catch (RequestFailedException e) when (IsConflict(e))
        {
            return null;
        }
    }

    public async Task ReleaseAsync(ScreeningLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var free = new TableEntity(LeasePartition, LeaseRow) { ["Owner"] = lease.Owner, ["Until"] = DateTimeOffset.UnixEpoch };
        try
        {
            await _ledger.UpdateEntityAsync(free, new ETag(lease.Version), TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (IsConflict(e) || e.Status == 404)
        {
            // Taken over after it expired: nothing of ours to release.
        }
    }

    public async Task<BatchStatus?> BatchAsync(DateOnly date, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var row = await _ledger.GetEntityIfExistsAsync<TableEntity>(BatchesPartition, DateKey(date), cancellationToken: cancellationToken);
        return row.HasValue ? await StatusAsync(row.Value!, cancellationToken) : null;
    }

    private async Task<BatchStatus> StatusAsync(TableEntity batch, CancellationToken cancellationToken)
    {
        var files = await QueryAsync(_ledger, TableClient.CreateQueryFilter($"PartitionKey eq {batch.RowKey} and RowKey ge '%'"), ["RowKey", "ArrivedAt", "Timestamp"], cancellationToken);
        var manifest = batch.GetString("Manifest") is { } json ? JsonSerializer.Deserialize(json, LedgerJsonContext.Default.IReadOnlyListString) : null;
        // A file row written before ArrivedAt was kept counts from the service's timestamp of its last write.
        var arrivals = files.Select(f => f.GetDateTimeOffset("ArrivedAt") ?? f.Timestamp).OfType<DateTimeOffset>().ToList();
        return new BatchStatus(
            ParseDateKey(batch.RowKey),
            manifest,
            files.Select(f => PathFromKey(f.RowKey)).ToHashSet(StringComparer.Ordinal),
            batch.GetBoolean("Pending") ?? false,
            batch.ETag.ToString(),
            arrivals.Count == 0 ? null : arrivals.Min());
    }

    /// <summary>
    /// Adds a partition's events. One already there (a re-delivery, or the same fact in another batch) keeps the
    /// copy of the earliest batch, as the in-memory store does.
    /// </summary>
    private static async Task AddEventsAsync(TableClient table, string partition, List<TimelineEvent> events, CancellationToken cancellationToken)
    {
        var earliest = events.GroupBy(e => e.EventId).Select(g => g.MinBy(e => e.KnownOn)!).ToList();
        try
        {
            await SubmitAsync(table, [.. earliest.Select(e => new TableTransactionAction(TableTransactionActionType.Add, EventEntity(partition, e)))], cancellationToken);
            return;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            // Some are there already: compare with what is stored.
        }
        for (var attempt = 1; ; attempt++)
        {
            var stored = (await QueryAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), ["RowKey", "KnownOn"], cancellationToken))
                .ToDictionary(r => r.RowKey, StringComparer.Ordinal);
            var actions = new List<TableTransactionAction>();
            foreach (var fact in earliest)
            {
                if (!stored.TryGetValue(fact.EventId, out var known))
                {
                    actions.Add(new TableTransactionAction(TableTransactionActionType.Add, EventEntity(partition, fact)));
                }
                else if (string.CompareOrdinal(DateKey(fact.KnownOn), known.GetString("KnownOn")) < 0)
                {
                    actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, EventEntity(partition, fact), known.ETag));
                }
            }
            try
            {
                await SubmitAsync(table, actions, cancellationToken);
                return;
            }
            catch (TableTransactionFailedException e) when (IsConflict(e) && attempt < 5)
            {
                // Another delivery wrote the same partition meanwhile: look again.
            }
        }
    }

    private static TableEntity EventEntity(string partition, TimelineEvent fact)
    {
        var entity = new TableEntity(partition, fact.EventId) { ["KnownOn"] = DateKey(fact.KnownOn) };
        SetBinary(entity, "Event", TimelineEventJson.ToUtf8(fact));
        return entity;
    }

    private ParallelOptions Parallelism(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = cancellationToken };

    /// <summary>Creates the tables once per process when asked to (a failed attempt is tried again on the next call).</summary>
    private Task ReadyAsync(CancellationToken cancellationToken)
    {
        if (!_options.CreateIfNotExists)
        {
            return Task.CompletedTask;
        }
        var ready = Volatile.Read(ref _ready);
        if (ready is null || ready.IsFaulted || ready.IsCanceled)
        {
            ready = Task.WhenAll(new[] { _events, _ledger, _alerts, _rawFiles }.Select(t => t.CreateIfNotExistsAsync(CancellationToken.None)));
            Volatile.Write(ref _ready, ready);
        }
        return ready.WaitAsync(cancellationToken);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    IgnoreReadOnlyProperties = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(FileIngestion))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class LedgerJsonContext : JsonSerializerContext;
