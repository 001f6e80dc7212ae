using System.Diagnostics;
using System.Diagnostics.Metrics;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Pipeline;

namespace LcnecBatch.Azure.Telemetry;

/// <summary>
/// The pipeline's OpenTelemetry instruments (meter and activity source <see cref="Name"/>; names, units and dimensions
/// in docs/spec/metrics.md). Every dimension comes from a closed set (file kind, rule id, event, outcome, run): never an
/// mrn, accession, blob name, alert id, batch date or text, so a metric can be shown to anyone on call.
/// </summary>
public sealed class PipelineMetrics : IDisposable
{
    /// <summary>The <see cref="Meter"/> and <see cref="ActivitySource"/> name a telemetry pipeline subscribes to.</summary>
    public const string Name = "LcnecBatch";

    private readonly Meter _meter;
    private readonly Counter<long> _batches;
    private readonly Counter<long> _files;
    private readonly Counter<long> _rowsRead;
    private readonly Counter<long> _rowsAccepted;
    private readonly Counter<long> _rowsRejected;
    private readonly Counter<long> _quarantined;
    private readonly Counter<long> _ngsFiles;
    private readonly Counter<long> _ngsBytes;
    private readonly Counter<long> _alertEvents;
    private readonly Counter<long> _sendFailures;
    private readonly Counter<long> _poisonEntries;
    private readonly Histogram<double> _screening;
    private readonly Histogram<double> _lateness;

    public PipelineMetrics()
    {
        _meter = new Meter(Name);
        Activities = new ActivitySource(Name);
        _batches = _meter.CreateCounter<long>("lcnec.batches.ingested", "{batch}", "Nightly batches read whole and screened");
        _files = _meter.CreateCounter<long>("lcnec.files.ingested", "{file}", "Export files recorded, by kind and outcome");
        _rowsRead = _meter.CreateCounter<long>("lcnec.rows.read", "{row}", "Rows read from export files, by file kind");
        _rowsAccepted = _meter.CreateCounter<long>("lcnec.rows.accepted", "{row}", "Rows accepted, by file kind");
        _rowsRejected = _meter.CreateCounter<long>("lcnec.rows.rejected", "{row}", "Rows rejected (each with a rejection), by file kind");
        _quarantined = _meter.CreateCounter<long>("lcnec.files.quarantined", "{file}", "Files that could not be read whole, copied to quarantine");
        _ngsFiles = _meter.CreateCounter<long>("lcnec.ngs.files_scanned", "{file}", "Raw NGS files (VCF, Arriba, STAR-Fusion) scanned for ALK calls");
        _ngsBytes = _meter.CreateCounter<long>("lcnec.ngs.bytes_scanned", "By", "Bytes of raw NGS files scanned");
        _alertEvents = _meter.CreateCounter<long>("lcnec.alerts.sent", "{event}", "Alert events handed to the broker, by rule id and event");
        _sendFailures = _meter.CreateCounter<long>("lcnec.alerts.send_failures", "{failure}", "Attempts to send unsent alert events that failed");
        _poisonEntries = _meter.CreateCounter<long>("lcnec.poison.entries", "{entry}", "Blob-trigger poison queue entries the sweep met, by outcome");
        _screening = _meter.CreateHistogram<double>("lcnec.screening.duration", "s", "Wall time of one leased screening run, by run");
        _lateness = _meter.CreateHistogram<double>("lcnec.export.lateness", "h", "How late the expected nightly export is at a watchdog check (0: on time)");
    }

    /// <summary>Whether an instrument is this instance's (a listener in a test tells it from another host's of the same name).</summary>
    public bool Owns(Instrument instrument) => ReferenceEquals(instrument?.Meter, _meter);

    /// <summary>Spans of the pipeline's own work; their attributes follow the same rule as metric dimensions.</summary>
    public ActivitySource Activities { get; }

    /// <summary>A file the ingestion recorded (not a re-delivery of the same bytes).</summary>
    public void RecordFile(FileIngestion ingestion, long? bytes)
    {
        ArgumentNullException.ThrowIfNull(ingestion);
        var kind = new KeyValuePair<string, object?>("file.kind", KindOf(ingestion.Kind));
        var outcome = ingestion.Quarantined ? "quarantined" : ingestion.NotAnInputReason is null ? "read" : "not_an_input";
        _files.Add(1, kind, new KeyValuePair<string, object?>("outcome", outcome));
        _rowsRead.Add(ingestion.RowsRead, kind);
        _rowsAccepted.Add(ingestion.RowsAccepted, kind);
        _rowsRejected.Add(ingestion.RowsRejected, kind);
        if (ingestion.Quarantined)
        {
            _quarantined.Add(1, kind);
        }
        if (ingestion.Kind == BatchFileKind.RawNgs && !ingestion.Quarantined)
        {
            _ngsFiles.Add(1);
            if (bytes is { } scanned)
            {
                _ngsBytes.Add(scanned);
            }
        }
    }

    public void RecordBatchScreened() => _batches.Add(1);

    /// <summary>Events the broker accepted: one count per message, by the alert's rule and the event.</summary>
    public void RecordSent(IEnumerable<AlertMessage> sent)
    {
        ArgumentNullException.ThrowIfNull(sent);
        foreach (var message in sent)
        {
            _alertEvents.Add(1,
                new KeyValuePair<string, object?>("rule.id", message.Event.Alert.RuleId),
                new KeyValuePair<string, object?>("event", EventOf(message.Event.Kind)));
        }
    }

    public void RecordSendFailure() => _sendFailures.Add(1);

    /// <param name="retried">Entries whose blob was ingested and the entry deleted.</param>
    /// <param name="left">Entries left in the queue (unreadable, refused, or the blob failed again).</param>
    public void RecordPoisonEntries(int retried, int left)
    {
        _poisonEntries.Add(retried, new KeyValuePair<string, object?>("outcome", "retried"));
        _poisonEntries.Add(left, new KeyValuePair<string, object?>("outcome", "left"));
    }

    /// <param name="sweep">The nightly sweep's run, else one started by a delivery that completed a batch.</param>
    public void RecordScreeningRun(TimeSpan duration, bool sweep) =>
        _screening.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("run", sweep ? "sweep" : "delivery"));

    /// <summary>
    /// For the export watchdog: how late the expected nightly export is at a check (<see cref="TimeSpan.Zero"/> when
    /// it is on time or arrived), recorded at every check so the alert rule sees the current value.
    /// </summary>
    public void RecordExportLateness(TimeSpan lateness) =>
        _lateness.Record(Math.Max(0, lateness.TotalHours));

    public static string KindOf(BatchFileKind kind) => kind switch
    {
        BatchFileKind.Manifest => "manifest",
        BatchFileKind.Csv => "csv",
        BatchFileKind.Hl7v2 => "hl7v2",
        BatchFileKind.Fhir => "fhir",
        BatchFileKind.RawNgs => "raw_ngs",
        BatchFileKind.Responses => "responses",
        _ => "not_an_input",
    };

    private static string EventOf(AlertEventKind kind) => kind switch
    {
        AlertEventKind.Raised => "raised",
        AlertEventKind.Reminder => "reminder",
        AlertEventKind.Resolved => "resolved",
        AlertEventKind.Reopened => "reopened",
        AlertEventKind.Closed => "closed",
        _ => "escalated",
    };

    public void Dispose()
    {
        _meter.Dispose();
        Activities.Dispose();
    }
}
