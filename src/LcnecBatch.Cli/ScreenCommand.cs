using System.CommandLine;
using System.Text;
using System.Text.Json;
using LcnecBatch.Azure;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Audit;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using Microsoft.Extensions.Configuration;

namespace LcnecBatch.Cli;

/// <summary>
/// <c>lcnec screen &lt;path&gt; [--as-of DATE] [--alerts FILE] [--report DIR] [--config FILE] [--all]
/// [--storage CONNECTION --container NAME] [--publish CONNECTION [--entity NAME] [--publish-ledger FILE]]</c>
/// </summary>
public static class ScreenCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var source = new ArchiveSource();
        var asOf = new Option<string?>("--as-of") { Description = "Evaluate as of this date (default: the last batch date)." };
        var alerts = new Option<string>("--alerts") { Description = "Where to write open alerts as JSON lines ('-' = standard output).", DefaultValueFactory = _ => "alerts.jsonl" };
        var report = new Option<string?>("--report") { Description = "Folder for the run report: summary.json, rejections.csv, quarantined files." };
        var config = new Option<string?>("--config") { Description = "JSON settings file with a \"Screening\" section." };
        var all = new Option<bool>("--all") { Description = "Also write the alerts resolved by the as-of date, with their resolution date." };
        var publish = new Option<string?>("--publish") { Description = "Service Bus connection string (or namespace host, signed in with the default credential): also send the alert events not sent yet." };
        var entity = new Option<string>("--entity") { Description = "The Service Bus topic or queue (with --publish).", DefaultValueFactory = _ => "care-team-alerts" };
        var ledger = new Option<string?>("--publish-ledger") { Description = "The JSON-lines file of message ids already sent (with --publish; default: the alerts file + .published.jsonl)." };
        var command = new Command("screen", "Screen an archive or batch as of a date and write the open alerts.") { asOf, alerts, report, config, all, publish, entity, ledger };
        source.AddTo(command);
        command.SetAction(parse => Execute(
            new ScreenRequest(
                source.Open(parse),
                LcnecCommand.ParseDate(parse.GetValue(asOf), "--as-of"),
                parse.GetValue(alerts)!,
                parse.GetValue(report),
                parse.GetValue(all),
                parse.GetValue(publish) is { } connection ? new Publish(connection, parse.GetValue(entity)!, PublishLedgerPath(parse.GetValue(ledger), parse.GetValue(alerts)!))
                    : parse.GetValue(ledger) is null ? null : throw new UsageException("--publish-ledger goes with --publish")),
            LoadOptions(parse.GetValue(config)),
            stdout,
            stderr));
        return command;
    }

    /// <summary>Defaults from the spec, overridden by the <c>Screening</c> section of a settings file; validated.</summary>
    public static ScreeningOptions LoadOptions(string? configFile)
    {
        var options = new ScreeningOptions();
        if (configFile is null)
        {
            return options;
        }
        if (!File.Exists(configFile))
        {
            throw new UsageException($"--config: no such file: {configFile}");
        }
        try
        {
            var configuration = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(configFile), optional: false).Build();
            var section = configuration.GetSection(ScreeningOptions.SectionName);
            if (section.GetSection(nameof(ScreeningOptions.HighPriorFeatures)).Exists())
            {
                options.HighPriorFeatures.Clear(); // the file names the set; it does not add to the default
            }
            section.Bind(options);
            return options.Validated();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException or ArgumentException)
        {
            throw new UsageException($"--config {configFile}: {e.Message}");
        }
    }

    private sealed record Publish(string Connection, string Entity, string LedgerPath);

    private sealed record ScreenRequest(IBatchArchive Archive, DateOnly? AsOf, string AlertsPath, string? ReportDir, bool IncludeResolved, Publish? Publish);

    /// <summary>Beside the alerts file unless named; alerts on standard output leave no place beside them.</summary>
    private static string PublishLedgerPath(string? ledger, string alertsPath) =>
        ledger ?? (alertsPath == "-" ? throw new UsageException("--publish with --alerts - needs --publish-ledger FILE") : alertsPath + ".published.jsonl");

    private static int Execute(ScreenRequest request, ScreeningOptions options, TextWriter stdout, TextWriter stderr)
    {
        var (archive, asOf, alertsPath, reportDir, includeResolved, publish) = request;
        LcnecCommand.CheckReplayEnd(asOf, "--as-of", archive);
        // Read before the replay: an unreadable ledger stops the run before anything is written or sent.
        using var ledger = publish is null ? null : PublishLedger.Open(publish.LedgerPath);
        var quarantine = reportDir is null ? null : Path.Combine(reportDir, "quarantine");
        var result = LocalRun.Screen(archive, asOf, options, quarantine, includeResolved);
        WriteAlerts(alertsPath, result.Alerts, stdout);
        ProblemLines.Write(stderr, "quarantined", result.Quarantined, result.Files.SelectMany(f => f.Rejections).Concat(result.SetAside), result.MissingFromManifest, result.NotInputs, result.NotBatches);
        var summary = alertsPath == "-" ? stderr : stdout;
        Summary.Write(summary, result, alertsPath);
        if (publish is not null && ledger is not null)
        {
            // Every event of the replay's history, raises to resolutions, that no earlier run sent; in the order they happened.
            var due = result.AlertEvents.Where(e => !ledger.Lists(e.MessageId)).Order(AlertEvent.SendOrder).ToList();
            var sent = CommandLineAzure.PublishAsync(publish.Connection, publish.Entity, due, ledger.AppendAsync, CancellationToken.None).GetAwaiter().GetResult();
            summary.WriteLine($"alert events sent to Service Bus entity {publish.Entity}: {sent} ({result.AlertEvents.Count - due.Count} listed in {publish.LedgerPath} before)");
        }
        if (reportDir is not null)
        {
            Summary.WriteReport(reportDir, result);
        }
        return result.HadRejections ? LcnecCommand.DoneWithRejections : LcnecCommand.Done;
    }

    private static void WriteAlerts(string alertsPath, IReadOnlyList<Alert> alerts, TextWriter stdout)
    {
        if (alertsPath == "-")
        {
            using var buffer = new MemoryStream();
            AlertJson.WriteLines(buffer, alerts);
            stdout.Write(Encoding.UTF8.GetString(buffer.ToArray()));
            stdout.Flush();
            return;
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(alertsPath));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        using var file = File.Create(alertsPath);
        AlertJson.WriteLines(file, alerts);
    }
}

/// <summary>The printed summary and the report folder of a screening run.</summary>
internal static class Summary
{
    public static void Write(TextWriter output, RunResult result, string alertsPath)
    {
        var first = result.Batches.Count > 0 ? result.Batches[0].ToString("yyyy-MM-dd") : "-";
        var last = result.Batches.Count > 0 ? result.Batches[^1].ToString("yyyy-MM-dd") : "-";
        output.WriteLine($"lcnec screen: {result.Batches.Count} batch(es) {first}..{last}, as of {result.AsOf:yyyy-MM-dd}");
        output.WriteLine($"files: {result.Files.Count - result.NotInputs.Count()} read, {result.Quarantined.Count()} quarantined, {result.NotInputs.Count()} not an input, {result.MissingFromManifest.Count} missing from manifest");
        if (result.NotBatches.Count > 0)
        {
            output.WriteLine($"folders named like a batch but not a date: {result.NotBatches.Count} (not read)");
        }
        output.WriteLine($"rows: {result.RowsRead} read, {result.RowsAccepted} accepted, {result.RowsRejected} rejected");
        if (result.SetAside.Count > 0)
        {
            output.WriteLine($"rows set aside (dated before the patient's birth date): {result.SetAside.Count}");
        }
        var raw = result.Files.Where(f => f.Kind == BatchFileKind.RawNgs).ToList();
        output.WriteLine($"raw NGS files: {raw.Count} ({raw.Count(f => f.Quarantined)} unreadable, {raw.Count(f => f.SampleMismatch)} with a sample column not naming the accession)");
        output.WriteLine($"LCNEC patients: {result.LcnecPatients} ({result.AdvancedLcnecPatients} advanced)");
        var open = result.Alerts.Where(a => a.Status == AlertStatus.Open).ToList();
        output.WriteLine($"alerts: {open.Count} open, {result.AlertEvents.Count(e => e.Kind == AlertEventKind.Resolved)} resolved during the replay");
        foreach (var rule in Screener.DefaultRules)
        {
            output.WriteLine($"  {rule.Id,-27} {open.Count(a => a.RuleId == rule.Id),4}");
        }
        if (alertsPath != "-")
        {
            output.WriteLine($"alerts written to {alertsPath}");
        }
    }

    public static void WriteReport(string reportDir, RunResult result)
    {
        Directory.CreateDirectory(reportDir);
        using (var csv = new StreamWriter(Path.Combine(reportDir, "rejections.csv"), false, new UTF8Encoding(false)))
        {
            csv.Write("file,line,column,reason\n");
            foreach (var r in result.Files.SelectMany(f => f.Rejections).Concat(result.SetAside))
            {
                csv.Write($"{AuditCsv.Cell(r.File)},{r.Line},{AuditCsv.Cell(r.Column ?? "")},{AuditCsv.Cell(r.Reason)}\n");
            }
            foreach (var q in result.Quarantined)
            {
                csv.Write($"{AuditCsv.Cell(q.File)},{q.Line?.ToString() ?? ""},,{AuditCsv.Cell("file quarantined: " + q.Reason)}\n");
            }
            foreach (var n in result.NotInputs)
            {
                csv.Write($"{AuditCsv.Cell(n.Source)},,,{AuditCsv.Cell("not an input: " + n.NotAnInputReason)}\n");
            }
            foreach (var folder in result.NotBatches)
            {
                csv.Write($"{AuditCsv.Cell(folder)},,,{AuditCsv.Cell("not a batch: folder named like a batch but not a valid date (yyyy-MM-dd); not read")}\n");
            }
        }
        using var json = File.Create(Path.Combine(reportDir, "summary.json"));
        using var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("asOf", result.AsOf.ToString("yyyy-MM-dd"));
        writer.WriteNumber("batches", result.Batches.Count);
        writer.WriteStartArray("files");
        foreach (var f in result.Files)
        {
            writer.WriteStartObject();
            writer.WriteString("file", f.Source);
            writer.WriteString("kind", f.Kind.ToString());
            writer.WriteNumber("rowsRead", f.RowsRead);
            writer.WriteNumber("rowsAccepted", f.RowsAccepted);
            writer.WriteNumber("rowsRejected", f.RowsRejected);
            writer.WriteBoolean("quarantined", f.Quarantined);
            if (f.NotAnInputReason is { } why)
            {
                writer.WriteString("notAnInput", why);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("notBatches");
        foreach (var folder in result.NotBatches)
        {
            writer.WriteStringValue(folder);
        }
        writer.WriteEndArray();
        writer.WriteNumber("lcnecPatients", result.LcnecPatients);
        writer.WriteNumber("advancedLcnecPatients", result.AdvancedLcnecPatients);
        writer.WriteStartObject("alertsByRule");
        foreach (var rule in Screener.DefaultRules)
        {
            writer.WriteNumber(rule.Id, result.Alerts.Count(a => a.RuleId == rule.Id));
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
