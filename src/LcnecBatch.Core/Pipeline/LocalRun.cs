using System.Text.Json;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Screening;

namespace LcnecBatch.Core.Pipeline;

/// <summary>What a screening run read and decided, for the summary, the report and the exit code.</summary>
public sealed record RunResult(
    DateOnly AsOf,
    IReadOnlyList<DateOnly> Batches,
    IReadOnlyList<FileIngestion> Files,
    IReadOnlyList<string> MissingFromManifest,
    IReadOnlyList<Alert> Alerts,
    int LcnecPatients,
    int AdvancedLcnecPatients)
{
    /// <summary>Folders named like a batch that are not a valid date: not read, reported.</summary>
    public IReadOnlyList<string> NotBatches { get; init; } = [];

    /// <summary>Rows read well but contradicted by another file (a specimen dated before the patient's birth): not screened.</summary>
    public IReadOnlyList<Rejection> SetAside { get; init; } = [];

    /// <summary>Files of a batch that no reader takes, with why.</summary>
    public IEnumerable<FileIngestion> NotInputs => Files.Where(f => f.Kind == BatchFileKind.NotAnInput);

    /// <summary>Every raise, reminder and resolution of the replay, day by day.</summary>
    public IReadOnlyList<AlertEvent> AlertEvents { get; init; } = [];

    /// <summary>How many patient-days the replay screened (what its walk cost; the event-driven walk screens far fewer).</summary>
    public long PatientDaysScreened { get; init; }

    public int RowsRead => Files.Sum(f => f.RowsRead);

    public int RowsAccepted => Files.Sum(f => f.RowsAccepted);

    public int RowsRejected => Files.Sum(f => f.RowsRejected);

    public IEnumerable<FileFailure> Quarantined => Files.Select(f => f.Failure).OfType<FileFailure>();

    public bool HadRejections => RowsRejected > 0 || Quarantined.Any() || MissingFromManifest.Count > 0 || NotInputs.Any() || NotBatches.Count > 0 || SetAside.Count > 0;
}

/// <summary>
/// The embedded default: read an archive folder batch by batch in date order into an in-memory timeline
/// store, then screen as of a date. The Functions app runs the same ingestor and screener per blob.
/// </summary>
public static class LocalRun
{
    /// <param name="quarantineDir">Where unreadable files are copied with their <c>.error.json</c> sidecar; null = nowhere.</param>
    /// <param name="includeResolved">Also return the alerts that were raised and resolved by the as-of date.</param>
    /// <param name="walk">How the replay walks the calendar: event-driven by default; day by day is the tests' oracle.</param>
    public static RunResult Screen(string archivePath, DateOnly? asOf, ScreeningOptions options, string? quarantineDir = null, bool includeResolved = false, ScreeningWalk walk = ScreeningWalk.EventDriven) =>
        Screen(new FolderBatchArchive(archivePath), asOf, options, quarantineDir, includeResolved, walk);

    public static RunResult Screen(IBatchArchive archive, DateOnly? asOf, ScreeningOptions options, string? quarantineDir = null, bool includeResolved = false, ScreeningWalk walk = ScreeningWalk.EventDriven)
    {
        ArgumentNullException.ThrowIfNull(archive);
        var dates = archive.BatchDates();
        var date = asOf ?? (dates.Count > 0 ? dates[^1] : throw new ArgumentException("the archive holds no batch folders (yyyy-MM-dd)"));
        var session = new ScreeningSession(options, walk);
        var files = new List<FileIngestion>();
        var missing = new List<string>();
        var used = dates.Where(d => d <= date).ToList();
        foreach (var batchDate in used)
        {
            var present = archive.Files(batchDate);
            foreach (var file in present)
            {
                var ingestion = IngestFile(batchDate, file, session.Add, options.Ngs.ToScanOptions());
                files.Add(ingestion);
                if (ingestion.Failure is { } failure && quarantineDir is not null)
                {
                    Quarantine(archive, file, failure, quarantineDir);
                }
                if (ingestion.Manifest is { } manifest)
                {
                    var folder = file.SourcePath[..file.SourcePath.IndexOf('/')];
                    missing.AddRange(manifest.Files.Select(f => $"{folder}/{f}").Where(f => !present.Any(p => p.SourcePath == f)));
                }
            }
        }
        // Care-team responses recorded up to the as-of date: each is known from its folder's date, so the walk below
        // meets it on the day it was recorded, as the nightly job would have.
        foreach (var (ingestion, file) in IngestResponses(archive, date, session.Add))
        {
            files.Add(ingestion);
            if (ingestion.Failure is { } failure && quarantineDir is not null)
            {
                Quarantine(archive, file, failure, quarantineDir);
            }
        }
        // The replay walks the calendar from the first batch, as the nightly job would have run (screening each patient on
        // the days that can change its alerts).
        var events = session.AdvanceTo(date, used.Count > 0 ? used[0] : date);
        var (lcnec, advanced) = session.CountLcnec();
        return new RunResult(date, used, files, missing, session.Ledger.Alerts(date, includeResolved), lcnec, advanced)
        {
            AlertEvents = events,
            PatientDaysScreened = session.PatientDaysScreened,
            NotBatches = archive.NotBatches(),
            SetAside = SetAsideRows(session, date),
        };
    }

    /// <summary>The specimen rows set aside as of a date, as rejections of the column that contradicts the birth date.</summary>
    public static IReadOnlyList<Rejection> SetAsideRows(ScreeningSession session, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(session);
        return [.. session.Store.DatedBeforeBirth(asOf)
            .Select(e => new Rejection(e.Source.File, e.Source.Line, e is PathologyReported ? "report_date" : "result_date", "dated before the patient's birth date; set aside, not screened"))
            .OrderBy(r => r.File, StringComparer.Ordinal).ThenBy(r => r.Line)];
    }

    public static FileIngestion IngestFile(DateOnly batchDate, BatchFileRef file, Action<Events.TimelineEvent> onEvent, Genomics.NgsScanOptions? ngsOptions = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Refused is { } refused)
        {
            return FileIngestion.NotAnInput(file.SourcePath, refused);
        }
        using var stream = file.Open();
        return BatchIngestor.Ingest(batchDate, file.SourcePath, stream, onEvent, ngsOptions);
    }

    /// <summary>
    /// Reads every response file of the archive recorded up to <paramref name="asOf"/> (export-format.md, "Responses"):
    /// counted like a batch file (read = accepted + rejected), a file that cannot be read is a failure, anything else under
    /// <c>responses/</c> is reported as not an input. Events reach <paramref name="onEvent"/> only for a file read whole.
    /// </summary>
    public static IReadOnlyList<(FileIngestion Ingestion, BatchFileRef File)> IngestResponses(IBatchArchive archive, DateOnly asOf, Action<Events.TimelineEvent> onEvent)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(onEvent);
        var done = new List<(FileIngestion, BatchFileRef)>();
        foreach (var (recordedOn, file) in archive.Responses(asOf))
        {
            if (file.Refused is { } refused || recordedOn is not { } day)
            {
                done.Add((FileIngestion.NotAnInput(file.SourcePath, file.Refused ?? "not a response file"), file));
                continue;
            }
            try
            {
                using var stream = file.Open();
                done.Add((IngestResponseFile(day, file.SourcePath, stream, onEvent), file));
            }
            catch (IOException e)
            {
                done.Add((ResponseFileFailure(file.SourcePath, e), file));
            }
        }
        return done;
    }

    /// <summary>
    /// One response file recorded on <paramref name="recordedOn"/> (its folder's date), as <see cref="IngestResponses"/>
    /// reads each (the Functions app reads a <c>responses/</c> blob with it): events reach <paramref name="onEvent"/> only
    /// when the file was read whole, a read error is the file's failure.
    /// </summary>
    public static FileIngestion IngestResponseFile(DateOnly recordedOn, string sourcePath, Stream content, Action<Events.TimelineEvent> onEvent)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(onEvent);
        var events = new List<AlertResponded>();
        var rejections = new List<Rejection>();
        try
        {
            var (read, accepted) = ResponseLines.Read(content, sourcePath, recordedOn, events.Add, rejections.Add);
            events.ForEach(onEvent);
            return new FileIngestion(sourcePath, BatchFileKind.Responses, read, accepted, rejections, null);
        }
        catch (IOException e)
        {
            return ResponseFileFailure(sourcePath, e);
        }
    }

    private static FileIngestion ResponseFileFailure(string sourcePath, IOException e) =>
        new(sourcePath, BatchFileKind.Responses, 0, 0, [], new FileFailure(sourcePath, null, $"file could not be read ({e.GetType().Name})"));

    private static void Quarantine(IBatchArchive archive, BatchFileRef file, FileFailure failure, string quarantineDir)
    {
        var target = Path.Combine(quarantineDir, file.SourcePath.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        using (var source = file.Open())
        using (var copy = File.Create(target))
        {
            source.CopyTo(copy);
        }
        File.WriteAllBytes(target + ".error.json", SidecarJson(failure));
    }

    public static byte[] SidecarJson(FileFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("file", failure.File);
            if (failure.Line is { } line)
            {
                writer.WriteNumber("line", line);
            }
            writer.WriteString("reason", failure.Reason);
            writer.WriteString("what", "file quarantined: not ingested; the original is unchanged");
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
