using LcnecBatch.Core.Synthetic;

namespace LcnecBatch.Core.Tests.Synthetic;

/// <summary>
/// A small, independent reading of screening.md's seven rules (default windows) over the files as written,
/// day by day, for one LCNEC patient. It trusts the truth only for the label and for "advanced"; a fact
/// counts from the batch folder it sits in. Not the product's rules: a cross-check of the generator.
/// </summary>
internal static class AlertReplay
{
    public static readonly System.Text.RegularExpressions.Regex NamesLcnec = new(
        @"large[ -]cell neuroendocrine carcinoma|\bLCNEC\b|neuroendocrine carcinoma, large cell type", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    /// <summary>"rule subject severity dueSince" of every alert open on <paramref name="day"/>, sorted.</summary>
    public static List<string> OpenOn(DateOnly day, TruthCase patient, IReadOnlyList<CsvRecord> rows, IReadOnlyList<RawFileRead> rawFiles)
    {
        var open = new List<string>();
        var known = rows.Where(r => r.Batch <= day).ToList();
        // The generator's LCNEC patients carry no report naming LCNEC before the version that diagnoses it (a report that
        // defers to stains names it first in its addendum, which then dates the diagnosis).
        var diagnosis = known.Where(r => r.File == "pathology_reports.csv" && NamesLcnec.IsMatch(r["final_diagnosis"]))
            .OrderBy(r => r.Date("report_date")).ThenBy(r => r.Batch).FirstOrDefault();
        if (diagnosis is null)
        {
            return open;
        }
        var diagnosed = diagnosis.Date("report_date");
        var highPrior = HighPrior(known.Where(r => r.File == "patients.csv"), diagnosed);
        var ihc = known.Where(r => r.File == "ihc_results.csv" && r["marker"] == "ALK").ToList();
        var definite = known.Where(r => r.File == "molecular_results.csv" && r["gene"] == "ALK" && r["result"] is "detected" or "not_detected").ToList();
        var detected = definite.Where(m => m["result"] == "detected").ToList();
        // A detected row naming only a protein change ("ALK G1202R", "ALK G1202R (VAF 12%)") or a copy-number gain names
        // no fusion: not actionable, and neither an ALK test nor a confirmation.
        var fusions = detected.Where(m => !System.Text.RegularExpressions.Regex.IsMatch(m["alteration"], @"^ALK [A-Z]\d{3,4}[A-Z]( \(VAF \d+%\))?$|amplification")).ToList();
        var answers = definite.Where(m => m["result"] == "not_detected").Concat(fusions).ToList();
        var accessions = known.Where(r => r.File is "pathology_reports.csv" or "molecular_results.csv").Select(r => r["accession"]).ToHashSet();
        // An ALK1-clone negative misses most lung fusions: no test.
        var tests = ihc.Where(r => r["result"] is "positive" or "equivocal" || (r["result"] == "negative" && r["clone"] != "ALK1")).Select(r => r.Date("result_date"))
            .Concat(answers.Select(r => r.Date("result_date")))
            .Concat(rawFiles.Where(f => f.Known <= day && accessions.Contains(f.Accession)).Select(f => f.Known))
            .ToList();

        if (patient.Advanced == true && day > diagnosed.AddDays(14) && !tests.Any(t => t >= diagnosed.AddDays(-90) && t <= day))
        {
            open.Add($"ALK_TEST_MISSING {diagnosis["accession"]} {(highPrior ? "high" : "medium")} {diagnosed.AddDays(14):yyyy-MM-dd}");
        }
        foreach (var row in ihc.Where(r => r["result"] is "positive" or "equivocal"))
        {
            var date = row.Date("result_date");
            if (day > date.AddDays(14) && !answers.Any(m => m.Date("result_date") >= date))
            {
                open.Add($"ALK_IHC_UNCONFIRMED {row["accession"]} high {date.AddDays(14):yyyy-MM-dd}");
            }
        }
        foreach (var row in ihc.Where(r => r["result"] == "negative" && r["clone"] != "ALK1"))
        {
            var date = row.Date("result_date");
            if (patient.Advanced == true && highPrior && day > date.AddDays(14) && !answers.Any(m => m.Date("result_date") >= date))
            {
                open.Add($"ALK_MOLECULAR_RECOMMENDED {row["accession"]} medium {date.AddDays(14):yyyy-MM-dd}");
            }
        }
        open.AddRange(fusions.Select(m => $"ALK_FUSION_ACTIONABLE {m["accession"]} info -"));
        var raw = rawFiles.Where(f => f.Known <= day && accessions.Contains(f.Accession)).ToList();
        foreach (var file in raw.Where(f => f.PassingFusion))
        {
            if (day > file.Known.AddDays(7) && !fusions.Any(m => m["accession"] == file.Accession))
            {
                open.Add($"ALK_FUSION_UNREPORTED {file.Accession} high {file.Known.AddDays(7):yyyy-MM-dd}");
            }
        }
        if (fusions.Count > 0 || raw.Any(f => f.PassingFusion))
        {
            open.AddRange(detected.Where(m => m["alteration"].StartsWith("ALK G1202R", StringComparison.Ordinal)).Select(m => $"ALK_RESISTANCE_MUTATION {m["accession"]} high -"));
            open.AddRange(raw.Where(f => f.PassingG1202R).Select(f => $"ALK_RESISTANCE_MUTATION {f.Accession} high -"));
        }
        foreach (var row in ihc)
        {
            // Per specimen: the IHC's accession, or another resulted within 14 days.
            var date = row.Date("result_date");
            var paired = answers.Where(m => m["accession"] == row["accession"] || Math.Abs(m.Date("result_date").DayNumber - date.DayNumber) <= 14).ToList();
            var pairedFusion = paired.Any(m => m["result"] == "detected");
            var discordant = row["result"] switch
            {
                "positive" or "equivocal" => !pairedFusion && paired.Any(m => m["result"] == "not_detected"),
                "negative" => pairedFusion,
                _ => false,
            };
            if (discordant)
            {
                open.Add($"ALK_IHC_DISCORDANT {row["accession"]} info -");
            }
        }
        return [.. open.Distinct().Order(StringComparer.Ordinal)];
    }

    public static List<string> Expected(DateOnly day, TruthCase patient) =>
        [.. patient.Alerts.Where(a => a.IsOpenOn(day))
            .Select(a => $"{a.RuleId} {a.Subject} {a.Severity} {a.DueSince?.ToString("yyyy-MM-dd", null) ?? "-"}")
            .Order(StringComparer.Ordinal)];

    private static bool HighPrior(IEnumerable<CsvRecord> demographics, DateOnly diagnosed)
    {
        string sex = "", smoking = "", birth = "";
        foreach (var row in demographics.OrderBy(r => r.Batch).ThenBy(r => r.Line))
        {
            sex = row["sex"].Length > 0 ? row["sex"] : sex;
            smoking = row["smoking_status"].Length > 0 ? row["smoking_status"] : smoking;
            birth = row["birth_date"].Length > 0 ? row["birth_date"] : birth;
        }
        var young = false;
        if (birth.Length > 0)
        {
            var born = DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture);
            var age = diagnosed.Year - born.Year - (diagnosed < born.AddYears(diagnosed.Year - born.Year) ? 1 : 0);
            young = age < 60;
        }
        return smoking == "never" || sex is "F" or "female" || young;
    }
}

/// <summary>
/// A raw file as written: where it sits, and whether it holds a passing ALK fusion (a VCF breakend record on chr2
/// with FILTER PASS; an Arriba EML4/ALK row of medium or high confidence; a STAR-Fusion --ALK row with FFPM of
/// at least 0.1) or a passing VCF record annotated ALK p.Gly1202Arg.
/// </summary>
internal sealed record RawFileRead(string Accession, DateOnly Known, bool PassingFusion, bool PassingG1202R)
{
    public static RawFileRead Read(string path, DateOnly known, IReadOnlyList<string> lines)
    {
        var name = Path.GetFileName(path);
        var rows = lines.Where(l => !l.StartsWith('#') && l.Length > 0).Select(l => l.Split('\t')).ToList();
        if (name.EndsWith(".arriba.tsv", StringComparison.Ordinal))
        {
            return new RawFileRead(name[..^".arriba.tsv".Length], known, rows.Any(f => (f[0] == "ALK" || f[1] == "ALK") && f[14] is "high" or "medium"), false);
        }
        if (name.EndsWith(".star-fusion.tsv", StringComparison.Ordinal))
        {
            return new RawFileRead(name[..^".star-fusion.tsv".Length], known,
                rows.Any(f => f[0].EndsWith("--ALK", StringComparison.Ordinal) && double.Parse(f[11], System.Globalization.CultureInfo.InvariantCulture) >= 0.1), false);
        }
        var passing = rows.Where(f => f[6] == "PASS").ToList();
        return new RawFileRead(
            name[..^".vcf".Length],
            known,
            passing.Any(f => f[7].Contains("SVTYPE=BND", StringComparison.Ordinal) && f[4].Contains("chr2:", StringComparison.Ordinal)),
            passing.Any(f => f[7].Contains("|ALK|", StringComparison.Ordinal) && f[7].Contains("p.Gly1202Arg", StringComparison.Ordinal)));
    }
}
