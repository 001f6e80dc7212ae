using System.CommandLine;
using System.Globalization;
using LcnecBatch.Core.Synthetic;

namespace LcnecBatch.Cli;

/// <summary><c>lcnec generate &lt;out-dir&gt; [--patients N] [--days N] [--start DATE] [--seed N] [--response-rate R | --no-responses] [--alk-tested FIRST:LAST] [--reflex-ihc FIRST:LAST] [--lcnec-patients N]</c></summary>
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
        var lcnecPatients = new Option<int?>("--lcnec-patients") { Description = "How many patients have LCNEC (default: about 1 in 12 of --patients)." };
        var noResponses = new Option<bool>("--no-responses") { Description = "Write no care-team responses (the same as --response-rate 0)." };
        var alkTested = new Option<string?>("--alk-tested")
        {
            Description = $"Share of advanced LCNEC tested for ALK on the first and last day, FIRST:LAST (archives of {GeneratorOptions.SpreadFromDays} days or more; default {Pair(defaults.Practice.TestedFirst, defaults.Practice.TestedLast)}).",
        };
        var reflexIhc = new Option<string?>("--reflex-ihc")
        {
            Description = $"Of those tested, the share with a reflex ALK IHC on the first and last day, FIRST:LAST (default {Pair(defaults.Practice.ReflexFirst, defaults.Practice.ReflexLast)}).",
        };
        var command = new Command("generate", "Write a synthetic archive in the canonical format, with truth.json.") { outDir, patients, days, start, seed, format, responseRate, noResponses, alkTested, reflexIhc, lcnecPatients };
        command.SetAction(parse =>
        {
            var (testedFirst, testedLast) = Shares(parse.GetValue(alkTested), "--alk-tested", (defaults.Practice.TestedFirst, defaults.Practice.TestedLast));
            var (reflexFirst, reflexLast) = Shares(parse.GetValue(reflexIhc), "--reflex-ihc", (defaults.Practice.ReflexFirst, defaults.Practice.ReflexLast));
            var options = defaults with
            {
                Practice = new TestingPractice { TestedFirst = testedFirst, TestedLast = testedLast, ReflexFirst = reflexFirst, ReflexLast = reflexLast },
                Patients = Positive(parse.GetValue(patients), "--patients"),
                Days = Positive(parse.GetValue(days), "--days"),
                Start = LcnecCommand.ParseDate(parse.GetValue(start), "--start") ?? defaults.Start,
                Seed = parse.GetValue(seed),
                LcnecPatients = parse.GetValue(lcnecPatients),
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

    private static string Pair(double first, double last) => string.Create(CultureInfo.InvariantCulture, $"{first}:{last}");

    /// <summary>Two shares between 0 and 1 written FIRST:LAST.</summary>
    private static (double First, double Last) Shares(string? value, string option, (double, double) fallback)
    {
        if (value is null)
        {
            return fallback;
        }
        var parts = value.Split(':');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var first) && first is >= 0 and <= 1
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var last) && last is >= 0 and <= 1)
        {
            return (first, last);
        }
        throw new UsageException($"{option} takes two shares between 0 and 1 as FIRST:LAST, e.g. 0.4:0.85");
    }

    private static int Positive(int value, string option) =>
        value > 0 ? value : throw new UsageException($"{option} must be a positive number, not {value}");
}
