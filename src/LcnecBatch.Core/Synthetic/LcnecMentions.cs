namespace LcnecBatch.Core.Synthetic;

internal enum MarkerPanel { None, Neuroendocrine, NeuroendocrineNegative, Carcinoid, SmallCell, Adenocarcinoma, Cervix }

/// <summary>
/// A report that mentions LCNEC without affirming pulmonary LCNEC, or names a look-alike entity. The only
/// LCNEC mention of the report is the labelled sentence. "{0}" in a line is replaced by a size in cm.
/// </summary>
internal sealed record LcnecMention(
    string Name, LcnecLabel Label, SiteChoice[] Sites, string[] Lines, string? Comment, string? Morphology, string Sex, int Age, string Smoking,
    MarkerPanel Panel, string? AlkIhcClone = null, string AlkIhcResult = "negative");

/// <summary>Patients whose reports must not count as pulmonary LCNEC; none of them may ever get an alert.</summary>
internal static class LcnecMentions
{
    public static readonly IReadOnlyList<LcnecMention> Table =
    [
        new("lookalike-atypical-carcinoid-alk-ihc-positive", LcnecLabel.Lookalike, ReportWording.LungResections,
            ["Atypical carcinoid tumor, {0} cm, with 3 mitoses per 2 mm2 and punctate necrosis."],
            "Synaptophysin and chromogranin A are positive; Ki-67 labels about 8% of tumor cells.", "8249/3", "F", 52, "never",
            MarkerPanel.Carcinoid, AlkIhcClone: "5A4", AlkIhcResult: "positive"),
        new("uncertain-suspicious-for", LcnecLabel.Uncertain, ReportWording.LymphNodes,
            ["Suspicious for large cell neuroendocrine carcinoma; see comment."],
            "Scant cellularity limits classification; a core biopsy is recommended.", null, "M", 68, "current", MarkerPanel.Neuroendocrine),
        new("negated-small-cell-features", LcnecLabel.Negated, ReportWording.LungBiopsies,
            ["Negative for large cell neuroendocrine carcinoma; features of small cell carcinoma."],
            "Tumor cells are positive for synaptophysin and INSM1; Ki-67 labels about 95% of tumor cells.", "8041/3", "M", 71, "current",
            MarkerPanel.SmallCell),
        new("other-site-cervix", LcnecLabel.OtherSite, [ReportWording.Cervix],
            ["Large cell neuroendocrine carcinoma of the uterine cervix."],
            "Synaptophysin and chromogranin A are positive; p16 shows block-type staining.", "8013/3", "F", 44, "never", MarkerPanel.Cervix),
        new("lookalike-lcnem", LcnecLabel.Lookalike, ReportWording.LungResections,
            ["Large cell carcinoma with neuroendocrine morphology (LCNEM); neuroendocrine markers negative."],
            "Synaptophysin, chromogranin A, CD56 and INSM1 are negative in the tumor cells.", "8012/3", "M", 66, "former",
            MarkerPanel.NeuroendocrineNegative, AlkIhcClone: "D5F3"),
        new("uncertain-cannot-be-excluded", LcnecLabel.Uncertain, ReportWording.LungBiopsies,
            ["Poorly differentiated non-small cell carcinoma.", "Large cell neuroendocrine carcinoma cannot be excluded; additional tissue is recommended."],
            null, "8046/3", "M", 74, "former", MarkerPanel.None),
        new("negated-no-evidence", LcnecLabel.Negated, ReportWording.LungResections,
            ["Typical carcinoid tumor, {0} cm.", "No evidence of LCNEC."],
            "Ki-67 labels about 2% of tumor cells.", "8240/3", "F", 59, "never", MarkerPanel.Carcinoid),
        new("other-site-colon", LcnecLabel.OtherSite, [ReportWording.Liver],
            ["Metastatic large cell neuroendocrine carcinoma of colonic primary."],
            "The morphology matches the patient's sigmoid colon resection.", "8013/3", "M", 67, "former", MarkerPanel.Neuroendocrine),
        new("lookalike-small-cell", LcnecLabel.Lookalike, ReportWording.LungBiopsies,
            ["Small cell carcinoma."],
            "Tumor cells are positive for synaptophysin and INSM1; Ki-67 labels about 90% of tumor cells.", "8041/3", "M", 63, "current",
            MarkerPanel.SmallCell),
        new("uncertain-differential", LcnecLabel.Uncertain, ReportWording.LungBiopsies,
            ["Poorly differentiated carcinoma.", "Differential diagnosis includes LCNEC and basaloid squamous cell carcinoma; further stains are in progress."],
            null, null, "M", 70, "current", MarkerPanel.None),
        new("lookalike-adenocarcinoma-focal-ne", LcnecLabel.Lookalike, ReportWording.LungResections,
            ["Adenocarcinoma with focal neuroendocrine differentiation, solid predominant, {0} cm."],
            "Synaptophysin highlights scattered tumor cells (under 10%); TTF-1 is positive.", "8140/3", "F", 61, "former",
            MarkerPanel.Adenocarcinoma, AlkIhcClone: "D5F3"),
        new("lookalike-large-cell-nos", LcnecLabel.Lookalike, ReportWording.LungResections,
            ["Large cell carcinoma, NOS, {0} cm."],
            "TTF-1, p40, synaptophysin and chromogranin A are negative.", "8012/3", "M", 72, "current", MarkerPanel.None),
    ];

    public static SyntheticPatient Add(ArchiveBuilder b, string mrn, LcnecMention m)
    {
        var date = b.Day(b.Next(0, b.Options.Days));
        var batch = b.Arrival(date);
        b.Patient(mrn, LcnecScenarios.Later(b.Options.Start, batch.AddDays(-b.Next(0, 3))), m.Sex, b.BirthDate(m.Age, date), m.Smoking,
            b.PackYears(m.Smoking, m.Age), m.Label == LcnecLabel.OtherSite ? "oncology-general" : b.Pick(["thoracic-onc-tj", "thoracic-onc-north"]));
        var site = b.Pick(m.Sites);
        var size = b.Next(12, 45);
        var lines = m.Lines.Select(l => ReportWording.WithSize(l, m.Sites == ReportWording.LungResections ? size : null)).ToArray();
        var specimen = b.NewSpecimen('S', date);
        var stage = m.Label == LcnecLabel.OtherSite || b.Chance(0.4) ? null : ReportWording.Stage(b, b.Chance(0.5));
        var topography = m.Label == LcnecLabel.OtherSite ? site.Topography : b.Chance(0.2) ? null : site.Topography ?? "C34.9";
        b.Archive.Reports.Add(new ReportRow(
            specimen, mrn, date, batch, LcnecScenarios.SiteColumn(b, site), site.Procedure, ReportWording.Diagnosis([(site, lines)], m.Comment),
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
