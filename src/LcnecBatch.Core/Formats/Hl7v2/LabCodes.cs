using System.Text.RegularExpressions;
using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Formats.Hl7v2;

/// <summary>Where a code comes from: HL7 v2 names systems by mnemonic (<c>LN</c>), FHIR by URI.</summary>
public enum CodeSystem { Loinc, Snomed, Naaccr, IcdO3, Local }

/// <summary>What an observation (an OBX row, a FHIR Observation) carries, as far as the screening is concerned.</summary>
public enum ObservationRole
{
    /// <summary>The final diagnosis section: preferred over every other text of the report.</summary>
    FinalDiagnosis,

    /// <summary>Another section of the report text (gross, microscopic, history, comment, whole report).</summary>
    ReportSection,

    /// <summary>Nature of specimen: becomes <see cref="PathologyReported.SpecimenSite"/>.</summary>
    SpecimenNature,

    /// <summary>ICD-O-3 morphology (<c>8013/3</c>).</summary>
    Morphology,

    /// <summary>ICD-O-3 topography (<c>C34.1</c>).</summary>
    Topography,

    /// <summary>Stage as written (<c>IVB</c>, <c>cT3N2M1c</c>).</summary>
    Stage,

    /// <summary>An immunohistochemistry result: one <see cref="IhcResulted"/>.</summary>
    Ihc,

    /// <summary>A molecular (FISH, NGS, RT-PCR) gene result: one <see cref="MolecularResulted"/>.</summary>
    Molecular,
}

/// <summary>One row of the code table: a code, and what it carries.</summary>
public sealed record LabCode(CodeSystem System, string Code, ObservationRole Role, string Display, string? Subject = null, MolecularMethod? Method = null);

/// <summary>What a classified observation means: its role, the marker or gene, the method or clone it implies.</summary>
public sealed record ObservationMeaning(ObservationRole Role, string? Subject = null, MolecularMethod? Method = null, string? AntibodyClone = null);

/// <summary>
/// The codes that carry the screening's facts in lab messages, as data: shared by the HL7 v2 and the FHIR
/// readers and writers. Codes not listed here (a CBC, a lead level, CAP eCC questions) carry nothing and are
/// passed over. Local codes follow one pattern instead of a table: the text names the marker or gene and the
/// method, <c>ALK^ALK IHC^L</c>, <c>ALK^ALK (D5F3) IHC^L</c>, <c>ALK^ALK NGS^L</c>, <c>ALK^ALK FISH^L</c>.
/// Provenance: <c>shared/domain/pathology.md</c> §1.4 (LOINC sections [V], ALK LOINCs [V]/[U]) and
/// domain knowledge for the stage-group LOINCs and the NAACCR item numbers [M].
/// </summary>
public static partial class LabCodes
{
    public static IReadOnlyList<LabCode> Observations { get; } =
    [
        // Report text, by section (IHE PaLM APSR, NAACCR Vol V).
        new(CodeSystem.Loinc, "22637-3", ObservationRole.FinalDiagnosis, "Pathology report final diagnosis"),
        new(CodeSystem.Loinc, "22634-0", ObservationRole.ReportSection, "Pathology report gross observation"),
        new(CodeSystem.Loinc, "22635-7", ObservationRole.ReportSection, "Pathology report microscopic observation"),
        new(CodeSystem.Loinc, "22636-5", ObservationRole.ReportSection, "Pathology report relevant history"),
        new(CodeSystem.Loinc, "22638-1", ObservationRole.ReportSection, "Pathology report comments"),
        new(CodeSystem.Loinc, "83321-0", ObservationRole.ReportSection, "Intraoperative observation"),
        new(CodeSystem.Loinc, "77599-9", ObservationRole.ReportSection, "Additional documentation"),
        new(CodeSystem.Loinc, "11526-1", ObservationRole.ReportSection, "Pathology study (whole report)"),
        new(CodeSystem.Loinc, "11529-5", ObservationRole.ReportSection, "Surgical pathology study (whole report)"),
        new(CodeSystem.Loinc, "33716-2", ObservationRole.ReportSection, "Non-gynecological cytology study"),
        new(CodeSystem.Loinc, "35265-8", ObservationRole.ReportSection, "Pathology report addendum"),
        new(CodeSystem.Loinc, "22633-2", ObservationRole.SpecimenNature, "Nature of specimen"),
        // Coded tumour facts.
        new(CodeSystem.Loinc, "31206-6", ObservationRole.Morphology, "Histology and behavior ICD-O-3"),
        new(CodeSystem.Naaccr, "521", ObservationRole.Morphology, "Morph--Type&Behav ICD-O-3 (NAACCR item 521)"),
        new(CodeSystem.Naaccr, "400", ObservationRole.Topography, "Primary Site (NAACCR item 400)"),
        new(CodeSystem.Local, "ICDO3-T", ObservationRole.Topography, "ICD-O-3 topography (local)"),
        new(CodeSystem.Loinc, "21908-9", ObservationRole.Stage, "Stage group.clinical Cancer"),
        new(CodeSystem.Loinc, "21902-2", ObservationRole.Stage, "Stage group.pathology Cancer"),
        // ALK by immunostain, FISH and transcript.
        new(CodeSystem.Loinc, "47303-3", ObservationRole.Ihc, "ALK Ag [Presence] in Tissue by Immune stain", "ALK"),
        new(CodeSystem.Loinc, "78205-2", ObservationRole.Molecular, "ALK gene rearrangements [Presence] by FISH", "ALK", MolecularMethod.Fish),
        new(CodeSystem.Loinc, "76042-8", ObservationRole.Molecular, "ALK gene rearrangements [Presence] in Tissue by FISH", "ALK", MolecularMethod.Fish),
        new(CodeSystem.Loinc, "79206-9", ObservationRole.Molecular, "EML4-ALK fusion transcript", "ALK", MolecularMethod.RtPcr),
    ];

    /// <summary>LOINC 48018-6 "Gene studied": one component per gene (per fusion partner) of a FHIR genomic Observation.</summary>
    public const string GeneStudied = "48018-6";

    /// <summary>LOINC 69548-6 "Genetic variant assessment": the code of a Genomics Reporting variant Observation.</summary>
    public const string VariantAssessment = "69548-6";

    /// <summary>LOINC 81252-9 "Discrete genetic variant": the component that carries the alteration as written.</summary>
    public const string DiscreteVariant = "81252-9";

    private static readonly Dictionary<(CodeSystem, string), LabCode> ByCode =
        Observations.ToDictionary(c => (c.System, c.Code));

    /// <summary>Coded answers for an IHC result (SNOMED CT qualifiers and LOINC answers).</summary>
    public static IReadOnlyDictionary<(CodeSystem, string), IhcResult> IhcAnswers { get; } = new Dictionary<(CodeSystem, string), IhcResult>
    {
        [(CodeSystem.Snomed, "10828004")] = IhcResult.Positive,
        [(CodeSystem.Snomed, "260385009")] = IhcResult.Negative,
        [(CodeSystem.Snomed, "42425007")] = IhcResult.Equivocal,
        [(CodeSystem.Loinc, "LA6576-8")] = IhcResult.Positive,
        [(CodeSystem.Loinc, "LA6577-6")] = IhcResult.Negative,
    };

    /// <summary>Coded answers for a molecular result (LOINC answers of the Genomics Reporting IG, SNOMED CT).</summary>
    public static IReadOnlyDictionary<(CodeSystem, string), MolecularResult> MolecularAnswers { get; } = new Dictionary<(CodeSystem, string), MolecularResult>
    {
        [(CodeSystem.Loinc, "LA9633-4")] = MolecularResult.Detected,
        [(CodeSystem.Loinc, "LA9634-2")] = MolecularResult.NotDetected,
        [(CodeSystem.Loinc, "LA6576-8")] = MolecularResult.Detected,
        [(CodeSystem.Loinc, "LA6577-6")] = MolecularResult.NotDetected,
        [(CodeSystem.Snomed, "260373001")] = MolecularResult.Detected,
        [(CodeSystem.Snomed, "260415000")] = MolecularResult.NotDetected,
        [(CodeSystem.Snomed, "10828004")] = MolecularResult.Detected,
        [(CodeSystem.Snomed, "260385009")] = MolecularResult.NotDetected,
    };

    /// <summary>LOINC 26398-0 "Sequencing" and its kin, as method codes.</summary>
    private static readonly Dictionary<string, MolecularMethod> MethodCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["LA26398-0"] = MolecularMethod.Ngs,
    };

    /// <summary>
    /// HL7 table 0074 service sections (OBR-24, DiagnosticReport.category) and table 0270 document types (TXA-2)
    /// that are not pathology: their narrative is not a pathology report. SP, CP, PAT, AR, LAB, OSL, OTH and
    /// any local or missing code are taken as pathology.
    /// </summary>
    public static IReadOnlySet<string> NonPathologySections { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "AU", "BG", "BLB", "CUS", "CTH", "CT", "CH", "EC", "EN", "GE", "HM", "ICU", "IMM", "MB", "MCB", "MYC", "NMS", "NMR",
        "NRS", "OUS", "OT", "PAR", "PF", "PHR", "PHY", "PT", "RAD", "RX", "RUS", "RC", "RT", "SR", "TX", "VUS", "VR", "XRC",
        // Table 0270 document types.
        "CD", "CN", "DI", "DS", "ED", "HP", "OP", "PC", "PH", "PN", "PR", "TS",
    };

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z0-9][A-Za-z0-9./-]*?)\s*(?:\((?<clone>[^()]+)\))?\s*(?<method>IHC|immunohistochemistry|immunostain|NGS|FISH|RT-?PCR)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex LocalObservationText();

    [GeneratedRegex(@"\((?<inner>[^()]+)\)")]
    private static partial Regex Parenthesised();

    [GeneratedRegex(@"^(IHC|immunohistochemistry|immunostain|immune stain|immunohistochemical stain)$", RegexOptions.IgnoreCase)]
    private static partial Regex IhcMethodWord();

    public static CodeSystem FromHl7(string? system) => system?.ToUpperInvariant() switch
    {
        "LN" or "LOINC" => CodeSystem.Loinc,
        "SCT" or "SNM" or "SNOMED" or "SNOMEDCT" or "SNM3" => CodeSystem.Snomed,
        "NAACCR" => CodeSystem.Naaccr,
        "ICDO3" or "ICD-O-3" or "ICDO" => CodeSystem.IcdO3,
        _ => CodeSystem.Local,
    };

    public static CodeSystem FromFhir(string? system) => system switch
    {
        "http://loinc.org" => CodeSystem.Loinc,
        "http://snomed.info/sct" => CodeSystem.Snomed,
        "http://terminology.hl7.org/CodeSystem/icd-o-3" or "urn:oid:2.16.840.1.113883.6.43.1" => CodeSystem.IcdO3,
        "http://naaccr.org/data-dictionary" => CodeSystem.Naaccr,
        _ => CodeSystem.Local,
    };

    public static string FhirUri(CodeSystem system) => system switch
    {
        CodeSystem.Loinc => "http://loinc.org",
        CodeSystem.Snomed => "http://snomed.info/sct",
        CodeSystem.IcdO3 => "http://terminology.hl7.org/CodeSystem/icd-o-3",
        CodeSystem.Naaccr => "http://naaccr.org/data-dictionary",
        _ => LocalSystem,
    };

    public static string Hl7Mnemonic(CodeSystem system) => system switch
    {
        CodeSystem.Loinc => "LN",
        CodeSystem.Snomed => "SCT",
        CodeSystem.IcdO3 => "ICDO3",
        CodeSystem.Naaccr => "NAACCR",
        _ => "L",
    };

    /// <summary>The system the writers use for local codes.</summary>
    public const string LocalSystem = "urn:lcnec-batch:local-code";

    /// <summary>
    /// What an observation code means: the table first, then the local pattern on its text (and on the code
    /// itself when it has no text). The clone may be written in parentheses in the text: <c>ALK (D5F3)</c>.
    /// </summary>
    public static ObservationMeaning? Classify(CodeSystem system, string? code, string? text)
    {
        var clone = CloneIn(text);
        if (code is not null && ByCode.TryGetValue((system, code.Trim()), out var row))
        {
            return new ObservationMeaning(row.Role, row.Subject, row.Method, clone);
        }
        if (system is CodeSystem.Loinc or CodeSystem.Snomed)
        {
            return null;
        }
        foreach (var candidate in new[] { text, code })
        {
            if (candidate is not null && LocalObservationText().Match(candidate) is { Success: true } m)
            {
                var name = m.Groups["name"].Value.ToUpperInvariant();
                var local = m.Groups["clone"].Success ? m.Groups["clone"].Value.Trim() : null;
                var method = m.Groups["method"].Value.ToUpperInvariant();
                return method switch
                {
                    "NGS" => new ObservationMeaning(ObservationRole.Molecular, name, MolecularMethod.Ngs),
                    "FISH" => new ObservationMeaning(ObservationRole.Molecular, name, MolecularMethod.Fish),
                    "RT-PCR" or "RTPCR" => new ObservationMeaning(ObservationRole.Molecular, name, MolecularMethod.RtPcr),
                    _ => new ObservationMeaning(ObservationRole.Ihc, name, null, local),
                };
            }
        }
        return null;
    }

    /// <summary>The text inside the first parentheses, e.g. the clone in <c>ALK (D5F3)</c>.</summary>
    public static string? CloneIn(string? text) =>
        text is not null && Parenthesised().Match(text) is { Success: true } m ? m.Groups["inner"].Value.Trim() : null;

    /// <summary>
    /// The antibody clone named by a method (OBX-17, Observation.method): a code that is not just the word
    /// "IHC", or the text in parentheses (<c>IHC (D5F3)</c>).
    /// </summary>
    public static string? CloneFromMethod(string? code, string? text)
    {
        if (CloneIn(text) is { } inner)
        {
            return inner;
        }
        if (code is not null && !IhcMethodWord().IsMatch(code.Trim()))
        {
            return code.Trim();
        }
        return text is not null && !IhcMethodWord().IsMatch(text.Trim()) && !text.Contains(' ', StringComparison.Ordinal) ? text.Trim() : null;
    }

    /// <summary>A molecular method from a code or its words (OBX-17, Observation.method).</summary>
    public static MolecularMethod? MethodFrom(string? code, string? text)
    {
        if (code is not null && MethodCodes.TryGetValue(code.Trim(), out var coded))
        {
            return coded;
        }
        foreach (var word in new[] { text, code })
        {
            if (word is null)
            {
                continue;
            }
            if (Vocabulary.Method.TryParse(word, out var method))
            {
                return method;
            }
            switch (Vocabulary.Normalize(word))
            {
                case "sequencing" or "dna_sequencing" or "rna_sequencing" or "massively_parallel_sequencing":
                    return MolecularMethod.Ngs;
                case "fluorescence_in_situ_hybridization" or "fluorescent_in_situ_hybridization":
                    return MolecularMethod.Fish;
                case "reverse_transcription_pcr" or "reverse_transcriptase_pcr":
                    return MolecularMethod.RtPcr;
            }
        }
        return null;
    }

    /// <summary>An IHC result from a coded answer or its words: <c>Positive</c>, <c>negative (less than 1%)</c>.</summary>
    public static bool TryIhcResult(CodeSystem system, string? code, string? text, out IhcResult result)
    {
        if (code is not null && IhcAnswers.TryGetValue((system, code.Trim()), out result))
        {
            return true;
        }
        foreach (var word in new[] { text, code })
        {
            if (word is not null && (Vocabulary.Ihc.TryParse(word, out result) || Vocabulary.Ihc.TryParse(LeadingPhrase(word), out result)))
            {
                return true;
            }
        }
        result = default;
        return false;
    }

    /// <summary>
    /// A molecular result, and the alteration when the text carries one: a coded answer, a word
    /// (<c>Not detected</c>, <c>Present</c>), <c>Detected: EML4-ALK fusion (E13:A20)</c> or
    /// <c>EML4-ALK fusion detected</c>.
    /// </summary>
    public static bool TryMolecularResult(CodeSystem system, string? code, string? text, out MolecularResult result, out string? alteration)
    {
        alteration = null;
        if (code is not null && MolecularAnswers.TryGetValue((system, code.Trim()), out result))
        {
            return true;
        }
        foreach (var word in new[] { text, code })
        {
            if (word is null)
            {
                continue;
            }
            if (MolecularWord(word, out result))
            {
                return true;
            }
            var colon = word.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && MolecularWord(word[..colon], out result))
            {
                alteration = NullIfBlank(word[(colon + 1)..]);
                return true;
            }
            foreach (var suffix in (string[])["not detected", "detected", "absent", "present", "negative", "positive", "indeterminate", "failed"])
            {
                if (word.TrimEnd().EndsWith(" " + suffix, StringComparison.OrdinalIgnoreCase) && MolecularWord(suffix, out result))
                {
                    alteration = NullIfBlank(word.TrimEnd()[..^suffix.Length]);
                    return true;
                }
            }
        }
        result = default;
        return false;
    }

    private static bool MolecularWord(string word, out MolecularResult result)
    {
        if (Vocabulary.Molecular.TryParse(word, out result))
        {
            return true;
        }
        switch (Vocabulary.Normalize(word))
        {
            case "present": result = MolecularResult.Detected; return true;
            case "absent": result = MolecularResult.NotDetected; return true;
            default: return false;
        }
    }

    /// <summary>The words before any detail: <c>Positive (D5F3)</c> gives <c>Positive</c>.</summary>
    private static string LeadingPhrase(string text)
    {
        var end = text.IndexOfAny(['(', ',', ';', ':']);
        return end > 0 ? text[..end] : text;
    }

    private static string? NullIfBlank(string text) => text.Trim() is { Length: > 0 } t ? t : null;

    /// <summary>True when a section or document-type code says the narrative is not pathology.</summary>
    public static bool IsNonPathologySection(string? code) => code is not null && NonPathologySections.Contains(code.Trim());

    /// <summary>An ICD-O-3 morphology code (<c>8013/3</c>) rather than a topography code (<c>C34.1</c>).</summary>
    public static bool IsMorphology(string code) => code.Length == 6 && code[4] == '/' && code[..4].All(char.IsAsciiDigit) && char.IsAsciiDigit(code[5]);

    public static bool IsTopography(string code) => code.Length >= 3 && code[0] is 'C' or 'c' && char.IsAsciiDigit(code[1]) && char.IsAsciiDigit(code[2]);
}
