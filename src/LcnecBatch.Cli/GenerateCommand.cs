using System.CommandLine;
using LcnecBatch.Core.Synthetic;

namespace LcnecBatch.Cli;

/// <summary><c>lcnec generate &lt;out-dir&gt; [--patients N] [--days N] [--start DATE] [--seed N] [--response-rate R | --no-responses]</c></summary>
public static class GenerateCommand
{
    public static Command Build(TextWriter stdout)
    {
        var defaults = new GeneratorOptions();
        var outDir = new Argument<string>("out-dir") { Description = "Folder to write the archive and truth.json into." };
        var patients = new Option<int>("--patients") { Description = "Number of patients.", DefaultValueFactory = _ => defaults.Patients };
        var days = new Option<int>("--days") { Description = "Number of daily batches.", DefaultValueFactory = _ => defaults.Days };
        var start = new Option<string?>("--start") { Description = "Date of the first batch (yyyy-MM-dd)." };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same bytes.", DefaultValueFactory = _ => defaults.Seed };
        var format = new Option<Carrier>("--format") { Description = "Carrier of the clinical results: csv, hl7 (HL7 v2 ORU^R01) or fhir (FHIR R4 Bundle).", DefaultValueFactory = _ => Carrier.Csv };
        var responseRate = new Option<double>("--response-rate") { Description = "Share of expected alerts the care team answers (0 to 1), written under responses/.", DefaultValueFactory = _ => defaults.ResponseRate };
        var noResponses = new Option<bool>("--no-responses") { Description = "Write no care-team responses (the same as --response-rate 0)." };
        var command = new Command("generate", "Write a synthetic archive in the canonical format, with truth.json.") { outDir, patients, days, start, seed, format, responseRate, noResponses };
        command.SetAction(parse =>
        {
            var options = defaults with
            {
                Patients = Positive(parse.GetValue(patients), "--patients"),
                Days = Positive(parse.GetValue(days), "--days"),
                Start = LcnecCommand.ParseDate(parse.GetValue(start), "--start") ?? defaults.Start,
                Seed = parse.GetValue(seed),
                ResponseRate = parse.GetValue(noResponses) ? 0 : parse.GetValue(responseRate),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new UsageException(e.Message);
            }
            var target = parse.GetValue(outDir)!;
            if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            {
                throw new UsageException($"{target} is not empty: generate writes into a new or empty folder");
            }
            var summary = ArchiveGenerator.Generate(options, target);
            CarrierConverter.Convert(target, parse.GetValue(format));
            stdout.WriteLine($"lcnec generate: {summary.Patients} patients ({summary.LcnecPatients} LCNEC) over {summary.Batches} batches, {summary.Files} files, {summary.Bytes:N0} bytes; {summary.RejectedRows.Count} bad rows on purpose; {summary.Responses} care-team responses");
            stdout.WriteLine($"expected alerts: {string.Join(", ", summary.AlertsByRule.Select(r => $"{r.Key} {r.Value}"))}");
            stdout.WriteLine($"truth: {summary.TruthPath}");
            return LcnecCommand.Done;
        });
        return command;
    }

    private static int Positive(int value, string option) =>
        value > 0 ? value : throw new UsageException($"{option} must be a positive number, not {value}");
}
