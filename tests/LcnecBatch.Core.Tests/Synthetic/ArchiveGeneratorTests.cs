using System.Security.Cryptography;
using System.Text;
using LcnecBatch.Core.Synthetic;

namespace LcnecBatch.Core.Tests.Synthetic;

public sealed class ArchiveGeneratorTests(DefaultArchiveFixture fixture) : IClassFixture<DefaultArchiveFixture>
{
    private readonly GeneratedArchive _archive = fixture.Archive;

    [Fact]
    public void Generate_SameSeed_WritesSameBytes()
    {
        using var again = new GeneratedArchive(new GeneratorOptions());

        Assert.Equal(Hashes(_archive), Hashes(again));
    }

    [Fact]
    public void Generate_DifferentSeed_WritesDifferentBytes()
    {
        using var other = new GeneratedArchive(new GeneratorOptions { Seed = 7 });

        var mine = Hashes(_archive);
        var theirs = Hashes(other);
        Assert.NotEqual(mine, theirs);
        Assert.Contains(mine, f => theirs.TryGetValue(f.Key, out var hash) && hash != f.Value);
    }

    [Fact]
    public void Generate_Defaults_WritesRealisticArchive()
    {
        var truth = _archive.Truth;
        var lcnec = truth.Cases.Count(c => c.Lcnec is LcnecLabel.Affirmed or LcnecLabel.Historical);

        Assert.Equal(300, truth.Cases.Count);
        Assert.True(truth.Cases.Count >= 200);
        Assert.True(_archive.BatchFolders().Count >= 30);
        Assert.InRange((double)lcnec / truth.Cases.Count, 0.03, 0.10);
        Assert.True(lcnec >= 15, $"{lcnec} LCNEC patients");
        Assert.InRange(truth.RejectedRows.Count, 5, 8);
        Assert.Equal(truth.Cases.Count, truth.Cases.Select(c => c.Mrn).Distinct().Count());
        Assert.All(truth.Cases, c => Assert.Matches("^[1-9][0-9]{5,7}$", c.Mrn));
        Assert.Equal(truth.Cases.Select(c => c.Mrn).Order(StringComparer.Ordinal), truth.Cases.Select(c => c.Mrn));
        Assert.Equal(lcnec, _archive.Summary.LcnecPatients);
    }

    [Fact]
    public void Generate_Defaults_CoversEveryScenario()
    {
        var alerts = _archive.Truth.Cases.SelectMany(c => c.Alerts).ToList();
        var labels = _archive.Truth.Cases.Select(c => c.Lcnec).ToHashSet();

        Assert.Equal(Enum.GetValues<LcnecLabel>().ToHashSet(), labels);
        var missing = alerts.Where(a => a.RuleId == "ALK_TEST_MISSING").ToList();
        Assert.Contains(missing, a => a.ResolvedOn is null && a.Severity == "high");
        Assert.Contains(missing, a => a.ResolvedOn is null && a.Severity == "medium");
        Assert.Contains(missing, a => a.ResolvedOn is not null);
        var unconfirmed = alerts.Where(a => a.RuleId == "ALK_IHC_UNCONFIRMED").ToList();
        Assert.Contains(unconfirmed, a => a.ResolvedOn is null);
        Assert.Contains(unconfirmed, a => a.ResolvedOn is not null);
        Assert.Contains(alerts, a => a.RuleId == "ALK_MOLECULAR_RECOMMENDED");
        Assert.Contains(alerts, a => a.RuleId == "ALK_FUSION_ACTIONABLE");
        Assert.Contains(alerts, a => a.RuleId == "ALK_IHC_DISCORDANT");
        var unreported = alerts.Where(a => a.RuleId == "ALK_FUSION_UNREPORTED").ToList();
        Assert.Contains(unreported, a => a.ResolvedOn is null);
        Assert.Contains(unreported, a => a.ResolvedOn is not null);
        Assert.Contains(alerts, a => a.RuleId == "ALK_RESISTANCE_MUTATION");
        Assert.All(alerts, a => Assert.Equal(a.RuleId is "ALK_FUSION_ACTIONABLE" or "ALK_IHC_DISCORDANT" or "ALK_RESISTANCE_MUTATION", a.DueSince is null));
        Assert.All(alerts.Where(a => a.DueSince is not null), a => Assert.Equal(a.DueSince!.Value.AddDays(1), a.OpenFrom));

        var scenarios = _archive.Summary.Scenarios.Select(s => s.Scenario).ToHashSet();
        foreach (var quiet in new[] { "alk-tested-day-10", "not-advanced-untested", "diagnosis-near-end", "molecular-recommended-not-high-prior", "historical-tested", "raw-fusion-filtered" })
        {
            Assert.Contains(quiet, scenarios);
            var mrn = _archive.Summary.Scenarios.First(s => s.Scenario == quiet).Mrn;
            Assert.Empty(_archive.Truth.Cases.Single(c => c.Mrn == mrn).Alerts);
        }
    }

    [Fact]
    public void Generate_Defaults_NoAlertForPatientsWithoutLcnec()
    {
        var others = _archive.Truth.Cases.Where(c => c.Lcnec is not (LcnecLabel.Affirmed or LcnecLabel.Historical)).ToList();
        var withdrawn = _archive.Summary.Scenarios.Single(s => s.Scenario == "amendment-withdraws-lcnec").Mrn;

        Assert.All(others.Where(c => c.Mrn != withdrawn), c => Assert.Empty(c.Alerts));
        Assert.All(others, c => Assert.Null(c.Advanced));
        var lookalikeMrns = others.Where(c => c.Lcnec == LcnecLabel.Lookalike).Select(c => c.Mrn).ToHashSet();
        Assert.Contains(_archive.Records(), r => r.File == "ihc_results.csv" && r["marker"] == "ALK" && r["result"] == "positive" && lookalikeMrns.Contains(r["mrn"]));
    }

    [Fact]
    public void Generate_Defaults_AmendedReportWithdrawingLcnec_ResolvesItsAlertsOnTheAmendmentsBatch()
    {
        var mrn = _archive.Summary.Scenarios.Single(s => s.Scenario == "amendment-withdraws-lcnec").Mrn;
        var patient = _archive.Truth.Cases.Single(c => c.Mrn == mrn);
        var reports = _archive.Records().Where(r => r.File == "pathology_reports.csv" && r["mrn"] == mrn).ToList();
        var amended = Assert.Single(reports, r => r["report_status"] == "amended");

        Assert.Equal(LcnecLabel.Negated, patient.Lcnec);
        Assert.Equal(2, reports.Count);
        Assert.Single(reports.Select(r => r["accession"]).Distinct());
        var alert = Assert.Single(patient.Alerts);
        Assert.Equal("ALK_TEST_MISSING", alert.RuleId);
        Assert.Equal(amended.Batch, alert.ResolvedOn);
        Assert.True(alert.OpenFrom < amended.Batch);
    }

    [Fact]
    public void Generate_Defaults_AddendumEstablishingLcnec_DatesTheDiagnosis()
    {
        var mrn = _archive.Summary.Scenarios.Single(s => s.Scenario == "addendum-establishes-lcnec").Mrn;
        var patient = _archive.Truth.Cases.Single(c => c.Mrn == mrn);
        var reports = _archive.Records().Where(r => r.File == "pathology_reports.csv" && r["mrn"] == mrn).OrderBy(r => r.Batch).ToList();

        Assert.Equal(2, reports.Count);
        Assert.DoesNotMatch(AlertReplay.NamesLcnec, reports[0]["final_diagnosis"]);
        Assert.True(reports[1]["addendum"] == "true" || reports[1]["report_status"] == "addendum");
        var missing = Assert.Single(patient.Alerts, a => a.RuleId == "ALK_TEST_MISSING");
        Assert.Equal(reports[1].Date("report_date").AddDays(14), missing.DueSince);
    }

    [Fact]
    public void Generate_Defaults_CorrectedReportOfADetail_LeavesTheAlertOpen()
    {
        var mrn = _archive.Summary.Scenarios.Single(s => s.Scenario == "alk-test-missing-open").Mrn;
        var patient = _archive.Truth.Cases.Single(c => c.Mrn == mrn);

        Assert.Contains(_archive.Records(), r => r.File == "pathology_reports.csv" && r["mrn"] == mrn && r["report_status"] == "corrected");
        Assert.Equal(LcnecLabel.Affirmed, patient.Lcnec);
        Assert.Null(Assert.Single(patient.Alerts).ResolvedOn);
    }

    [Fact]
    public void Generate_Defaults_TruthAgreesWithRulesReplayedDayByDay()
    {
        var rejected = _archive.Truth.RejectedRows.Select(r => (r.Source, r.Line)).ToHashSet();
        var rows = _archive.Records().Where(r => !rejected.Contains((r.Source, r.Line))).ToLookup(r => r["mrn"]);
        var raw = RawFiles(_archive);
        var checkedDays = 0;
        foreach (var patient in _archive.Truth.Cases.Where(c => c.Lcnec is LcnecLabel.Affirmed or LcnecLabel.Historical))
        {
            for (var day = _archive.Truth.Start; day <= _archive.Truth.End; day = day.AddDays(1))
            {
                var expected = AlertReplay.Expected(day, patient);
                var actual = AlertReplay.OpenOn(day, patient, [.. rows[patient.Mrn]], raw);
                Assert.True(expected.SequenceEqual(actual), $"{patient.Mrn} on {day:yyyy-MM-dd}: truth [{string.Join("; ", expected)}], replay [{string.Join("; ", actual)}]");
                checkedDays++;
            }
        }
        Assert.True(checkedDays >= 15 * 30);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(12, 5, 3)]
    [InlineData(40, 10, 99)]
    [InlineData(120, 60, 2026)]
    public void Generate_OtherSizes_TruthAgreesWithReplay(int patients, int days, int seed)
    {
        using var archive = new GeneratedArchive(new GeneratorOptions { Patients = patients, Days = days, Seed = seed, Start = new DateOnly(2026, 12, 20) });
        var rejected = archive.Truth.RejectedRows.Select(r => (r.Source, r.Line)).ToHashSet();
        var rows = archive.Records().Where(r => !rejected.Contains((r.Source, r.Line))).ToLookup(r => r["mrn"]);
        var raw = RawFiles(archive);

        Assert.Equal(patients, archive.Truth.Cases.Count);
        Assert.Equal(days, archive.BatchFolders().Count);
        Assert.InRange(archive.Truth.RejectedRows.Count, 5, 8);
        foreach (var patient in archive.Truth.Cases.Where(c => c.Lcnec is LcnecLabel.Affirmed or LcnecLabel.Historical))
        {
            for (var day = archive.Truth.Start; day <= archive.Truth.End; day = day.AddDays(1))
            {
                Assert.Equal(AlertReplay.Expected(day, patient), AlertReplay.OpenOn(day, patient, [.. rows[patient.Mrn]], raw));
            }
        }
    }

    [Fact]
    public void Generate_Defaults_StaysUnderTwoMegabytes()
    {
        var bytes = _archive.Files().Sum(f => new FileInfo(_archive.FullPath(f)).Length);

        Assert.True(bytes < 2 * 1024 * 1024, $"{bytes} bytes");
        Assert.Equal(bytes, _archive.Summary.Bytes);
        Assert.Equal(_archive.Files().Count, _archive.Summary.Files);
    }

    [Fact]
    public void Generate_Defaults_WritesUtf8WithoutBomAndLineFeedsOnly()
    {
        foreach (var file in _archive.Files())
        {
            var bytes = File.ReadAllBytes(_archive.FullPath(file));
            Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), file);
            Assert.DoesNotContain((byte)'\r', bytes);
            Assert.Equal((byte)'\n', bytes[^1]);
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
    }

    [Fact]
    public void Generate_Defaults_ManifestListsEveryFileOfItsBatch()
    {
        foreach (var batch in _archive.BatchFolders())
        {
            using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(_archive.FullPath($"{batch}/manifest.json")));
            var listed = manifest.RootElement.GetProperty("files").EnumerateArray().Select(e => e.GetString()!).ToList();
            var present = _archive.Files().Where(f => f.StartsWith(batch + "/", StringComparison.Ordinal) && !f.EndsWith("/manifest.json", StringComparison.Ordinal))
                .Select(f => f[(batch.Length + 1)..]).ToList();

            Assert.Equal(batch, manifest.RootElement.GetProperty("batchDate").GetString());
            Assert.Equal("LIS-nightly", manifest.RootElement.GetProperty("source").GetString());
            Assert.Equal(present.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Generate_Defaults_RawFilesAreNamedByAccessionSomeEarlyOneNeverNamed()
    {
        var records = _archive.Records();
        var named = records.Where(r => r.File is "molecular_results.csv" or "pathology_reports.csv")
            .GroupBy(r => r["accession"]).ToDictionary(g => g.Key, g => g.Min(r => r.Batch));
        var raw = RawFiles(_archive);

        Assert.NotEmpty(raw);
        Assert.Single(raw, f => !named.ContainsKey(f.Accession));
        Assert.Contains(raw, f => named.TryGetValue(f.Accession, out var first) && first > f.Known);
        foreach (var vcf in _archive.Files().Where(f => f.Contains("/ngs/", StringComparison.Ordinal) && f.EndsWith(".vcf", StringComparison.Ordinal)))
        {
            var accession = Path.GetFileNameWithoutExtension(vcf);
            var lines = File.ReadAllLines(_archive.FullPath(vcf));
            Assert.Equal("##fileformat=VCFv4.2", lines[0]);
            Assert.Contains("##reference=GRCh38", lines);
            Assert.Contains(lines, l => l.StartsWith("##contig=<ID=chr2,", StringComparison.Ordinal));
            var header = lines.Single(l => l.StartsWith("#CHROM", StringComparison.Ordinal)).Split('\t');
            Assert.Equal(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", accession], header);
            Assert.All(lines.Where(l => !l.StartsWith('#')), l => Assert.Equal(10, l.Split('\t').Length));
            Assert.Contains(lines, l => !l.StartsWith('#'));
        }
        // RNA fusion callers' tables, too (cli.md: "VCF and fusion files").
        Assert.Contains(_archive.Files(), f => f.EndsWith(".arriba.tsv", StringComparison.Ordinal));
        Assert.Contains(_archive.Files(), f => f.EndsWith(".star-fusion.tsv", StringComparison.Ordinal));
        var pointers = records.Where(r => r.File == "molecular_results.csv" && r["file"].Length > 0 && !_archive.Truth.RejectedRows.Any(x => x.Source == r.Source && x.Line == r.Line));
        Assert.All(pointers, r => Assert.True(File.Exists(_archive.FullPath($"{r.Batch:yyyy-MM-dd}/{r["file"]}")), r["file"]));
    }

    [Fact]
    public void Generate_Defaults_WordingMatchesLabels()
    {
        var labels = _archive.Truth.Cases.ToDictionary(c => c.Mrn, c => c.Lcnec);
        var reports = _archive.Records().Where(r => r.File == "pathology_reports.csv").ToLookup(r => r["mrn"]);
        foreach (var (mrn, label) in labels)
        {
            var naming = reports[mrn].Where(r => AlertReplay.NamesLcnec.IsMatch(r["final_diagnosis"])).ToList();
            if (label is LcnecLabel.None or LcnecLabel.Lookalike)
            {
                Assert.Empty(naming);
            }
            else
            {
                Assert.NotEmpty(naming);
            }
        }
    }

    [Fact]
    public void Generate_Defaults_WritesWholeReportsWithSections()
    {
        var texts = _archive.Records().Where(r => r.File == "pathology_reports.csv").Select(r => r["final_diagnosis"]).ToList();
        var headers = new System.Text.RegularExpressions.Regex(@"^(?:[A-Z][A-Za-z ]+|[A-Z ()]+)(?::|$)", System.Text.RegularExpressions.RegexOptions.Multiline);

        Assert.All(texts, t => Assert.InRange(Encoding.UTF8.GetByteCount(t), 800, 5 * 1024));
        Assert.InRange(texts.Average(t => t.Length), 1200, 3000);
        Assert.All(texts, t => Assert.True(headers.Count(t) >= 3, t));
        foreach (var section in new[] { "CLINICAL HISTORY", "GROSS DESCRIPTION", "MICROSCOPIC", "INTRAOPERATIVE CONSULTATION", "FINAL DIAGNOSIS", "COMMENT",
            "Histologic Type:", "IMMUNOHISTOCHEMISTRY", "ADDENDUM", "Outside diagnosis:", "FAMILY HISTORY", "CYTOLOGIC DIAGNOSIS", "AMENDED REPORT", "CORRECTED REPORT" })
        {
            Assert.Contains(texts, t => t.Contains(section, StringComparison.OrdinalIgnoreCase));
        }
        var statuses = _archive.Records().Where(r => r.File == "pathology_reports.csv").Select(r => r["report_status"]).ToHashSet();
        Assert.Superset(new HashSet<string> { "final", "addendum", "amended", "corrected" }, statuses);
    }

    [Fact]
    public void Validate_TwentyYears_IsAnArchiveTheGeneratorMakes()
    {
        // The 20-year bench of issue 19 (PATIENTS=100000 DAYS=7305) must not be refused.
        new GeneratorOptions { Patients = GeneratorOptions.MaxPatients, Days = 7_305, Start = new DateOnly(2006, 1, 1) }.Validate();
    }

    [Fact]
    public void Generate_IntoFolderWithFiles_Throws()
    {
        Assert.Throws<IOException>(() => ArchiveGenerator.Generate(new GeneratorOptions(), _archive.Root));
    }

    [Theory]
    [InlineData(0, 30)]
    [InlineData(300, 0)]
    [InlineData(300, GeneratorOptions.MaxDays + 1)]
    public void Generate_OptionsOutOfRange_Throws(int patients, int days)
    {
        var target = Path.Combine(Path.GetTempPath(), $"lcnec-generate-{Guid.NewGuid():N}");

        Assert.Throws<ArgumentOutOfRangeException>(() => ArchiveGenerator.Generate(new GeneratorOptions { Patients = patients, Days = days }, target));
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public void TruthFile_AsWritten_UsesCamelCaseAndOmitsWhatDoesNotApply()
    {
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(_archive.FullPath(TruthFile.FileName)));
        var root = json.RootElement;

        Assert.Equal(["seed", "start", "days", "patients", "rejectedRows", "cases", "responses"], root.EnumerateObject().Select(p => p.Name));
        var acknowledged = root.GetProperty("responses").EnumerateArray().First(r => r.GetProperty("kind").GetString() == "acknowledged");
        Assert.Equal(["responseId", "mrn", "alertId", "ruleId", "subject", "respondedOn", "kind", "effect"], acknowledged.EnumerateObject().Select(p => p.Name));
        Assert.Equal(TruthResponse.SlowsReminders, acknowledged.GetProperty("effect").GetString());
        Assert.Equal("2026-10-01", root.GetProperty("start").GetString());
        var cases = root.GetProperty("cases").EnumerateArray().ToList();
        Assert.Contains(cases, c => c.GetProperty("lcnec").GetString() == "other_site" && !c.TryGetProperty("advanced", out _));
        var info = cases.SelectMany(c => c.GetProperty("alerts").EnumerateArray()).First(a => a.GetProperty("ruleId").GetString() == "ALK_FUSION_ACTIONABLE");
        Assert.Equal(["ruleId", "subject", "severity", "openFrom"], info.EnumerateObject().Select(p => p.Name));
    }

    private static Dictionary<string, string> Hashes(GeneratedArchive archive) =>
        archive.Files().ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(archive.FullPath(f)))));

    internal static List<RawFileRead> RawFiles(GeneratedArchive archive) =>
        [.. archive.Files().Where(f => f.Contains("/ngs/", StringComparison.Ordinal))
            .Select(f => RawFileRead.Read(
                f,
                DateOnly.ParseExact(f[..10], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                File.ReadAllLines(archive.FullPath(f))))];
}
