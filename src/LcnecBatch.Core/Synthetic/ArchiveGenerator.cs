using System.Globalization;

namespace LcnecBatch.Core.Synthetic;

/// <summary>Which planned story a patient was given (LCNEC scenarios and LCNEC-like mentions only).</summary>
public sealed record ScenarioAssignment(string Mrn, string Scenario, LcnecLabel Lcnec)
{
    /// <summary>The planned sign-out date of an LCNEC scenario's diagnostic report; null for mentions.</summary>
    public DateOnly? Diagnosed { get; init; }
}

/// <summary>What <see cref="ArchiveGenerator.Generate"/> wrote.</summary>
public sealed record GenerationSummary(
    string TruthPath,
    int Patients,
    int LcnecPatients,
    int Batches,
    int Files,
    long Bytes,
    IReadOnlyList<TruthRejectedRow> RejectedRows,
    IReadOnlyDictionary<string, int> AlertsByRule,
    IReadOnlyList<ScenarioAssignment> Scenarios)
{
    /// <summary>Care-team responses written under <c>responses/</c>.</summary>
    public int Responses { get; init; }
}

/// <summary>
/// <c>lcnec generate</c>: a synthetic archive in the canonical export format, with <c>truth.json</c> giving
/// each patient's intended LCNEC assertion and the alerts expected by date. One seeded
/// <see cref="Random"/> drawn in a fixed order and no clock: the same options give the same bytes.
/// </summary>
public static class ArchiveGenerator
{
    private const double LcnecShare = 0.0867; // 26 of the default 300: every scenario once
    private const double MentionShare = 0.067; // 20 of the default 300: every mention once

    /// <summary>Writes the archive into <paramref name="outDir"/>, which must be empty or not exist yet.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="IOException">The folder already holds files (archives are never mixed).</exception>
    public static GenerationSummary Generate(GeneratorOptions options, string outDir)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(outDir);
        options.Validate();
        if (Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any())
        {
            throw new IOException($"output folder is not empty: {outDir}");
        }

        var builder = new ArchiveBuilder(options, new Random(options.Seed));
        var scenarios = Plan(builder);
        var archive = builder.Archive;
        var cases = Truth(options, archive);
        var responses = CareTeamResponses.Plan(options, archive, cases);

        Directory.CreateDirectory(outDir);
        var writer = new ArchiveWriter(archive, options, outDir);
        writer.Write();
        CareTeamResponses.Write(responses, outDir, writer);
        var rejected = writer.Rejected.OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.Line).ToList();
        var truth = new TruthFile(options.Seed, options.Start, options.Days, options.Patients, rejected, cases) { Responses = responses };
        var truthPath = Path.Combine(outDir, TruthFile.FileName);
        writer.Save(truthPath, truth.ToUtf8Bytes());

        var alertsByRule = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var alert in cases.SelectMany(c => c.Alerts))
        {
            alertsByRule[alert.RuleId] = alertsByRule.GetValueOrDefault(alert.RuleId) + 1;
        }
        return new GenerationSummary(
            truthPath, options.Patients, cases.Count(c => c.Lcnec is LcnecLabel.Affirmed or LcnecLabel.Historical),
            writer.Batches, writer.Files, writer.Bytes, rejected, alertsByRule, scenarios)
        { Responses = responses.Count };
    }

    private static List<ScenarioAssignment> Plan(ArchiveBuilder b)
    {
        var total = b.Options.Patients;
        var lcnec = b.Options.LcnecPatients ?? Math.Clamp((int)Math.Round(total * LcnecShare, MidpointRounding.AwayFromZero), 1, total);
        var mentions = Math.Clamp((int)Math.Round(total * MentionShare, MidpointRounding.AwayFromZero), 0, total - lcnec);
        var mrns = Mrns(b, total);
        // A long archive spreads its diagnoses over the whole period; a short one keeps each scenario's planned day.
        var spread = LcnecIncidence.Applies(b.Options.Days) ? LcnecIncidence.DiagnosisDays(b, lcnec) : null;
        var scenarios = new List<ScenarioAssignment>();
        for (var i = 0; i < total; i++)
        {
            SyntheticPatient patient;
            DateOnly? diagnosed = null;
            if (i < lcnec)
            {
                var planned = LcnecScenarios.Table[i % LcnecScenarios.Table.Count];
                var scenario = spread is null ? planned : LcnecIncidence.Choose(b, planned, spread[i]);
                diagnosed = LcnecScenarios.DiagnosisDate(b, scenario);
                patient = LcnecScenarios.Add(b, mrns[i], scenario);
            }
            else
            {
                patient = i < lcnec + mentions ? LcnecMentions.Add(b, mrns[i], LcnecMentions.Table[(i - lcnec) % LcnecMentions.Table.Count])
                    : GeneralPopulation.Add(b, mrns[i]);
            }
            b.Archive.Patients.Add(patient);
            if (patient.IsScenario)
            {
                scenarios.Add(new ScenarioAssignment(patient.Mrn, patient.Scenario, patient.Label) { Diagnosed = diagnosed });
            }
        }

        // A raw file whose accession no row ever names: it stays pending.
        var orphanDate = b.Day(b.Next(0, b.Options.Days));
        b.Archive.RawFiles.Add(new RawNgsFile(b.NewSpecimen('M', orphanDate), orphanDate, orphanDate, [VcfContent.Call(b, b.Pick(VcfContent.Tp53Hotspots))]));

        BadRows.Plan(b);
        b.NumberAccessions();
        return scenarios;
    }

    /// <summary>Distinct MRNs of 6 to 8 digits, kept as strings.</summary>
    private static List<string> Mrns(ArchiveBuilder b, int count)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var mrns = new List<string>(count);
        while (mrns.Count < count)
        {
            var digits = b.Pick((6, 0.7), (7, 0.2), (8, 0.1));
            var low = digits switch { 6 => 100_000, 7 => 1_000_000, _ => 10_000_000 };
            var mrn = b.Next(low, low * 10).ToString(CultureInfo.InvariantCulture);
            if (seen.Add(mrn))
            {
                mrns.Add(mrn);
            }
        }
        return mrns;
    }

    private static List<TruthCase> Truth(GeneratorOptions options, SyntheticArchive archive)
    {
        var demographics = archive.Demographics.ToLookup(r => r.Mrn, StringComparer.Ordinal);
        var reports = archive.Reports.ToLookup(r => r.Mrn, StringComparer.Ordinal);
        var ihc = archive.Ihc.ToLookup(r => r.Mrn, StringComparer.Ordinal);
        var molecular = archive.Molecular.ToLookup(r => r.Mrn, StringComparer.Ordinal);
        var cases = new List<TruthCase>();
        foreach (var patient in archive.Patients.OrderBy(p => p.Mrn, StringComparer.Ordinal))
        {
            var own = reports[patient.Mrn].ToList();
            var alerts = own.Any(r => r.AffirmsLcnec)
                ? TruthEvaluator.Evaluate(options, [.. demographics[patient.Mrn]], own, [.. ihc[patient.Mrn]], [.. molecular[patient.Mrn]], archive.RawFiles)
                : [];
            var hasLcnec = patient.Label is LcnecLabel.Affirmed or LcnecLabel.Historical;
            cases.Add(new TruthCase(
                patient.Mrn, patient.Label, hasLcnec ? own.Any(r => r.Advanced) : null,
                [.. alerts.OrderBy(a => a.RuleId, StringComparer.Ordinal).ThenBy(a => a.Subject, StringComparer.Ordinal)]));
        }
        return cases;
    }
}
