namespace LcnecBatch.Core.Synthetic;

internal enum MarkerPanel { None, Neuroendocrine, NeuroendocrineNegative, Carcinoid, SmallCell, Adenocarcinoma, Cervix }

/// <summary>
/// A report that mentions LCNEC without affirming pulmonary LCNEC, or names a look-alike entity. Its LCNEC mentions
/// are the planned ones: <see cref="Lines"/> (final diagnosis), <see cref="Comment"/>, <see cref="History"/> (added to
/// the clinical history), <see cref="FamilyHistory"/> and, in a consultation, <see cref="Outside"/>. "{0}" in a line is
/// replaced by a size in cm.
/// </summary>
internal sealed record LcnecMention(
    string Name, LcnecLabel Label, SiteChoice[] Sites, string[] Lines, string? Comment, string? Morphology, string Sex, int Age, string Smoking,
    MarkerPanel Panel, Histology Histology, string? AlkIhcClone = null, string AlkIhcResult = "negative")
{
    public string? History { get; init; }

    public string? FamilyHistory { get; init; }

    public ReportForm Form { get; init; } = ReportForm.Surgical;

    public string? Outside { get; init; }

    public string? Verdict { get; init; }
}

/// <summary>Patients whose reports must not count as pulmonary LCNEC; none of them may ever get an alert.</summary>
internal static class LcnecMentions
{
    public static readonly IReadOnlyList<LcnecMention> Table =
    [
        new("lookalike-atypical-carcinoid-alk-ihc-positive", LcnecLabel.Lookalike, ReportWording.LungResections,
            ["Atypical carcinoid tumor, {0} cm, with 3 mitoses per 2 mm2 and punctate necrosis."],
            null, "8249/3", "F", 52, "never", MarkerPanel.Carcinoid, Histology.AtypicalCarcinoid, AlkIhcClone: "5A4", AlkIhcResult: "positive"),
        new("uncertain-suspicious-for", LcnecLabel.Uncertain, ReportWording.LymphNodes,
            ["Suspicious for large cell neuroendocrine carcinoma; see comment."],
            "Scant cellularity limits classification; a core biopsy is recommended.", null, "M", 68, "current", MarkerPanel.Neuroendocrine, Histology.NonSmallCell),
        new("negated-small-cell-features", LcnecLabel.Negated, ReportWording.LungBiopsies,
            ["Negative for large cell neuroendocrine carcinoma; features of small cell carcinoma."],
            null, "8041/3", "M", 71, "current", MarkerPanel.SmallCell, Histology.SmallCell),
        new("other-site-cervix", LcnecLabel.OtherSite, [ReportWording.Cervix],
            ["Large cell neuroendocrine carcinoma of the uterine cervix."],
            "p16 shows block-type staining; the tumor is HPV-associated.", "8013/3", "F", 44, "never", MarkerPanel.Cervix, Histology.Lcnec),
        new("lookalike-lcnem", LcnecLabel.Lookalike, ReportWording.LungResections,
            ["Large cell carcinoma with neuroendocrine morphology (LCNEM); neuroendocrine markers negative."],
            null, "8012/3", "M", 66, "former", MarkerPanel.NeuroendocrineNegative, Histology.Lcnem, AlkIhcClone: "D5F3"),
        new("uncertain-cannot-be-excluded", LcnecLabel.Uncertain, ReportWording.LungBiopsies,
            ["Poorly differentiated non-small cell carcinoma.", "Large cell neuroendocrine carcinoma cannot be excluded; additional tissue is recommended."],
            null, "8046/3", "M", 74, "former", MarkerPanel.None, Histology.NonSmallCell),
        new("negated-no-evidence", LcnecLabel.Negated, ReportWording.LungResections,
            ["Typical carcinoid tumor, {0} cm.", "No evidence of LCNEC."],
            null, "8240/3", "F", 59, "never", MarkerPanel.Carcinoid, Histology.Carcinoid),
        new("other-site-colon", LcnecLabel.OtherSite, [ReportWording.Liver],
            ["Metastatic large cell neuroendocrine carcinoma of colonic primary."],
            "The morphology matches the patient's sigmoid colon resection.", "8013/3", "M", 67, "former", MarkerPanel.Neuroendocrine, Histology.Lcnec),
        new("lookalike-small-cell", LcnecLabel.Lookalike, ReportWording.LungBiopsies,
            ["Small cell carcinoma."], null, "8041/3", "M", 63, "current", MarkerPanel.SmallCell, Histology.SmallCell),
        new("uncertain-differential", LcnecLabel.Uncertain, ReportWording.LungBiopsies,
            ["Poorly differentiated carcinoma.", "Differential diagnosis includes LCNEC and basaloid squamous cell carcinoma; further stains are in progress."],
            null, null, "M", 70, "current", MarkerPanel.None, Histology.NonSmallCell),
        new("lookalike-adenocarcinoma-focal-ne", LcnecLabel.Lookalike, ReportWording.LungResections,
            ["Adenocarcinoma with focal neuroendocrine differentiation, solid predominant, {0} cm."],
            "Synaptophysin highlights scattered tumor cells (under 10%); TTF-1 is positive.", "8140/3", "F", 61, "former",
            MarkerPanel.Adenocarcinoma, Histology.Adenocarcinoma, AlkIhcClone: "D5F3"),
        new("lookalike-large-cell-nos", LcnecLabel.Lookalike, ReportWording.LungResections,
            ["Large cell carcinoma, NOS, {0} cm."], null, "8012/3", "M", 72, "current", MarkerPanel.None, Histology.LargeCellNos),
        // A comment weighs the differential and rejects LCNEC; the final diagnosis does not point to it.
        new("negated-comment-not-favoured", LcnecLabel.Negated, ReportWording.LungBiopsies,
            ["Small cell carcinoma."],
            "Large cell neuroendocrine carcinoma is not favoured: the cells have scant cytoplasm, nuclear moulding and inconspicuous nucleoli.",
            "8041/3", "F", 69, "current", MarkerPanel.SmallCell, Histology.SmallCell),
        // The final diagnosis points to a comment that leaves LCNEC open.
        new("uncertain-comment-differential", LcnecLabel.Uncertain, ReportWording.LungBiopsies,
            ["Poorly differentiated non-small cell carcinoma; see comment."],
            "The differential diagnosis includes large cell neuroendocrine carcinoma; the neuroendocrine markers are focal on this small biopsy and classification should await the resection.",
            null, "M", 65, "former", MarkerPanel.None, Histology.NonSmallCell),
        // The requisition asks; the answer is small cell carcinoma, and LCNEC is never diagnosed.
        new("uncertain-history-question", LcnecLabel.Uncertain, ReportWording.LungBiopsies,
            ["Small cell carcinoma."], null, "8041/3", "M", 73, "current", MarkerPanel.SmallCell, Histology.SmallCell)
        {
            History = "Clinical question: r/o LCNEC vs small cell carcinoma.",
        },
        // A second opinion that does not accept the outside LCNEC diagnosis.
        new("negated-consultation-disagrees", LcnecLabel.Negated, ReportWording.LungBiopsies,
            ["Atypical carcinoid tumor."], null, "8249/3", "F", 58, "never", MarkerPanel.Carcinoid, Histology.AtypicalCarcinoid)
        {
            Form = ReportForm.Consultation,
            Outside = "Large cell neuroendocrine carcinoma.",
            Verdict = "We do not agree with the outside diagnosis: the mitotic count is below 10 per 2 mm2 and necrosis is punctate only.",
        },
        // A relative's LCNEC, in the family history section and in the clinical history.
        new("family-history-father", LcnecLabel.Family, ReportWording.LungBiopsies,
            ["Adenocarcinoma, acinar predominant."], null, "8140/3", "M", 62, "former", MarkerPanel.Adenocarcinoma, Histology.Adenocarcinoma)
        {
            FamilyHistory = "Father with large cell neuroendocrine carcinoma of the lung, diagnosed at 64.",
        },
        new("family-history-sister", LcnecLabel.Family, ReportWording.LungBiopsies,
            ["Benign lung parenchyma with organizing pneumonia."], null, null, "F", 55, "never", MarkerPanel.None, Histology.Benign)
        {
            History = "Her sister was treated for LCNEC of the lung.",
        },
        new("other-site-thymus", LcnecLabel.OtherSite, [ReportWording.Thymus],
            ["Large cell neuroendocrine carcinoma of the thymus."], null, "8013/3", "M", 59, "never", MarkerPanel.Neuroendocrine, Histology.Lcnec),
        // In the lung, but the metastasis of a bladder primary.
        new("other-site-bladder-in-lung", LcnecLabel.OtherSite, ReportWording.LungResections,
            ["Metastatic large cell neuroendocrine carcinoma, consistent with spread from the patient's known urinary bladder primary."],
            null, "8013/3", "M", 76, "former", MarkerPanel.Neuroendocrine, Histology.Lcnec),
    ];

    public static SyntheticPatient Add(ArchiveBuilder b, string mrn, LcnecMention m)
    {
        var date = b.Day(b.Next(0, b.Options.Days));
        var batch = b.Arrival(date);
        b.Patient(mrn, LcnecScenarios.Later(b.Options.Start, batch.AddDays(-b.Next(0, 3))), m.Sex, b.BirthDate(m.Age, date), m.Smoking,
            b.PackYears(m.Smoking, m.Age), m.Label == LcnecLabel.OtherSite ? "oncology-general" : b.Pick(["thoracic-onc-tj", "thoracic-onc-north"]));
        var site = b.Pick(m.Sites);
        int? size = m.Sites == ReportWording.LungResections ? b.Next(12, 45) : null;
        var lines = m.Lines.Select(l => ReportWording.WithSize(l, size)).ToArray();
        var form = m.Form != ReportForm.Surgical ? m.Form : site.Procedure.Contains("FNA", StringComparison.Ordinal) ? ReportForm.Cytology : ReportForm.Surgical;
        var plan = new ReportPlan(form, [(site, lines)])
        {
            History = SectionWording.History(b, m.Age, m.Sex, m.Smoking, site, m.History, size),
            FamilyHistory = m.FamilyHistory,
            Gross = SectionWording.Gross(b, site, size),
            Microscopic = SectionWording.Microscopic(b, m.Histology, m.Histology == Histology.Benign ? lines[0] : null),
            // A stain paragraph that names LCNEC would be a second mention: the histologies here never do.
            Ihc = m.Label == LcnecLabel.OtherSite && m.Histology == Histology.Lcnec
                ? "Synaptophysin, chromogranin A and INSM1 are positive in the tumor cells."
                : SectionWording.Stains(b, m.Histology),
            Comment = m.Comment,
            Outside = m.Outside,
            Verdict = m.Verdict,
        };
        var specimen = b.NewSpecimen('S', date);
        var stage = m.Label == LcnecLabel.OtherSite || b.Chance(0.4) ? null : ReportWording.Stage(b, b.Chance(0.5));
        var topography = m.Label == LcnecLabel.OtherSite ? site.Topography : b.Chance(0.2) ? null : site.Topography ?? "C34.9";
        b.Archive.Reports.Add(new ReportRow(
            specimen, mrn, date, batch, LcnecScenarios.SiteColumn(b, site), site.Procedure, WholeReport.Render(b, plan),
            m.Morphology, topography, stage, false, null, AffirmsLcnec: false, ReportWording.IsAdvancedStage(stage)));
        Markers(b, specimen, mrn, date, batch, m.Panel);
        if (m.AlkIhcClone is { } clone)
        {
            b.Ihc(specimen, mrn, date, batch, "ALK", clone, m.AlkIhcResult, comment: LcnecScenarios.AlkComment(clone, m.AlkIhcResult));
        }
        return new SyntheticPatient(mrn, m.Label, m.Name, IsScenario: true);
    }

    internal static void Markers(ArchiveBuilder b, Specimen s, string mrn, DateOnly date, DateOnly batch, MarkerPanel panel)
    {
        switch (panel)
        {
            case MarkerPanel.Neuroendocrine:
                b.Ihc(s, mrn, date, batch, "SYN", "MRQ-40", "positive");
                b.Ihc(s, mrn, date, batch, "INSM1", "A-8", "positive");
                b.Ihc(s, mrn, date, batch, "KI67", "MIB-1", "positive", b.Next(50, 90));
                break;
            case MarkerPanel.NeuroendocrineNegative:
                foreach (var (marker, clone) in new[] { ("CD56", "123C3"), ("SYN", "MRQ-40"), ("CHGA", "LK2H10"), ("INSM1", "A-8") })
                {
                    b.Ihc(s, mrn, date, batch, marker, clone, "negative");
                }
                b.Ihc(s, mrn, date, batch, "KI67", "MIB-1", "positive", b.Next(50, 80));
                break;
            case MarkerPanel.Carcinoid:
                b.Ihc(s, mrn, date, batch, "SYN", "MRQ-40", "positive");
                b.Ihc(s, mrn, date, batch, "CHGA", "LK2H10", "positive");
                b.Ihc(s, mrn, date, batch, "KI67", "MIB-1", "positive", b.Next(1, 12));
                break;
            case MarkerPanel.SmallCell:
                b.Ihc(s, mrn, date, batch, "SYN", "MRQ-40", "positive");
                b.Ihc(s, mrn, date, batch, "INSM1", "A-8", "positive");
                b.Ihc(s, mrn, date, batch, "CHGA", "LK2H10", b.Chance(0.7) ? "positive" : "negative");
                b.Ihc(s, mrn, date, batch, "KI67", "MIB-1", "positive", b.Next(80, 100));
                b.Ihc(s, mrn, date, batch, "TTF1", "8G7G3/1", b.Chance(0.85) ? "positive" : "negative");
                break;
            case MarkerPanel.Adenocarcinoma:
                b.Ihc(s, mrn, date, batch, "TTF1", "8G7G3/1", b.Chance(0.9) ? "positive" : "negative");
                b.Ihc(s, mrn, date, batch, "P40", "BC28", "negative");
                break;
            case MarkerPanel.Cervix:
                b.Ihc(s, mrn, date, batch, "SYN", "MRQ-40", "positive");
                b.Ihc(s, mrn, date, batch, "CHGA", "LK2H10", "positive");
                b.Ihc(s, mrn, date, batch, "P16", "E6H4", "positive");
                break;
            default:
                break;
        }
    }
}
