namespace LcnecBatch.Core.Synthetic;

/// <summary>Where a specimen came from: the <c>specimen_site</c> and <c>procedure</c> columns and the part header.</summary>
internal sealed record SiteChoice(string Site, string Procedure, string? Topography);

/// <summary>How an affirming report names LCNEC.</summary>
internal enum LcnecWording { Plain, ConsistentWith, LargeCellType, Abbreviation, Combined, Metastatic, DiagnosticOf, History }

/// <summary>
/// The text pools. Sentences that affirm LCNEC carry no negation, hedge or history word unless that is
/// their label; reports labelled negated, uncertain, other-site or look-alike mention LCNEC at most once,
/// in the labelled sentence.
/// </summary>
internal static class ReportWording
{
    public static readonly SiteChoice[] LungBiopsies =
    [
        new("Lung, right upper lobe", "CT-guided core biopsy", "C34.1"),
        new("Lung, left upper lobe", "CT-guided core biopsy", "C34.1"),
        new("Lung, right middle lobe", "Transbronchial biopsy", "C34.2"),
        new("Lung, right lower lobe", "CT-guided core biopsy", "C34.3"),
        new("Lung, left lower lobe", "Navigational bronchoscopy, transbronchial biopsy", "C34.3"),
        new("Bronchus, left main", "Endobronchial biopsy", "C34.0"),
        new("Lung, left hilum", "CT-guided core biopsy", "C34.9"),
    ];

    public static readonly SiteChoice[] LungResections =
    [
        new("Lung, right upper lobe", "Lobectomy", "C34.1"),
        new("Lung, left upper lobe", "Wedge resection", "C34.1"),
        new("Lung, right middle lobe", "Segmentectomy", "C34.2"),
        new("Lung, left lower lobe", "Lobectomy", "C34.3"),
        new("Lung, right lower lobe", "Wedge resection", "C34.3"),
    ];

    public static readonly SiteChoice[] LymphNodes =
    [
        new("Lymph node, station 7", "EBUS-FNA", null),
        new("Lymph node, station 4R", "EBUS-FNA", null),
        new("Lymph node, station 11L", "EBUS-FNA", null),
        new("Lymph node, right supraclavicular", "Excisional biopsy", null),
    ];

    /// <summary>Nodes sampled at resection, reported as further parts of the resection.</summary>
    public static readonly SiteChoice[] NodeDissections =
    [
        new("Lymph node, station 7", "Excision", null),
        new("Lymph node, station 10R", "Excision", null),
        new("Lymph node, station 11L", "Excision", null),
    ];

    public static readonly SiteChoice PleuralFluid = new("Pleural fluid, right", "Thoracentesis, cell block", null);
    public static readonly SiteChoice Brain = new("Brain, left cerebellum", "Resection", null);
    public static readonly SiteChoice Cervix = new("Cervix, 6 o'clock", "Punch biopsy", "C53.9");
    public static readonly SiteChoice Liver = new("Liver, segment 7", "Core biopsy", "C18.9");
    public static readonly SiteChoice Thymus = new("Anterior mediastinum, mass", "CT-guided core biopsy", "C37.9");

    /// <summary>Where a pulmonary LCNEC is sampled as a metastasis; topography is the lung primary's, as registries code it.</summary>
    public static readonly SiteChoice LiverMetastasis = new("Liver, segment 6", "Ultrasound-guided core biopsy", "C34.9");
    public static readonly SiteChoice AdrenalMetastasis = new("Adrenal gland, left", "CT-guided core biopsy", "C34.9");
    public static readonly SiteChoice BoneMetastasis = new("Bone, right iliac crest", "CT-guided core biopsy", "C34.9");

    /// <summary>Stage as written in the column, with whether it is stage III/IV under the 8th-edition table.</summary>
    public static readonly (string Text, bool Advanced)[] Stages =
    [
        ("IVB", true), ("IVA", true), ("IV", true), ("stage IIIB", true), ("stage IIIA", true), ("Stage 4", true),
        ("Stage 3", true), ("cT3N2M1c", true), ("cT4N3M1b", true), ("cT2aN2M0", true), ("pT3N2", true), ("cT1cN3M0", true),
        ("IB", false), ("IA2", false), ("stage IB", false), ("stage IIA", false), ("Stage 1", false), ("pT2aN0", false),
        ("pT1bN0M0", false), ("pT1cN0", false), ("pT2bN0M0", false), ("pT1aN1", false),
    ];

    public static bool IsAdvancedStage(string? stage) =>
        stage is not null && Stages.First(s => s.Text == stage).Advanced;

    public static string Stage(ArchiveBuilder b, bool advanced) => b.Pick(Stages.Where(s => s.Advanced == advanced).Select(s => s.Text).ToList());

    internal static string Lower(string procedure) =>
        procedure.StartsWith("CT", StringComparison.Ordinal) || procedure.StartsWith("EBUS", StringComparison.Ordinal)
            ? procedure
            : char.ToLowerInvariant(procedure[0]) + procedure[1..];

    /// <summary>The affirming lines; a size is given for resections only.</summary>
    public static string[] Lcnec(LcnecWording wording, int? sizeMm) => wording switch
    {
        LcnecWording.Plain => [WithSize("Large cell neuroendocrine carcinoma, {0} cm.", sizeMm)],
        LcnecWording.ConsistentWith => ["High-grade carcinoma, consistent with large-cell neuroendocrine carcinoma."],
        LcnecWording.LargeCellType => ["High-grade neuroendocrine carcinoma, large cell type."],
        LcnecWording.Abbreviation => ["LCNEC, with extensive necrosis and a high mitotic rate."],
        LcnecWording.Combined => ["Combined large cell neuroendocrine carcinoma and adenocarcinoma (adenocarcinoma component about 20%)."],
        LcnecWording.Metastatic => ["Metastatic large cell neuroendocrine carcinoma, consistent with a lung primary."],
        LcnecWording.DiagnosticOf => ["High-grade carcinoma with organoid nesting, palisading and extensive necrosis; the morphology and immunoprofile are diagnostic of LCNEC."],
        LcnecWording.History => ["Metastatic carcinoma.", "History of large cell neuroendocrine carcinoma of the lung."],
        _ => throw new ArgumentOutOfRangeException(nameof(wording)),
    };

    public static string LcnecComment(int ki67) =>
        $"The tumor cells are positive for synaptophysin, chromogranin A, CD56 and INSM1; Ki-67 labels about {ki67}% of tumor cells.";

    public static string Cm(int mm) => $"{mm / 10}.{mm % 10}";

    /// <summary>Fills "{0}" with a size in cm, or drops the ", {0} cm" clause when the specimen cannot be measured.</summary>
    public static string WithSize(string line, int? sizeMm) =>
        sizeMm is { } mm ? line.Replace("{0}", Cm(mm), StringComparison.Ordinal) : line.Replace(", {0} cm", "", StringComparison.Ordinal);

    public static readonly string[] NodeNegative = ["Negative for malignancy.", "Negative for malignancy (0/3).", "Benign lymphoid tissue; negative for malignancy."];

    public static readonly string[] Adenocarcinoma =
    [
        "Adenocarcinoma, acinar predominant.",
        "Invasive adenocarcinoma, lepidic predominant, {0} cm.",
        "Non-small cell carcinoma, favor adenocarcinoma.",
        "Adenocarcinoma, solid predominant, with mucin production.",
        "Invasive mucinous adenocarcinoma, {0} cm.",
    ];

    public static readonly string[] Squamous =
    [
        "Squamous cell carcinoma, keratinizing, moderately differentiated.",
        "Squamous cell carcinoma, non-keratinizing.",
        "Invasive squamous cell carcinoma, poorly differentiated, {0} cm.",
    ];

    public static readonly string[] SmallCell = ["Small cell carcinoma.", "Small cell carcinoma with extensive crush artifact.", "Small cell lung carcinoma."];

    public static readonly string[] Benign =
    [
        "Benign lung parenchyma with organizing pneumonia.",
        "Non-necrotizing granulomatous inflammation; stains for acid-fast bacilli and fungi are negative.",
        "Pulmonary hamartoma.",
        "Reactive bronchial mucosa; negative for malignancy.",
        "Anthracotic lung parenchyma with mild interstitial fibrosis.",
    ];

    /// <summary>Metastatic deposit of a non-LCNEC primary in a lymph node part.</summary>
    public static string NodeMetastasis(string entity) => $"Metastatic {entity}.";
}
