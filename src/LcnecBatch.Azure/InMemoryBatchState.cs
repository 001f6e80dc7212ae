using LcnecBatch.Core.Events;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Timeline;

namespace LcnecBatch.Azure;

/// <summary>The batch state of one process, lost on restart: enough until the Table Storage state arrives.</summary>
public sealed class InMemoryBatchState : IBatchState
{
    private readonly Lock _gate = new();
    private readonly List<TimelineEvent> _events = [];
    private readonly Dictionary<DateOnly, BatchLedger> _batches = [];

    public Task<bool> IsIngestedAsync(DeliveredFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        lock (_gate)
        {
            return Task.FromResult(Ledger(file.BatchDate).Holds(file));
        }
    }

    public Task<bool> RecordAsync(DeliveredFile file, FileIngestion ingestion, IReadOnlyList<TimelineEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(ingestion);
        ArgumentNullException.ThrowIfNull(events);
        lock (_gate)
        {
            var ledger = Ledger(file.BatchDate);
            if (!ledger.Holds(file))
            {
                ledger.Files[file.PathInBatch] = (file.ContentHash, ingestion);
                _events.AddRange(events);
                if (ingestion.Manifest is { } manifest)
                {
                    ledger.Manifest = manifest.Files;
                }
            }
            var due = ledger is { Screened: false, Screening: false, Manifest: { } listed } && listed.All(ledger.Files.ContainsKey);
            ledger.Screening |= due;
            return Task.FromResult(due);
        }
    }

    public Task<TimelineStore> TimelinesAsync(CancellationToken cancellationToken)
    {
        var store = new TimelineStore();
        lock (_gate)
        {
            _events.ForEach(e => store.Add(e));
        }
        return Task.FromResult(store);
    }

    public Task EndScreeningAsync(DateOnly batchDate, bool screened, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var ledger = Ledger(batchDate);
            ledger.Screening = false;
            ledger.Screened |= screened;
        }
        return Task.CompletedTask;
    }

    /// <summary>The ledger of a batch: what became of each file ingested, in path order.</summary>
    public IReadOnlyList<FileIngestion> Ingested(DateOnly batchDate)
    {
        lock (_gate)
        {
            return [.. Ledger(batchDate).Files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Value.Ingestion)];
        }
    }

    private BatchLedger Ledger(DateOnly batchDate)
    {
        if (!_batches.TryGetValue(batchDate, out var ledger))
        {
            _batches[batchDate] = ledger = new BatchLedger();
        }
        return ledger;
    }

    /// <summary>One batch: each file ingested (path in batch → content hash and outcome), the manifest's list once it arrived.</summary>
    private sealed class BatchLedger
    {
        public Dictionary<string, (string ContentHash, FileIngestion Ingestion)> Files { get; } = new(StringComparer.Ordinal);

        public IReadOnlyList<string>? Manifest { get; set; }

        public bool Screening { get; set; }

        public bool Screened { get; set; }

        public bool Holds(DeliveredFile file) => Files.TryGetValue(file.PathInBatch, out var known) && known.ContentHash == file.ContentHash;
    }
}
