using System.Text;

namespace LcnecBatch.Core.Synthetic;

/// <summary>How the report was made: a surgical specimen, a cytology specimen, or a review of another lab's slides.</summary>
internal enum ReportForm { Surgical, Cytology, Consultation }

/// <summary>
/// What one version of a pathology report says, section by section (null: the section is left out). The final
/// diagnosis is <see cref="Parts"/>: a header line per specimen part and its items.
/// </summary>
internal sealed record ReportPlan(ReportForm Form, IReadOnlyList<(SiteChoice Site, string[] Lines)> Parts)
{
    public string? History { get; init; }

    public string? FamilyHistory { get; init; }

    public string? Gross { get; init; }

    public string? Frozen { get; init; }

    public string? Microscopic { get; init; }

    public string? Ihc { get; init; }

    public string? Comment { get; init; }

    /// <summary>CAP-style checklist lines ("Histologic Type", "Tumor Size", ...), in order.</summary>
    public IReadOnlyList<(string Field, string Value)>? Synoptic { get; init; }

    /// <summary>The other laboratory's diagnosis a consultation quotes.</summary>
    public string? Outside { get; init; }

    /// <summary>What the consultation makes of <see cref="Outside"/>, written under its diagnosis.</summary>
    public string? Verdict { get; init; }

    public string? Addendum { get; init; }

    /// <summary>Why this version supersedes the earlier one: a block at the top, under an "AMENDED REPORT" header.</summary>
    public string? Amendment { get; init; }

    /// <summary>"AMENDED REPORT" or "CORRECTED REPORT" (addendum-kind headers of section-patterns.tsv).</summary>
    public string AmendmentHeader { get; init; } = "AMENDED REPORT";
}

/// <summary>
/// Writes a <see cref="ReportPlan"/> as the whole text of a report: headers in one of a few house styles (capitals
/// with a colon, title case inline, capitals alone on their line), parts labelled <c>A.</c>, <c>1.</c> or
/// <c>Part 1:</c>, and the sections either diagnosis-first or in narrative order. Every header is one of
/// CaseFinding/section-patterns.tsv, and no line of running text starts with a header word followed by a colon.
/// </summary>
internal static class WholeReport
{
    private enum Section { History, Family, Gross, Frozen, Microscopic, Ihc, Final, Comment, Synoptic }

    private static readonly Dictionary<Section, string[]> Headers = new()
    {
        [Section.History] = ["CLINICAL HISTORY", "Clinical information", "CLINICAL INDICATION", "Clinical history"],
        [Section.Family] = ["FAMILY HISTORY", "Family history"],
        [Section.Gross] = ["GROSS DESCRIPTION", "Gross description", "MACROSCOPIC DESCRIPTION"],
        [Section.Frozen] = ["INTRAOPERATIVE CONSULTATION", "Frozen section diagnosis"],
        [Section.Microscopic] = ["MICROSCOPIC DESCRIPTION", "Microscopic examination", "MICROSCOPIC"],
        [Section.Ihc] = ["IMMUNOHISTOCHEMISTRY", "Immunohistochemical stains", "ANCILLARY STUDIES"],
        [Section.Comment] = ["COMMENT", "Comment", "NOTE"],
        [Section.Synoptic] = ["SYNOPTIC REPORT (CAP lung resection protocol)", "CANCER CASE SUMMARY"],
    };

    private static readonly string[] SurgicalFinal = ["FINAL DIAGNOSIS", "Final diagnosis", "DIAGNOSIS", "FINAL PATHOLOGIC DIAGNOSIS"];
    private static readonly string[] CytologyFinal = ["FINAL CYTOLOGIC DIAGNOSIS", "Cytologic diagnosis", "CYTOPATHOLOGIC DIAGNOSIS"];
    private static readonly string[] ConsultationFinal = ["CONSULTATION DIAGNOSIS", "Consultation diagnosis", "REVIEW OF OUTSIDE SLIDES"];

    public static string Render(ArchiveBuilder b, ReportPlan plan)
    {
        // 0: "HEADER:" on its own line; 1: "Header: text" inline; 2: "HEADER" alone on its line, no colon.
        var style = b.Next(0, 3);
        var partStyle = b.Next(0, 3);
        var diagnosisFirst = b.Chance(0.6);
        var text = new StringBuilder();
        if (plan.Amendment is { } amendment)
        {
            Block(text, plan.AmendmentHeader, amendment, 0);
        }
        var final = FinalDiagnosis(b, plan, partStyle);
        var finalHeader = b.Pick(plan.Form switch
        {
            ReportForm.Cytology => CytologyFinal,
            ReportForm.Consultation => ConsultationFinal,
            _ => SurgicalFinal,
        });
        if (plan.Form == ReportForm.Consultation)
        {
            Block(text, "MATERIAL RECEIVED", $"{b.Next(2, 9)} H&E slides and {b.Next(1, 3)} paraffin block(s) from an outside laboratory, submitted for a second opinion.", style);
            Block(text, "Outside diagnosis", plan.Outside ?? "Not stated.", 1);
        }
        if (plan.Form != ReportForm.Consultation)
        {
            Block(text, b.Pick(["SPECIMENS SUBMITTED", "Specimen", "SOURCE OF SPECIMEN"]), Submitted(plan, partStyle), 0);
        }
        var narrative = new List<(Section Kind, string? Body)>
        {
            (Section.History, plan.History), (Section.Family, plan.FamilyHistory), (Section.Gross, plan.Gross), (Section.Frozen, plan.Frozen),
            (Section.Microscopic, plan.Microscopic), (Section.Ihc, plan.Ihc),
        };
        var diagnosis = new List<(Section Kind, string? Body)> { (Section.Final, final), (Section.Comment, plan.Comment), (Section.Synoptic, Synoptic(plan)) };
        var order = diagnosisFirst
            ? [narrative[0], narrative[1], .. diagnosis, .. narrative.Skip(2)]
            : narrative.Concat(diagnosis).ToList();
        foreach (var (kind, body) in order)
        {
            if (body is null)
            {
                continue;
            }
            var header = kind == Section.Final ? finalHeader : b.Pick(Headers[kind]);
            // Parts, checklists and paragraphs of several lines never go inline.
            Block(text, header, body, kind is Section.Final or Section.Synoptic && style == 1 ? 0 : style);
        }
        if (plan.Addendum is { } addendum)
        {
            Block(text, b.Pick(["ADDENDUM", "Addendum report", "ADDENDUM DIAGNOSIS"]), addendum, style);
        }
        Block(text, b.Pick(["DISCLAIMER", "Methods"]), b.Pick(Disclaimers), style);
        text.Append(b.Pick(["Electronically signed: attending pathologist, thoracic pathology service.", "Electronically signed out by the attending pathologist."]));
        return text.ToString();
    }

    private static readonly string[] Disclaimers =
    [
        "Some immunohistochemical stains used in this case were developed and their performance characteristics determined by this laboratory. " +
            "They have not been cleared or approved by the FDA; such clearance is not required for clinical use. Appropriate positive and negative controls were reviewed and performed as expected.",
        "Immunostains were performed on formalin-fixed, paraffin-embedded tissue with appropriately reactive controls. Cold ischemia time under one hour; " +
            "fixation in 10% neutral buffered formalin for 6 to 72 hours, within the guideline range for predictive biomarker testing.",
        "This case was reviewed at the daily thoracic pathology consensus conference. The diagnosis reflects the morphology, the immunoprofile and the clinical and radiologic information available at sign-out.",
    ];

    /// <summary>The specimen list of the requisition: one line per part, as the parts of the final diagnosis are labelled.</summary>
    private static string Submitted(ReportPlan plan, int partStyle) =>
        string.Join('\n', plan.Parts.Select((p, i) => $"{PartLabel(partStyle, i)} {p.Site.Site}, {ReportWording.Lower(p.Site.Procedure)}"));

    private static string PartLabel(int partStyle, int i) => partStyle switch
    {
        0 => $"{(char)('A' + i)}.",
        1 => $"{i + 1}.",
        _ => $"Part {i + 1}:",
    };

    private static void Block(StringBuilder text, string header, string body, int style)
    {
        var inline = style == 1 && !body.Contains('\n', StringComparison.Ordinal);
        text.Append(style == 2 ? header.ToUpperInvariant() : header);
        text.Append(style == 2 ? "\n" : inline ? ": " : ":\n");
        text.Append(body).Append("\n\n");
    }

    private static string FinalDiagnosis(ArchiveBuilder b, ReportPlan plan, int partStyle)
    {
        var text = new StringBuilder();
        var bullet = b.Pick(["   - ", "   ", "  * "]);
        for (var i = 0; i < plan.Parts.Count; i++)
        {
            var (site, lines) = plan.Parts[i];
            if (i > 0)
            {
                text.Append('\n');
            }
            text.Append(PartLabel(partStyle, i)).Append(' ').Append(site.Site).Append(", ").Append(ReportWording.Lower(site.Procedure)).Append(':');
            foreach (var line in lines)
            {
                text.Append('\n').Append(bullet).Append(line);
            }
        }
        if (plan.Verdict is { } verdict)
        {
            text.Append("\n\n").Append(verdict);
        }
        return text.ToString();
    }

    private static string? Synoptic(ReportPlan plan) =>
        plan.Synoptic is not { Count: > 0 } lines ? null : string.Join('\n', lines.Select(l => $"{l.Field}: {l.Value}"));
}
