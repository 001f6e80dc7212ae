namespace LcnecBatch.Core.Synthetic;

/// <summary>
/// The expected alerts of one patient, from the planned facts (never from the written text), by evaluating
/// the seven rules of screening.md with their default windows as of every batch date: a fact counts from the
/// batch that delivers it. An alert must open once and, if it resolves, stay resolved; anything else is a
/// mistake in the plan and throws.
/// </summary>
internal static class TruthEvaluator
{
    private const int LookbackDays = 90;
    private const int TestingGraceDays = 14;
    private const int ConfirmationGraceDays = 14;
    private const int ReportGraceDays = 7;
    private const int YoungAgeYears = 60;
    private const int DiscordancePairingDays = 14;

    private sealed record Open(string Severity, DateOnly? DueSince);

    private sealed class Track(Open first, DateOnly openFrom)
    {
        public Open First { get; } = first;

        public DateOnly OpenFrom { get; } = openFrom;

        public DateOnly? ResolvedOn { get; set; }
    }

    public static List<TruthAlert> Evaluate(
        GeneratorOptions options, IReadOnlyList<DemographicsRow> demographics, IReadOnlyList<ReportRow> reports, IReadOnlyList<IhcRow> ihc,
        IReadOnlyList<MolecularRow> molecular, IReadOnlyList<RawNgsFile> rawFiles)
    {
        // Only the patient's own raw files can count (each names its own sample): filtering the archive's files once
        // keeps a large archive from scanning all of them on every day of every LCNEC patient.
        var specimens = reports.Select(r => r.Specimen).Concat(molecular.Select(m => m.Specimen)).ToHashSet();
        var ownRaw = rawFiles.Where(f => specimens.Contains(f.Specimen)).ToList();
        var tracks = new Dictionary<(string Rule, string Subject), Track>();
        foreach (var day in ChangeDays(options, demographics, reports, ihc, molecular, ownRaw))
        {
            var open = OpenOn(day, demographics, reports, ihc, molecular, ownRaw);
            foreach (var (key, alert) in open)
            {
                if (!tracks.TryGetValue(key, out var track))
                {
                    tracks[key] = new Track(alert, day);
                }
                else if (track.ResolvedOn is not null || track.First != alert)
                {
                    throw new InvalidOperationException($"planned alert {key.Rule} on {key.Subject} reopens or changes on {day:yyyy-MM-dd}");
                }
            }
            foreach (var (key, track) in tracks)
            {
                if (track.ResolvedOn is null && !open.ContainsKey(key))
                {
                    track.ResolvedOn = day;
                }
            }
        }
        return [.. tracks.Select(t => new TruthAlert(t.Key.Rule, t.Key.Subject, t.Value.First.Severity, t.Value.First.DueSince, t.Value.OpenFrom, t.Value.ResolvedOn))];
    }

    /// <summary>
    /// The batch dates on which <see cref="OpenOn"/> can give another answer than the day before: a row or raw file
    /// arrives, a result date is reached, or a grace period ends. On every other day the open alerts are those of the
    /// day before, which changes no track, so a 20-year archive is evaluated on a few dozen days per patient, not 7,305.
    /// </summary>
    private static SortedSet<DateOnly> ChangeDays(
        GeneratorOptions options, IReadOnlyList<DemographicsRow> demographics, IReadOnlyList<ReportRow> reports, IReadOnlyList<IhcRow> ihc,
        IReadOnlyList<MolecularRow> molecular, IReadOnlyList<RawNgsFile> rawFiles)
    {
        var days = new SortedSet<DateOnly> { options.Start };
        days.UnionWith(demographics.Select(d => d.Batch));
        foreach (var r in reports)
        {
            days.Add(r.Batch);
            days.Add(r.Date.AddDays(TestingGraceDays + 1));
        }
        foreach (var i in ihc)
        {
            days.Add(i.Batch);
            days.Add(i.Date);
            days.Add(i.Date.AddDays(ConfirmationGraceDays + 1));
        }
        foreach (var m in molecular)
        {
            days.Add(m.Batch);
            days.Add(m.Date);
        }
        foreach (var f in rawFiles)
        {
            days.Add(f.Batch);
            days.Add(f.Batch.AddDays(ReportGraceDays + 1));
        }
        return days.GetViewBetween(options.Start, options.End);
    }

    private static Dictionary<(string Rule, string Subject), Open> OpenOn(
        DateOnly day, IReadOnlyList<DemographicsRow> demographics, IReadOnlyList<ReportRow> reports, IReadOnlyList<IhcRow> ihc,
        IReadOnlyList<MolecularRow> molecular, IReadOnlyList<RawNgsFile> rawFiles)
    {
        var open = new Dictionary<(string Rule, string Subject), Open>();
        var knownReports = reports.Where(r => r.Batch <= day).ToList();
        var diagnosis = Diagnosis(knownReports);
        if (diagnosis is null)
        {
            return open;
        }
        var advanced = knownReports.Any(r => r.Advanced);
        var highPrior = HighPrior(demographics.Where(d => d.Batch <= day).ToList(), diagnosis.Date);
        var alkIhc = ihc.Where(i => i.Batch <= day && i.Marker == "ALK").ToList();
        var knownMolecular = molecular.Where(m => m.Batch <= day).ToList();
        // What each planned row says is known from the plan: a detected row names a fusion unless it is one of the
        // planned non-fusion alterations; only rows that report or deny a fusion are ALK tests and confirmations.
        var answers = knownMolecular.Where(m => m.Gene == "ALK"
            && (m.Result == "not_detected" || (m.Result == "detected" && !LcnecScenarios.NonFusionAlterations.Contains(m.Alteration ?? "")))).ToList();
        var accessions = knownReports.Select(r => r.Specimen).Concat(knownMolecular.Select(m => m.Specimen)).ToHashSet();
        // Every synthetic raw file can show a fusion (fusion tables; VCFs declaring SVTYPE) and names its own sample.
        var tests = alkIhc.Where(i => i.Result is "positive" or "equivocal" || (i.Result == "negative" && i.Antibody != "ALK1")).Select(i => i.Date)
            .Concat(answers.Select(m => m.Date))
            .Concat(rawFiles.Where(f => f.Batch <= day && accessions.Contains(f.Specimen)).Select(f => f.Batch));

        var testingDue = diagnosis.Date.AddDays(TestingGraceDays);
        if (advanced && day > testingDue && !tests.Any(t => t >= diagnosis.Date.AddDays(-LookbackDays) && t <= day))
        {
            open[("ALK_TEST_MISSING", diagnosis.Specimen.Accession)] = new(highPrior ? "high" : "medium", testingDue);
        }
        foreach (var row in FirstPerAccession(alkIhc, "positive", "equivocal"))
        {
            var due = row.Date.AddDays(ConfirmationGraceDays);
            if (day > due && !answers.Any(m => m.Date >= row.Date))
            {
                open[("ALK_IHC_UNCONFIRMED", row.Specimen.Accession)] = new("high", due);
            }
        }
        if (advanced && highPrior)
        {
            foreach (var row in FirstPerAccession(alkIhc.Where(i => i.Antibody != "ALK1").ToList(), "negative"))
            {
                var due = row.Date.AddDays(ConfirmationGraceDays);
                if (day > due && !answers.Any(m => m.Date >= row.Date))
                {
                    open[("ALK_MOLECULAR_RECOMMENDED", row.Specimen.Accession)] = new("medium", due);
                }
            }
        }
        var fusionRows = answers.Where(m => m.Result == "detected").ToList();
        foreach (var row in fusionRows)
        {
            open[("ALK_FUSION_ACTIONABLE", row.Specimen.Accession)] = new("info", null);
        }
        var knownRaw = rawFiles.Where(f => f.Batch <= day && accessions.Contains(f.Specimen)).ToList();
        foreach (var file in knownRaw.Where(f => f.PassingAlkFusion))
        {
            var due = file.Batch.AddDays(ReportGraceDays);
            if (day > due && !fusionRows.Any(m => m.Specimen == file.Specimen))
            {
                open[("ALK_FUSION_UNREPORTED", file.Specimen.Accession)] = new("high", due);
            }
        }
        if (fusionRows.Count > 0 || knownRaw.Any(f => f.PassingAlkFusion))
        {
            var mutated = knownMolecular.Where(m => m.Gene == "ALK" && m.Result == "detected"
                    && m.Alteration is LcnecScenarios.ResistanceAlteration or LcnecScenarios.MutationOnlyAlteration).Select(m => m.Specimen)
                .Concat(knownRaw.Where(f => f.HasG1202R).Select(f => f.Specimen));
            foreach (var specimen in mutated)
            {
                open[("ALK_RESISTANCE_MUTATION", specimen.Accession)] = new("high", null);
            }
        }
        // Discordance is per specimen: the IHC's accession, or another resulted within 14 days of it.
        foreach (var row in FirstPerAccession(alkIhc, "positive", "equivocal", "negative"))
        {
            var paired = answers.Where(m => m.Specimen == row.Specimen || Math.Abs(m.Date.DayNumber - row.Date.DayNumber) <= DiscordancePairingDays).ToList();
            var detected = paired.Any(m => m.Result == "detected");
            if (row.Result == "negative" ? detected : !detected && paired.Any(m => m.Result == "not_detected"))
            {
                open[("ALK_IHC_DISCORDANT", row.Specimen.Accession)] = new("info", null);
            }
        }
        return open;
    }

    /// <summary>
    /// The planned version that dates the LCNEC diagnosis: per specimen, its versions in the order they arrived; an
    /// affirming version starts the diagnosis (an addendum that establishes LCNEC dates it), an amended or corrected
    /// version that does not affirm LCNEC withdraws it. The earliest specimen still diagnosing wins.
    /// </summary>
    private static ReportRow? Diagnosis(List<ReportRow> known)
    {
        ReportRow? first = null;
        foreach (var versions in known.Select((r, i) => (r, i)).GroupBy(p => p.r.Specimen))
        {
            ReportRow? since = null;
            foreach (var (version, _) in versions.OrderBy(p => p.r.Batch).ThenBy(p => p.r.Date).ThenBy(p => p.i))
            {
                if (version.AffirmsLcnec)
                {
                    since ??= version;
                }
                else if (version.Supersedes)
                {
                    since = null;
                }
            }
            if (since is not null && (first is null || (since.Date, since.Batch).CompareTo((first.Date, first.Batch)) < 0))
            {
                first = since;
            }
        }
        return first;
    }

    private static IEnumerable<IhcRow> FirstPerAccession(List<IhcRow> rows, params string[] results) =>
        rows.Where(r => results.Contains(r.Result)).GroupBy(r => r.Specimen).Select(g => g.OrderBy(r => r.Date).First());

    /// <summary>Never smoker, female, or under 60 at diagnosis, from demographics merged field by field (latest batch wins).</summary>
    private static bool HighPrior(List<DemographicsRow> rows, DateOnly diagnosed)
    {
        string? sex = null, smoking = null;
        DateOnly? birth = null;
        foreach (var row in rows.OrderBy(r => r.Batch))
        {
            sex = row.Sex ?? sex;
            smoking = row.Smoking ?? smoking;
            birth = row.BirthDate ?? birth;
        }
        var age = birth is { } b ? diagnosed.Year - b.Year - (diagnosed < b.AddYears(diagnosed.Year - b.Year) ? 1 : 0) : (int?)null;
        return smoking == "never" || sex is "F" or "female" || age < YoungAgeYears;
    }
}
