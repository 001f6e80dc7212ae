namespace LcnecBatch.Core.Synthetic;

internal enum SpecimenKind { LungBiopsy, LungResection, LymphNode, Brain, Liver, Adrenal, Bone, PleuralFluid }

/// <summary>A later version of the diagnostic report (pathology_reports.csv <c>report_status</c>, <c>addendum</c>).</summary>
internal enum LaterVersion
{
    None,

    /// <summary>A corrected report that fixes a detail of the clinical history: the LCNEC stands.</summary>
    CorrectsDetail,

    /// <summary>An amended report that reclassifies the tumour as small cell carcinoma: the LCNEC and its alerts go.</summary>
    Withdraws,

    /// <summary>The first report defers to stains; an addendum with them makes the diagnosis, and dates it.</summary>
    EstablishedByAddendum,
}

/// <summary>An ALK IHC on the diagnostic block, <paramref name="AfterDiagnosis"/> days after sign-out.</summary>
internal sealed record AlkIhcPlan(int AfterDiagnosis, string Antibody, string Result, int Delay = 0);

/// <summary>
/// A molecular ALK result on a new molecular accession, or on the diagnostic block (NGS panels also report EGFR and
/// KRAS). The raw file arrives <paramref name="RawDelay"/> nights after the result (default: with the report), and may
/// hold an EML4–ALK breakend pair with FILTER <paramref name="RawFusion"/> and the G1202R mutation.
/// </summary>
internal sealed record AlkMolecularPlan(
    int AfterDiagnosis, string Method, string Result, string? Alteration = null, bool RawFile = false, int Delay = 0,
    string? RawFusion = null, bool RawG1202R = false, int? RawDelay = null, bool OnDiagnosticBlock = false, string RawFormat = "vcf", int RawEml4Exon = 13);

/// <summary>
/// One LCNEC patient's story. Days count from the archive start (negative: from its end); delays are the
/// nights a row arrives after its own date.
/// </summary>
internal sealed record LcnecScenario(
    string Name, LcnecLabel Label, LcnecWording Wording, SpecimenKind Specimen, string Sex, int Age, string Smoking, string? Stage,
    int DiagnosisDay, int DiagnosisDelay = 0, AlkIhcPlan? AlkIhc = null, AlkMolecularPlan? Molecular = null,
    bool LaterHistoryReport = false, string? ReportCareTeam = null, AlkMolecularPlan? Rebiopsy = null,
    ReportForm Form = ReportForm.Surgical, LaterVersion Version = LaterVersion.None, int VersionAfter = 0)
{
    public bool Advanced => ReportWording.IsAdvancedStage(Stage) || Wording is LcnecWording.Metastatic or LcnecWording.History;
}

/// <summary>
/// The LCNEC patients, one scenario each, cycled. With the default 30 days every rule of screening.md fires,
/// resolves, or is kept from firing at least once. The comments give the outcome with the defaults, "day n"
/// being n days after the start; truth.json itself comes from <see cref="TruthEvaluator"/>.
/// </summary>
internal static class LcnecScenarios
{
    private const LcnecLabel Affirmed = LcnecLabel.Affirmed;

    public static readonly IReadOnlyList<LcnecScenario> Table =
    [
        // ALK_TEST_MISSING medium, open from day 17 to the end.
        // A corrected report on day 8 fixes the history's laterality; the LCNEC and its alert stand.
        new("alk-test-missing-open", Affirmed, LcnecWording.Plain, SpecimenKind.LungBiopsy, "M", 71, "current", "IVB", 2,
            Version: LaterVersion.CorrectsDetail, VersionAfter: 6),
        // ALK_TEST_MISSING high (female, never smoker, 57): advanced by "metastatic" alone; care team from the report.
        // Sampled as an adrenal metastasis.
        new("alk-test-missing-open-high-prior", Affirmed, LcnecWording.Metastatic, SpecimenKind.Adrenal, "F", 57, "never", null, 4,
            ReportCareTeam: "thoracic-onc-north"),
        // ALK_TEST_MISSING open from day 15; an amended report on day 19 reclassifies the tumour as small cell
        // carcinoma, withdrawing the LCNEC: the alert resolves on day 19.
        new("amendment-withdraws-lcnec", LcnecLabel.Negated, LcnecWording.Plain, SpecimenKind.LungBiopsy, "M", 70, "current", "IVA", 0,
            Version: LaterVersion.Withdraws, VersionAfter: 19),
        // The report of day 3 defers to stains; the addendum of day 7 establishes LCNEC and dates the diagnosis:
        // ALK_TEST_MISSING high from day 22 (not day 18).
        new("addendum-establishes-lcnec", Affirmed, LcnecWording.Plain, SpecimenKind.LungBiopsy, "F", 66, "former", "IVB", 3,
            Version: LaterVersion.EstablishedByAddendum, VersionAfter: 4),
        // ALK_TEST_MISSING open from day 16, resolved on day 21 by an IHC dated day 20 that arrives a night late.
        new("alk-test-missing-resolved", Affirmed, LcnecWording.ConsistentWith, SpecimenKind.LungBiopsy, "M", 66, "former", "cT3N2M1c", 1,
            AlkIhc: new(19, "D5F3", "negative", Delay: 1)),
        // ALK IHC on day 10 after diagnosis: never fires. A later cytology mentions the history.
        new("alk-tested-day-10", Affirmed, LcnecWording.LargeCellType, SpecimenKind.LungBiopsy, "M", 74, "current", "stage IIIB", 3,
            AlkIhc: new(10, "D5F3", "negative"), LaterHistoryReport: true),
        // Stage IB: not advanced, never fires although never tested.
        new("not-advanced-untested", Affirmed, LcnecWording.Plain, SpecimenKind.LungResection, "M", 69, "former", "IB", 2),
        // Diagnosed six days before the end: the 14-day window has not run out.
        new("diagnosis-near-end", Affirmed, LcnecWording.Abbreviation, SpecimenKind.LungBiopsy, "M", 63, "current", "IVA", -6),
        // ALK_IHC_UNCONFIRMED open from day 20 (5A4 positive on day 5), early stage.
        new("ihc-unconfirmed-open", Affirmed, LcnecWording.DiagnosticOf, SpecimenKind.LungResection, "M", 61, "former", "pT1bN0M0", 3,
            AlkIhc: new(2, "5A4", "positive")),
        // ALK_IHC_UNCONFIRMED open from day 18, resolved day 21 by NGS EML4-ALK E6:A20 (its STAR-Fusion table delivered
        // with it); ALK_FUSION_ACTIONABLE from day 21.
        new("ihc-unconfirmed-resolved-by-ngs", Affirmed, LcnecWording.Plain, SpecimenKind.LungBiopsy, "F", 53, "never", "IVB", 1,
            AlkIhc: new(2, "D5F3", "positive"),
            Molecular: new(20, "NGS", "detected", "EML4-ALK fusion (E6:A20)", RawFile: true, RawFusion: "PASS", RawFormat: "star-fusion", RawEml4Exon: 6)),
        // Equivocal IHC confirmed negative by FISH inside the window: ALK_IHC_DISCORDANT only, from day 16.
        new("ihc-equivocal-fish-negative-in-window", Affirmed, LcnecWording.ConsistentWith, SpecimenKind.LymphNode, "M", 56, "former", "stage IIIA", 5,
            AlkIhc: new(1, "ALK1", "equivocal"), Molecular: new(9, "FISH", "not_detected", Delay: 2)),
        // ALK_MOLECULAR_RECOMMENDED medium from day 20: IHC negative, female never smoker.
        new("molecular-recommended-open", Affirmed, LcnecWording.Abbreviation, SpecimenKind.LungBiopsy, "F", 48, "never", "cT4N3M1b", 2,
            AlkIhc: new(3, "D5F3", "negative")),
        // The same history in an old male current smoker: nothing fires.
        new("molecular-recommended-not-high-prior", Affirmed, LcnecWording.Metastatic, SpecimenKind.PleuralFluid, "M", 78, "current", "cT4N3M1b", 2,
            AlkIhc: new(3, "D5F3", "negative")),
        // A failed NGS panel does not count: ALK_MOLECULAR_RECOMMENDED from day 18 (female, 67).
        new("molecular-recommended-failed-ngs", Affirmed, LcnecWording.Plain, SpecimenKind.LungBiopsy, "F", 67, "former", "Stage 4", 1,
            AlkIhc: new(2, "5A4", "negative"), Molecular: new(10, "NGS", "failed")),
        // IHC positive confirmed by FISH, two nights late, inside the window: ALK_FUSION_ACTIONABLE from day 11.
        new("fusion-confirmed-by-fish", Affirmed, LcnecWording.Combined, SpecimenKind.LungBiopsy, "F", 45, "never", "IVB", 2,
            AlkIhc: new(2, "D5F3", "positive"), Molecular: new(7, "FISH", "detected", "ALK rearrangement", Delay: 2)),
        // 5A4 positive, NGS not detected: ALK_IHC_DISCORDANT (likely IHC false positive) from day 11.
        new("discordant-ihc-false-positive", Affirmed, LcnecWording.DiagnosticOf, SpecimenKind.LungBiopsy, "M", 70, "current", "stage IIIB", 3,
            AlkIhc: new(1, "5A4", "positive"), Molecular: new(8, "NGS", "not_detected", RawFile: true)),
        // D5F3 negative, RT-PCR EML4-ALK E13:A20: ALK_IHC_DISCORDANT and ALK_FUSION_ACTIONABLE from day 10.
        new("discordant-ihc-false-negative", Affirmed, LcnecWording.Metastatic, SpecimenKind.Liver, "F", 51, "never", "IVA", 1,
            AlkIhc: new(1, "D5F3", "negative"), Molecular: new(9, "RT-PCR", "detected", "EML4-ALK fusion (E13:A20)")),
        // Only a history of LCNEC in the archive (brain metastasis), tested promptly: no alert.
        new("historical-tested", LcnecLabel.Historical, LcnecWording.History, SpecimenKind.Brain, "M", 73, "former", "IVB", 6,
            AlkIhc: new(4, "D5F3", "negative")),
        // Typical patients, tested in time.
        // A consultation that agrees with the outside LCNEC diagnosis.
        new("typical-tested", Affirmed, LcnecWording.Metastatic, SpecimenKind.LymphNode, "M", 68, "current", "IVB", 7,
            AlkIhc: new(3, "D5F3", "negative"), Form: ReportForm.Consultation),
        new("typical-tested-late-rows", Affirmed, LcnecWording.ConsistentWith, SpecimenKind.LungBiopsy, "M", 75, "former", "stage IIIB", 10,
            DiagnosisDelay: 2, AlkIhc: new(5, "5A4", "negative", Delay: 3)),
        // NGS signed out "not detected", but the raw VCF holds a passing EML4-ALK breakend pair: ALK_FUSION_UNREPORTED
        // high from day 15 (file on day 7, 7-day grace) to the end.
        new("fusion-unreported-open", Affirmed, LcnecWording.Plain, SpecimenKind.LungBiopsy, "F", 58, "never", "IVA", 2,
            Molecular: new(5, "NGS", "not_detected", RawFile: true, RawFusion: "PASS")),
        // RNA NGS run on the diagnostic block: the raw Arriba table (day 5) is tied to the patient by the report's accession, the
        // signed-out report comes 12 nights later. ALK_FUSION_UNREPORTED from day 13, resolved day 17, when
        // ALK_FUSION_ACTIONABLE opens with the raw call's breakpoints.
        new("fusion-unreported-resolved", Affirmed, LcnecWording.ConsistentWith, SpecimenKind.LungBiopsy, "M", 64, "former", "IVB", 3,
            Molecular: new(2, "NGS", "detected", "EML4-ALK fusion (E13:A20)", RawFile: true, Delay: 12, RawFusion: "PASS", RawDelay: 0, OnDiagnosticBlock: true, RawFormat: "arriba")),
        // The raw breakend pair failed the caller's filter: nothing fires.
        new("raw-fusion-filtered", Affirmed, LcnecWording.DiagnosticOf, SpecimenKind.LymphNode, "M", 72, "current", "stage IIIB", 4,
            Molecular: new(6, "NGS", "not_detected", RawFile: true, RawFusion: "MinSomaticScore")),
        // EML4-ALK by NGS on day 4 (ALK_FUSION_ACTIONABLE), G1202R on a re-biopsy signed out on day 19 with its raw
        // VCF: ALK_RESISTANCE_MUTATION high from day 19 (a timeline compressed into the archive's 30 days).
        new("resistance-on-rebiopsy", Affirmed, LcnecWording.Metastatic, SpecimenKind.Bone, "F", 47, "never", "IVB", 1,
            Molecular: new(3, "NGS", "detected", "EML4-ALK fusion (E13:A20)", RawFile: true, RawFusion: "PASS"),
            Rebiopsy: new(18, "NGS", "detected", ResistanceAlteration, RawFile: true, RawG1202R: true)),
        // A signed-out ALK point mutation and no fusion anywhere: not actionable, not a resistance finding, and not an
        // ALK fusion test, so ALK_TEST_MISSING stays open (medium, from day 17).
        new("mutation-only-no-fusion", Affirmed, LcnecWording.Plain, SpecimenKind.LungBiopsy, "M", 69, "current", "IVA", 2,
            Molecular: new(6, "NGS", "detected", MutationOnlyAlteration)),
        // D5F3 positive, then NGS reports only ALK amplification: not a fusion, so not actionable and no confirmation:
        // ALK_IHC_UNCONFIRMED high from day 18 to the end.
        new("amplification-not-a-fusion", Affirmed, LcnecWording.ConsistentWith, SpecimenKind.LungBiopsy, "M", 66, "former", "IVB", 1,
            AlkIhc: new(2, "D5F3", "positive"), Molecular: new(8, "NGS", "detected", AmplificationAlteration)),
    ];

    /// <summary>The signed-out alteration of a re-biopsy that found only the resistance mutation.</summary>
    public const string ResistanceAlteration = "ALK G1202R";

    /// <summary>A point mutation signed out with no fusion (issue 15's first example).</summary>
    public const string MutationOnlyAlteration = "ALK G1202R (VAF 12%)";

    /// <summary>A copy-number gain signed out with no fusion.</summary>
    public const string AmplificationAlteration = "ALK amplification (CN=9)";

    /// <summary>The planned detected rows that name no fusion: neither actionable nor an ALK fusion test.</summary>
    public static readonly IReadOnlySet<string> NonFusionAlterations = new HashSet<string>(StringComparer.Ordinal)
    {
        ResistanceAlteration, MutationOnlyAlteration, AmplificationAlteration,
    };

    public static SyntheticPatient Add(ArchiveBuilder b, string mrn, LcnecScenario s)
    {
        var diagnosed = DiagnosisDate(b, s);
        var arrives = b.Clamp(diagnosed.AddDays(s.DiagnosisDelay));
        var careTeam = b.Pick(["thoracic-onc-tj", "thoracic-onc-north"]);
        var demographicsBatch = Later(b.Options.Start, arrives.AddDays(-b.Next(0, 3)));
        b.Patient(mrn, demographicsBatch, s.Sex, b.BirthDate(s.Age, diagnosed), s.Smoking, b.PackYears(s.Smoking, s.Age), careTeam);

        var site = s.Specimen switch
        {
            SpecimenKind.LungBiopsy => b.Pick(ReportWording.LungBiopsies),
            SpecimenKind.LungResection => b.Pick(ReportWording.LungResections),
            SpecimenKind.LymphNode => b.Pick(ReportWording.LymphNodes),
            SpecimenKind.Liver => ReportWording.LiverMetastasis,
            SpecimenKind.Adrenal => ReportWording.AdrenalMetastasis,
            SpecimenKind.Bone => ReportWording.BoneMetastasis,
            SpecimenKind.PleuralFluid => ReportWording.PleuralFluid,
            _ => ReportWording.Brain,
        };
        var ki67 = b.Next(60, 96);
        var resection = s.Specimen == SpecimenKind.LungResection;
        int? size = resection ? b.Next(18, 61) : null;
        var form = s.Form != ReportForm.Surgical ? s.Form : IsCytology(site) ? ReportForm.Cytology : ReportForm.Surgical;
        var lines = ReportWording.Lcnec(s.Wording, size);
        if (form == ReportForm.Cytology && s.Wording != LcnecWording.History)
        {
            lines = ["Positive for malignant cells.", .. lines];
        }
        var deferred = s.Version == LaterVersion.EstablishedByAddendum;
        var parts = new List<(SiteChoice, string[])>
        {
            (site, deferred ? ["Poorly differentiated carcinoma with neuroendocrine features; classification pending immunohistochemistry (see addendum)."] : lines),
        };
        if (resection || (s.Specimen == SpecimenKind.LungBiopsy && b.Chance(0.4)))
        {
            parts.Add((b.Pick(resection ? ReportWording.NodeDissections : ReportWording.LymphNodes), [b.Pick(ReportWording.NodeNegative)]));
        }
        var history = s.Wording == LcnecWording.History;
        var plan = new ReportPlan(form, parts)
        {
            History = SectionWording.History(b, s.Age, s.Sex, s.Smoking, site, history ? "Prior lung cancer treated with chemoradiation." : null, size),
            Gross = SectionWording.Gross(b, site, size),
            Frozen = resection && b.Chance(0.5) ? SectionWording.Frozen(b, site, Histology.Lcnec) : null,
            Microscopic = SectionWording.Microscopic(b, Histology.Lcnec),
            Ihc = deferred ? null : history ? "Synaptophysin and INSM1 are positive; the morphology matches the patient's prior lung tumor." : SectionWording.Stains(b, Histology.Lcnec, ki67),
            Comment = deferred || history || !b.Chance(0.6) ? null : b.Pick(SectionWording.LcnecComments),
            Synoptic = resection ? SectionWording.Synoptic(b, site, b.Pick(HistologicTypes(s.Wording)), size, s.Stage) : null,
            Outside = form == ReportForm.Consultation ? $"Large cell neuroendocrine carcinoma ({ReportWording.Lower(site.Procedure)}, outside laboratory)." : null,
            Verdict = form == ReportForm.Consultation ? b.Pick(["We agree with the outside diagnosis.", "We concur with the outside diagnosis; the stains performed there were reviewed."]) : null,
        };
        var text = WholeReport.Render(b, plan);
        var specimen = b.NewSpecimen('S', diagnosed);
        var topography = b.Chance(0.2) ? null : site.Topography ?? "C34.9";
        var morphology = history || deferred || b.Chance(0.1) ? null : "8013/3";
        var report = new ReportRow(
            specimen, mrn, diagnosed, arrives, SiteColumn(b, site), site.Procedure, text, morphology, topography, s.Stage, false, s.ReportCareTeam,
            AffirmsLcnec: !deferred, s.Advanced)
        { Status = b.Chance(0.3) ? "final" : null };
        b.Archive.Reports.Add(report);

        var panelOn = deferred ? b.Clamp(diagnosed.AddDays(s.VersionAfter)) : diagnosed;
        NeuroendocrinePanel(b, specimen, mrn, panelOn, deferred ? panelOn : arrives, ki67);
        AddVersion(b, s, report, plan, ki67);
        if (s.AlkIhc is { } ihc)
        {
            var date = b.Clamp(diagnosed.AddDays(ihc.AfterDiagnosis));
            b.Ihc(specimen, mrn, date, b.Clamp(date.AddDays(ihc.Delay)), "ALK", ihc.Antibody, ihc.Result, comment: AlkComment(ihc.Antibody, ihc.Result));
        }
        if (s.Molecular is { } molecular)
        {
            AddMolecular(b, mrn, diagnosed, molecular, specimen);
        }
        if (s.Rebiopsy is { } rebiopsy)
        {
            AddMolecular(b, mrn, diagnosed, rebiopsy, specimen);
        }
        if (s.LaterHistoryReport)
        {
            var date = b.Clamp(diagnosed.AddDays(12));
            var cytology = b.NewSpecimen('S', date);
            var fluid = ReportWording.PleuralFluid;
            var later = new ReportPlan(ReportForm.Cytology, [(fluid, ["Positive for malignant cells.", "History of large cell neuroendocrine carcinoma of the lung."])])
            {
                History = SectionWording.History(b, s.Age, s.Sex, s.Smoking, fluid),
                Gross = SectionWording.Gross(b, fluid, null),
                Microscopic = "Clusters and single large malignant cells with nuclear moulding and necrotic debris in a background of reactive mesothelial cells.",
            };
            b.Archive.Reports.Add(new ReportRow(
                cytology, mrn, date, date, fluid.Site, fluid.Procedure, WholeReport.Render(b, later),
                null, null, null, false, null, AffirmsLcnec: true, Advanced: false));
        }
        return new SyntheticPatient(mrn, s.Label, s.Name, IsScenario: true);
    }

    /// <summary>The planned sign-out date of the diagnostic report (a negative day counts from the end).</summary>
    public static DateOnly DiagnosisDate(ArchiveBuilder b, LcnecScenario s) =>
        s.DiagnosisDay >= 0 ? b.Day(s.DiagnosisDay) : b.Day(b.Options.Days + s.DiagnosisDay);

    private static bool IsCytology(SiteChoice site) =>
        site.Procedure.Contains("FNA", StringComparison.Ordinal) || site.Procedure.StartsWith("Thoracentesis", StringComparison.Ordinal);

    private static string[] HistologicTypes(LcnecWording wording) => wording == LcnecWording.Combined
        ? ["Combined large cell neuroendocrine carcinoma (with adenocarcinoma component)"]
        : ["Large cell neuroendocrine carcinoma", "Large cell neuroendocrine carcinoma (LCNEC)", "Neuroendocrine carcinoma, large cell type"];

    /// <summary>The later version of the diagnostic report a scenario plans (report_status and addendum columns).</summary>
    private static void AddVersion(ArchiveBuilder b, LcnecScenario s, ReportRow original, ReportPlan plan, int ki67)
    {
        if (s.Version == LaterVersion.None)
        {
            return;
        }
        var on = b.Clamp(original.Date.AddDays(s.VersionAfter));
        var version = original with { Date = on, Batch = on, CareTeam = null };
        switch (s.Version)
        {
            case LaterVersion.CorrectsDetail:
                var side = original.Site.Contains("right", StringComparison.OrdinalIgnoreCase) ? ("left", "right") : ("right", "left");
                b.Archive.Reports.Add(version with
                {
                    Status = "corrected",
                    Diagnosis = $"CORRECTED REPORT:\nThe clinical history is corrected: the lesion was typed as {side.Item1}-sided in error and is {side.Item2}-sided. " +
                        $"The diagnosis and stage are unchanged.\n\n{original.Diagnosis}",
                });
                break;
            case LaterVersion.Withdraws:
                var amended = plan with
                {
                    Parts = [(plan.Parts[0].Site, ["Small cell carcinoma."]), .. plan.Parts.Skip(1)],
                    Microscopic = SectionWording.Microscopic(b, Histology.SmallCell),
                    Ihc = SectionWording.Stains(b, Histology.SmallCell, ki67),
                    Comment = null,
                    Amendment = "The diagnosis is revised after review of INSM1, Ki-67 and deeper levels at the thoracic consensus conference. " +
                        "The earlier diagnosis of large cell neuroendocrine carcinoma is withdrawn; the tumor is reclassified as small cell carcinoma. This amended report replaces the earlier one.",
                };
                b.Archive.Reports.Add(version with
                {
                    Status = "amended",
                    Diagnosis = WholeReport.Render(b, amended),
                    Morphology = "8041/3",
                    AffirmsLcnec = false,
                });
                break;
            case LaterVersion.EstablishedByAddendum:
                b.Archive.Reports.Add(version with
                {
                    Status = b.Chance(0.5) ? "addendum" : null,
                    Addendum = true,
                    Morphology = "8013/3",
                    AffirmsLcnec = true,
                    Diagnosis = $"{original.Diagnosis}\n\nADDENDUM:\nImmunohistochemistry on block A1: {ReportWording.LcnecComment(ki67)} p40 is negative.\n" +
                        $"Addendum diagnosis: {plan.Parts[0].Site.Site}, {ReportWording.Lower(plan.Parts[0].Site.Procedure)}: large cell neuroendocrine carcinoma.",
                });
                break;
        }
    }

    private static void AddMolecular(ArchiveBuilder b, string mrn, DateOnly diagnosed, AlkMolecularPlan plan, Specimen diagnostic)
    {
        var date = b.Clamp(diagnosed.AddDays(plan.AfterDiagnosis));
        var batch = b.Clamp(date.AddDays(plan.Delay));
        var rawBatch = b.Clamp(date.AddDays(plan.RawDelay ?? plan.Delay));
        var specimen = plan.OnDiagnosticBlock ? diagnostic : b.NewSpecimen('M', date);
        // The row's file column points at the raw VCF only when both arrive in the same batch.
        var namesFile = plan.RawFile && plan.RawFormat == "vcf" && rawBatch == batch;
        b.Molecular(specimen, mrn, date, batch, plan.Method, "ALK", plan.Result, plan.Alteration, namesFile);
        if (plan.Method == "NGS")
        {
            var other = plan.Result == "failed" ? "failed" : "not_detected";
            b.Molecular(specimen, mrn, date, batch, "NGS", "EGFR", other, null, namesFile);
            b.Molecular(specimen, mrn, date, batch, "NGS", "KRAS", other, null, namesFile);
        }
        if (plan.RawFile)
        {
            List<VcfCall> calls = [VcfContent.Call(b, b.Pick(VcfContent.Tp53Hotspots))];
            if (plan.RawG1202R)
            {
                calls.Add(VcfContent.Call(b, VcfContent.AlkG1202R));
            }
            b.Archive.RawFiles.Add(new RawNgsFile(specimen, rawBatch, date, plan.RawFormat == "vcf" ? calls : []) { AlkFusionFilter = plan.RawFusion, Format = plan.RawFormat, Eml4Exon = plan.RawEml4Exon });
        }
    }

    /// <summary>The neuroendocrine markers that make the diagnosis, signed out with the report.</summary>
    internal static void NeuroendocrinePanel(ArchiveBuilder b, Specimen specimen, string mrn, DateOnly date, DateOnly batch, int ki67)
    {
        b.Ihc(specimen, mrn, date, batch, "CD56", "123C3", "positive");
        b.Ihc(specimen, mrn, date, batch, "SYN", "MRQ-40", "positive");
        b.Ihc(specimen, mrn, date, batch, "CHGA", "LK2H10", b.Chance(0.8) ? "positive" : "negative");
        b.Ihc(specimen, mrn, date, batch, "INSM1", "A-8", "positive");
        b.Ihc(specimen, mrn, date, batch, "KI67", "MIB-1", "positive", ki67);
        b.Ihc(specimen, mrn, date, batch, "TTF1", "8G7G3/1", b.Chance(0.6) ? "positive" : "negative");
    }

    internal static string? AlkComment(string clone, string result) => (clone, result) switch
    {
        ("D5F3", _) => "Ventana ALK (D5F3) CDx assay, OptiView amplification",
        ("5A4", "positive") => "Heterogeneous weak to moderate staining in about 30% of tumor cells",
        ("ALK1", "equivocal") => "Focal weak staining, scored \"equivocal\"; molecular confirmation advised",
        _ => null,
    };

    /// <summary>The specimen_site column; now and then with the clinician's label in quotes.</summary>
    internal static string SiteColumn(ArchiveBuilder b, SiteChoice site) =>
        b.Chance(0.1) ? $"{site.Site}, labelled \"{(site.Site.Contains("node", StringComparison.Ordinal) ? "LN" : "nodule")}\"" : site.Site;

    internal static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;
}
