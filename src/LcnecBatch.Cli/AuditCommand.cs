using System.CommandLine;
using System.Globalization;
using LcnecBatch.Core.Audit;
using LcnecBatch.Core.Pipeline;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace LcnecBatch.Cli;

/// <summary><c>lcnec audit &lt;path&gt; [--from DATE] [--to DATE] [--out DIR] [--config FILE] [--no-spill] [--storage CONNECTION --container NAME]</c></summary>
public static class AuditCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var source = new ArchiveSource();
        var from = new Option<string?>("--from") { Description = "First day of the audit (default: the first batch date). Earlier batches are replayed for state only." };
        var to = new Option<string?>("--to") { Description = "Last day of the audit (default: the last batch date)." };
        var output = new Option<string>("--out") { Description = "Folder for audit.html, audit.json, cases.csv, findings.csv, pathology_review.csv and responses.csv.", DefaultValueFactory = _ => "audit" };
        var config = new Option<string?>("--config") { Description = "JSON settings file with a \"Screening\" section." };
        var noSpill = new Option<bool>("--no-spill") { Description = "Keep every patient's facts in memory, rather than put dormant patients' facts in an encrypted temporary file." };
        var command = new Command("audit", "Replay an archive day by day and report ALK testing of LCNEC over a period.") { from, to, output, config, noSpill };
        source.AddTo(command);
        command.SetAction(parse =>
        {
            var request = new AuditRequest(
                LcnecCommand.ParseDate(parse.GetValue(from), "--from"),
                LcnecCommand.ParseDate(parse.GetValue(to), "--to"),
                ScreenCommand.LoadOptions(parse.GetValue(config)))
            {
                SpillDormant = !parse.GetValue(noSpill),
            };
            if (request.From > request.To)
            {
                throw new UsageException($"--from {request.From:yyyy-MM-dd} is after --to {request.To:yyyy-MM-dd}");
            }
            var archive = source.Open(parse);
            LcnecCommand.CheckReplayEnd(request.To, "--to", archive);
            return Execute(archive, request, parse.GetValue(output)!, stdout, stderr);
        });
        return command;
    }

    private static int Execute(IBatchArchive archive, AuditRequest request, string outDir, TextWriter stdout, TextWriter stderr)
    {
        var started = TimeProvider.System.GetTimestamp();
        var live = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
        var result = live ? RunWithBar(archive, request, stdout) : AuditRun.Run(archive, request, new AuditProgressLines(stdout, TimeProvider.System).Report);
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        result.WriteTo(outDir);
        ProblemLines.Write(stderr, "unreadable", result.Quarantined, result.Rejections.Concat(result.SetAside), result.MissingFromManifest, result.NotInputs, result.NotBatches);
        WriteSummary(stdout, result.Figures, elapsed, outDir);
        if (result.Dormancy is { Fault: { } fault })
        {
            stderr.WriteLine($"lcnec audit: the spill file could not be written ({fault}); dormant patients' facts stayed in memory (the report is complete)");
        }
        if (result.Dormancy is { AtRest: > 0 } dormancy)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"memory: {dormancy.AtRest} of {dormancy.Patients} patients' facts at rest at the end (put to rest {dormancy.Spills} times, woken {dormancy.Wakes}; {dormancy.SpillBytes / 1048576.0:0.0} MiB encrypted temporary file, deleted)"));
        }
        return result.HadRejections ? LcnecCommand.DoneWithRejections : LcnecCommand.Done;
    }

    private static AuditResult RunWithBar(IBatchArchive archive, AuditRequest request, TextWriter stdout)
    {
        // Only called when standard output is a terminal: say so, rather than let the TERM heuristics fall back to lines.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
        });
        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new BatchRateColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("replaying");
                return AuditRun.Run(archive, request, p =>
                {
                    task.MaxValue = p.Total;
                    task.Value = p.Done;
                    task.Description = $"replaying {p.Date:yyyy-MM-dd}";
                });
            });
    }

    private static void WriteSummary(TextWriter output, AuditFigures f, TimeSpan elapsed, string outDir)
    {
        var rate = elapsed.TotalSeconds > 0 ? (f.Input.Batches + f.Input.HistoryBatches) / elapsed.TotalSeconds : 0;
        output.WriteLine($"lcnec audit: {f.From:yyyy-MM-dd}..{f.To:yyyy-MM-dd}, {f.Input.Batches} batch(es) ({f.Input.HistoryBatches} before --from replayed for state)");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replayed in {elapsed.TotalSeconds:0.0} s ({rate:0.0} batches/s)"));
        output.WriteLine($"files: {f.Input.Files} read, {f.Input.FilesQuarantined} unreadable, {f.Input.FilesNotAnInput} not an input, {f.Input.MissingFromManifest} missing from manifest");
        output.WriteLine($"rows: {f.Input.RowsRead} read, {f.Input.RowsAccepted} accepted, {f.Input.RowsRejected} rejected");
        output.WriteLine($"LCNEC patients diagnosed: {f.LcnecPatients} ({f.AdvancedLcnecPatients} advanced); {f.UncertainLcnecPatients} only uncertain");
        output.WriteLine($"tested for ALK: {f.TestedForAlk}; ALK IHC positive: {f.AlkIhcPositive}; confirmed ALK fusion: {f.AlkConfirmed}");
        output.WriteLine("alerts raised by rule:");
        foreach (var (rule, count) in f.AlertsByRule)
        {
            output.WriteLine($"  {rule,-27} {count,5}");
        }
        output.WriteLine($"written: {Path.Combine(outDir, AuditHtml.FileName)}, {AuditJson.FileName}, {AuditCsv.CasesFileName}, {AuditCsv.FindingsFileName}, {AuditCsv.PathologyReviewFileName}, {AuditCsv.ResponsesFileName}");
    }

    private sealed class BatchRateColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(string.Create(CultureInfo.InvariantCulture, $"{task.Speed ?? 0:0.0} batches/s"));
    }
}

/// <summary>Plain progress for a redirected output: a line every 5% of the batches or every 10 seconds, whichever comes first.</summary>
public sealed class AuditProgressLines(TextWriter output, TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();
    private TimeSpan _lastLine = TimeSpan.Zero;
    private int _lastStep = -1;

    public void Report(AuditProgress progress)
    {
        var elapsed = time.GetElapsedTime(_started);
        var step = progress.Done * 20 / Math.Max(1, progress.Total);
        if (step == _lastStep && elapsed - _lastLine < TimeSpan.FromSeconds(10) && progress.Done < progress.Total)
        {
            return;
        }
        _lastStep = step;
        _lastLine = elapsed;
        var rate = elapsed.TotalSeconds > 0 ? progress.Done / elapsed.TotalSeconds : 0;
        var eta = rate > 0 ? TimeSpan.FromSeconds((progress.Total - progress.Done) / rate) : TimeSpan.Zero;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"audit: {progress.Done}/{progress.Total} batches ({100.0 * progress.Done / Math.Max(1, progress.Total):0}%), at {progress.Date:yyyy-MM-dd}, {rate:0.0} batches/s, ETA {eta:hh\\:mm\\:ss}"));
    }
}
