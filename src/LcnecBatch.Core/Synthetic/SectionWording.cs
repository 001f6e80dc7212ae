using System.Globalization;

namespace LcnecBatch.Core.Synthetic;

/// <summary>What a tumour or specimen looks like under the microscope; picks the microscopic and stain paragraphs.</summary>
internal enum Histology { Lcnec, Adenocarcinoma, Squamous, SmallCell, Carcinoid, AtypicalCarcinoid, LargeCellNos, Lcnem, NonSmallCell, Benign, Node }

/// <summary>
/// The paragraphs around the diagnosis: clinical history, gross and microscopic descriptions, stains. None of them
/// names LCNEC (a report's LCNEC mentions are planned by its scenario, never picked here at random), and no line
/// starts with a section header word followed by a colon.
/// </summary>
internal static class SectionWording
{
    public static string History(ArchiveBuilder b, int age, string sex, string? smoking, SiteChoice site, string? extra = null, int? sizeMm = null)
    {
        var who = sex is "F" or "female" ? "woman" : sex is "M" or "male" ? "man" : "patient";
        var habit = smoking switch
        {
            "never" => "never smoker",
            "former" => $"former smoker ({b.Next(15, 60)} pack-years)",
            "current" => $"current smoker ({b.Next(20, 70)} pack-years)",
            _ => "smoking history not recorded",
        };
        var finding = site.Site.StartsWith("Lymph", StringComparison.Ordinal) ? b.Pick(["enlarged PET-avid mediastinal lymph nodes", "mediastinal and hilar adenopathy on CT"])
            : site.Site.StartsWith("Pleural", StringComparison.Ordinal) ? "a recurrent right pleural effusion"
            : site.Site.StartsWith("Bronchus", StringComparison.Ordinal) ? "an endobronchial lesion of the left main bronchus"
            : site.Site.StartsWith("Lung", StringComparison.Ordinal)
                ? $"a {ReportWording.Cm(sizeMm ?? b.Next(12, 60))} cm {site.Site[6..].ToLowerInvariant()} mass{b.Pick(["", " on CT", ", PET-avid (SUV max " + b.Next(4, 19).ToString(CultureInfo.InvariantCulture) + ")"])}"
            : $"a lesion of the {site.Site.Split(',')[0].ToLowerInvariant()} on imaging";
        var line = $"{age}-year-old {who}, {habit}, with {finding}. {b.Pick(Referrals)}";
        return extra is null ? line : $"{line} {extra}";
    }

    private static readonly string[] Referrals =
    [
        "Referred by the thoracic clinic for tissue diagnosis.",
        "Tissue requested for diagnosis and biomarker testing.",
        "Multidisciplinary tumor board requests histologic confirmation.",
        "Sent after review at the multidisciplinary tumor board.",
    ];

    public static string Gross(ArchiveBuilder b, SiteChoice site, int? sizeMm) =>
        Received(b, site, sizeMm) + $" Fixation time {b.Next(6, 49)} hours. Grossed by a pathologists' assistant; {b.Next(2, 5)} H&E levels and {b.Next(2, 9)} unstained slides prepared.";

    private static string Received(ArchiveBuilder b, SiteChoice site, int? sizeMm)
    {
        var label = site.Site.ToLowerInvariant();
        var procedure = site.Procedure;
        if (procedure.Contains("EBUS", StringComparison.Ordinal))
        {
            return $"Received: {b.Next(2, 6)} passes from {label}, with {b.Next(2, 7)} alcohol-fixed smears and a needle rinse for cell block. On-site adequacy assessment was performed. " +
                "Smears are stained with Papanicolaou and Diff-Quik; the rinse is processed as a formalin-fixed cell block. Specimen adequacy is satisfactory for evaluation.";
        }
        if (procedure.StartsWith("Thoracentesis", StringComparison.Ordinal))
        {
            return $"Received {b.Next(60, 900)} mL of {b.Pick(["turbid yellow", "blood-tinged", "straw-coloured"])} fluid. Cytospin preparations (Papanicolaou) and a formalin-fixed cell block were made; the cell block is adequate for ancillary studies.";
        }
        if (procedure.Contains("core", StringComparison.OrdinalIgnoreCase))
        {
            return $"Received in formalin, labelled with the patient's name and \"{label}\", are {b.Next(2, 6)} tan-white cores measuring 0.{b.Next(3, 9)} to {b.Next(1, 3)}.{b.Next(0, 9)} cm in length, entirely submitted in one cassette.";
        }
        if (procedure.Contains("bronchial", StringComparison.OrdinalIgnoreCase) || procedure.StartsWith("Punch", StringComparison.Ordinal))
        {
            return $"Received in formalin are {b.Next(2, 8)} fragments of tan-pink soft tissue, 0.1 to 0.{b.Next(2, 6)} cm, entirely submitted.";
        }
        if (procedure.StartsWith("Excision", StringComparison.Ordinal) || procedure.StartsWith("Excisional", StringComparison.Ordinal))
        {
            return $"Received in formalin is a tan lymph node, {b.Next(5, 25) / 10.0:0.0} cm in greatest dimension, bisected and entirely submitted.";
        }
        if (label.StartsWith("bone", StringComparison.Ordinal))
        {
            return $"Received in formalin and decalcified are {b.Next(1, 4)} cores of bone, up to 1.{b.Next(0, 9)} cm, entirely submitted.";
        }
        if (label.StartsWith("brain", StringComparison.Ordinal))
        {
            return $"Received are fragments of tan-grey soft tissue aggregating to {b.Next(2, 5)}.{b.Next(0, 9)} x {b.Next(1, 3)}.{b.Next(0, 9)} x 1.{b.Next(0, 9)} cm, entirely submitted.";
        }
        var mass = sizeMm is { } mm ? $"a firm tan-grey mass measuring {ReportWording.Cm(mm)} cm" : "a firm tan-grey mass";
        return $"Received fresh, labelled with the patient's name and \"{label}\", is a {ReportWording.Lower(procedure)} specimen weighing {(procedure.StartsWith("Wedge", StringComparison.Ordinal) ? b.Next(6, 40) : b.Next(60, 380))} g. Sectioning reveals {mass}, " +
            $"{b.Next(1, 5)}.{b.Next(0, 9)} cm from the bronchial or stapled margin and {b.Pick(["abutting", "0.3 cm beneath", "puckering"])} the visceral pleura. " +
            $"The cut surface of the remaining parenchyma is {b.Pick(["spongy and tan-pink", "emphysematous", "tan-red with anthracotic streaks"])}, without further nodules. " +
            $"The bronchial and vascular margins are shaved en face. Representative sections are submitted in cassettes A1 to A{b.Next(6, 14)}: " +
            "margins (A1), tumor with nearest pleura (A2 to A5), tumor with bronchus, remaining lung and hilar lymph nodes.";
    }

    /// <summary>The microscopic paragraph: the lesion, then the background a pathologist notes.</summary>
    public static string Microscopic(ArchiveBuilder b, Histology histology, string? benignDiagnosis = null) =>
        (benignDiagnosis is null ? Lesion(b, histology) : BenignLesion(benignDiagnosis)) + " " + b.Pick(Backgrounds) + (histology is Histology.Benign or Histology.Node ? "" : " " + b.Pick(Extents));

    private static readonly string[] Backgrounds =
    [
        "The background lung shows centrilobular emphysema and anthracotic pigment.",
        "The adjacent parenchyma shows respiratory bronchiolitis and mild interstitial fibrosis.",
        "Uninvolved tissue shows reactive changes only.",
        "There is a brisk peritumoral lymphocytic infiltrate.",
    ];

    private static readonly string[] Extents =
    [
        "Lymphovascular invasion is not identified in the sections examined.",
        "Tumor involves most of the submitted tissue; no normal structures are seen at the edges.",
        "Deeper levels were examined and show similar findings.",
        "Crush artefact limits the assessment of part of the material.",
    ];

    private static string BenignLesion(string diagnosis) =>
        diagnosis.Contains("pneumonia", StringComparison.Ordinal) ? "Alveolar spaces hold intra-alveolar fibroblast plugs (Masson bodies) with a mild chronic inflammatory infiltrate; no atypia."
        : diagnosis.Contains("granulomatous", StringComparison.Ordinal) ? "Well-formed granulomas without necrosis; Ziehl-Neelsen and Grocott stains show no organisms."
        : diagnosis.Contains("hamartoma", StringComparison.Ordinal) ? "Lobules of mature hyaline cartilage with fat and clefts lined by respiratory epithelium."
        : diagnosis.Contains("bronchial", StringComparison.Ordinal) ? "Bronchial mucosa with reactive epithelial changes and submucosal chronic inflammation; no atypia."
        : "Alveolar septa are mildly thickened by fibrosis, with abundant anthracotic pigment; no atypia.";

    private static string Lesion(ArchiveBuilder b, Histology histology) => histology switch
    {
        Histology.Lcnec => $"Sections show {b.Pick(["organoid nests and trabeculae", "sheets and large nests", "nests with peripheral palisading"])} of large tumor cells with moderate to abundant cytoplasm, " +
            $"vesicular to coarse chromatin and {b.Pick(["prominent nucleoli", "conspicuous nucleoli"])}. Rosette-like structures are present. Mitoses number about {b.Next(30, 90)} per 2 mm2, " +
            $"with {b.Pick(["extensive geographic necrosis", "large zones of necrosis"])}.",
        Histology.Adenocarcinoma => $"The tumor forms {b.Pick(["acinar and papillary glands", "lepidic and acinar structures", "solid nests with intracytoplasmic mucin"])} lined by atypical cuboidal to columnar cells. " +
            "Nuclei are enlarged with irregular contours; mitoses are readily identified.",
        Histology.Squamous => $"Sheets and nests of polygonal cells with {b.Pick(["keratin pearls and intercellular bridges", "dense eosinophilic cytoplasm and focal keratinization", "little keratinization"])} infiltrate a desmoplastic stroma.",
        Histology.SmallCell => "Sheets of small cells with scant cytoplasm, finely granular chromatin, absent nucleoli and nuclear moulding, with crush artefact and apoptotic debris. Mitoses are numerous.",
        Histology.Carcinoid => "Organoid nests and ribbons of uniform cells with salt-and-pepper chromatin. Mitoses are not identified and there is no necrosis.",
        Histology.AtypicalCarcinoid => $"Organoid nests of uniform cells with salt-and-pepper chromatin. Mitoses number {b.Next(2, 10)} per 2 mm2 with focal punctate necrosis.",
        Histology.LargeCellNos => "Sheets of large undifferentiated cells with vesicular nuclei and prominent nucleoli, without glandular, squamous or neuroendocrine architecture.",
        Histology.Lcnem => "Large polygonal cells in organoid nests with peripheral palisading and rosettes, but without immunohistochemical neuroendocrine differentiation.",
        Histology.NonSmallCell => "Small groups of poorly differentiated malignant cells with moderate cytoplasm and enlarged nuclei; the tissue is limited and crushed in part.",
        Histology.Node => "Lymph node tissue with preserved architecture and anthracotic histiocytes; no malignant cells are seen.",
        _ => b.Pick(["Alveolar parenchyma with intra-alveolar fibroblast plugs and a mild chronic inflammatory infiltrate; no atypia.",
            "Bronchial mucosa with reactive changes and submucosal chronic inflammation; no atypia.",
            "Well-formed granulomas without necrosis in a background of anthracotic lung parenchyma."]),
    };

    /// <summary>The stain paragraph of an entity, or null when none was done.</summary>
    public static string? Stains(ArchiveBuilder b, Histology histology, int? ki67 = null) => histology switch
    {
        Histology.Lcnec => ReportWording.LcnecComment(ki67 ?? b.Next(60, 96)) + (b.Chance(0.5) ? " p40 and napsin A are negative." : ""),
        Histology.Adenocarcinoma => "The tumor cells are positive for TTF-1 and napsin A and negative for p40.",
        Histology.Squamous => "The tumor cells are diffusely positive for p40 and CK5/6 and negative for TTF-1.",
        Histology.SmallCell => $"Synaptophysin and INSM1 are positive with dot-like keratin staining; TTF-1 is positive; Ki-67 labels about {ki67 ?? b.Next(80, 100)}% of tumor cells.",
        Histology.Carcinoid or Histology.AtypicalCarcinoid => $"Synaptophysin and chromogranin A are strongly positive; Ki-67 labels about {ki67 ?? b.Next(1, 12)}% of tumor cells.",
        Histology.LargeCellNos => "TTF-1, napsin A, p40, synaptophysin and chromogranin A are negative; keratin AE1/AE3 is positive.",
        Histology.Lcnem => "Synaptophysin, chromogranin A, CD56 and INSM1 are negative in the tumor cells.",
        Histology.NonSmallCell => "TTF-1 is focally positive and p40 is negative; the material is insufficient for further studies.",
        _ => null,
    };

    /// <summary>The frozen section of a resection: a provisional word that the final diagnosis supersedes.</summary>
    public static string Frozen(ArchiveBuilder b, SiteChoice site, Histology histology) =>
        $"A. {site.Site}, {ReportWording.Lower(site.Procedure)} (frozen section): " + histology switch
        {
            Histology.Benign => "No malignancy identified in the frozen material.",
            Histology.Carcinoid or Histology.AtypicalCarcinoid => "Well-differentiated neoplasm, defer to permanent sections.",
            _ => b.Pick(["Malignant neoplasm; classification deferred to permanent sections.", "Non-small cell carcinoma; defer to permanents.", "Carcinoma, margin free of tumor."]),
        };

    /// <summary>A comment that weighs the differential without naming LCNEC (the adenocarcinoma and squamous reports).</summary>
    public static readonly string[] PlainComments =
    [
        "The differential includes metastatic adenocarcinoma from another site; TTF-1 and napsin A positivity support a lung primary.",
        "PD-L1 (22C3) and a next-generation sequencing panel have been requested on block A1 and will be reported separately.",
        "The findings were discussed with the referring pulmonologist on the day of sign-out.",
        "Intradepartmental consultation was obtained; the reviewing pathologist concurs.",
    ];

    /// <summary>Comments on an LCNEC that weigh the look-alikes and settle on LCNEC.</summary>
    public static readonly string[] LcnecComments =
    [
        "The differential diagnosis included small cell carcinoma and basaloid squamous cell carcinoma. The large cell size, prominent nucleoli, diffuse synaptophysin and INSM1 and negative p40 support large cell neuroendocrine carcinoma.",
        "Atypical carcinoid was considered; the mitotic count above 10 per 2 mm2 and the extensive necrosis place this tumor in the high-grade category.",
        "ALK immunohistochemistry and a molecular panel are recommended for advanced disease per the thoracic biomarker protocol.",
        "The findings were discussed with the thoracic oncology team on the day of sign-out.",
    ];

    /// <summary>Checklist lines of a resection; the stage line only when the stage column is a pathologic TNM.</summary>
    public static List<(string Field, string Value)> Synoptic(ArchiveBuilder b, SiteChoice site, string histologicType, int? sizeMm, string? stage)
    {
        var lines = new List<(string, string)>
        {
            ("Procedure", site.Procedure),
            ("Specimen Laterality", site.Site.Contains("right", StringComparison.OrdinalIgnoreCase) ? "Right" : "Left"),
            ("Tumor Focality", "Single focus"),
            ("Histologic Type", histologicType),
        };
        if (sizeMm is { } mm)
        {
            lines.Add(("Tumor Size", $"{ReportWording.Cm(mm)} cm"));
        }
        lines.Add(("Visceral Pleura Invasion", b.Pick(["Not identified", "Present (PL1)"])));
        lines.Add(("Lymphovascular Invasion", b.Pick(["Not identified", "Present"])));
        lines.Add(("Margins", "All margins free of tumor"));
        if (stage is not null && stage.StartsWith('p'))
        {
            lines.Add(("Pathologic Stage Classification (pTNM, AJCC 8th Edition)", stage));
        }
        return lines;
    }
}
