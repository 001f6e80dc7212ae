using System.Globalization;
using System.Text;
using LcnecBatch.Core.CaseFinding;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Screening;

namespace LcnecBatch.Core.Audit;

/// <summary>
/// <c>cases.csv</c> and <c>findings.csv</c>: RFC 4180 (comma, CRLF between records, quotes doubled), with every
/// field quoted that holds a quote, a line break or the list separator of any common locale (comma, semicolon, tab,
/// vertical bar), so a spreadsheet that splits on <c>;</c> still sees one cell; UTF-8 with a BOM so spreadsheets read it as UTF-8, and safe to
/// open in one: a text cell that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return
/// would be run as a formula, so it is prefixed with <c>'</c>.
/// </summary>
public static class AuditCsv
{
    public const string CasesFileName = "cases.csv";
    public const string FindingsFileName = "findings.csv";
    public const string PathologyReviewFileName = "pathology_review.csv";
    public const string ResponsesFileName = "responses.csv";

    private static readonly string[] ResponseColumns =
    [
        "response_id", "alert_id", "rule_id", "kind", "responded_on", "recorded_on", "days_from_alert", "until",
        "outside_lab", "outside_date", "outside_method", "outside_result", "channel", "source",
    ];

    private static readonly string[] ReviewColumns =
    [
        "mrn", "responded_on", "recorded_on", "response_id", "alert_id", "source", "lcnec_again_on", "lcnec_again_accession",
    ];

    private static readonly string[] CaseColumns =
    [
        "mrn", "diagnosis_date", "diagnosis_accession", "diagnosis_source", "assertion", "stage", "advanced",
        "sex", "age_at_diagnosis", "smoking_status", "high_prior_features",
        "first_alk_test_date", "first_alk_test_method", "days_to_first_alk_test",
        "alk_ihc_result", "alk_ihc_clone", "alk_ihc_date",
        "molecular_result", "molecular_method", "molecular_date", "days_to_confirmation",
        "alk_fusion", "fusion_partner", "eml4_alk_variant", "alteration",
        "alerts_raised", "alerts_resolved",
    ];

    private static readonly string[] FindingColumns =
    [
        "mrn", "accession", "report_date", "known_on", "source", "assertion", "basis", "cue", "evidence",
        "in_cohort", "specimen_site", "final_diagnosis",
    ];

    private static readonly System.Buffers.SearchValues<char> QuotedWhenHeld = System.Buffers.SearchValues.Create(",;\t|\"\r\n");

    /// <summary>One cell: neutralised if a spreadsheet would take it for a formula, then quoted if it must be.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.AsSpan().IndexOfAny(QuotedWhenHeld) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }

    public static void WriteCases(Stream output, IEnumerable<AuditCase> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        using var w = Writer(output);
        Row(w, CaseColumns);
        foreach (var c in cases)
        {
            Row(w,
            [
                c.Mrn, Date(c.DiagnosisDate), c.DiagnosisReport.Accession, c.DiagnosisReport.Source.ToString(), c.Assertion.ToWire(),
                c.Stage?.Group, YesNo(c.Advanced),
                c.Sex?.ToString().ToLowerInvariant(), c.AgeAtDiagnosis, c.Smoking?.ToString().ToLowerInvariant(),
                string.Join("; ", c.HighPrior.Select(Feature)),
                Date(c.FirstAlkTest?.Date), c.FirstAlkTest?.Method, c.DaysToFirstAlkTest,
                IhcWord(c.AlkIhc?.Result), c.AlkIhc?.AntibodyClone, Date(c.AlkIhc?.ResultDate),
                MolecularWord(c.Molecular?.Result), MethodWord(c.Molecular?.Method), Date(c.Molecular?.ResultDate), c.DaysToConfirmation,
                YesNo(c.AlkFusion), c.Partner ?? (c.AlkFusion ? AlkPositiveCharacteristics.Unspecified : null), c.Variant, (c.Fusion ?? c.Molecular)?.Alteration,
                string.Join("; ", c.Alerts.SelectMany(a => a.Openings.Select(o => $"{a.RuleId} {a.Subject} {Date(o.RaisedOn)}"))),
                string.Join("; ", c.Alerts.SelectMany(a => a.Openings.Where(o => o.ResolvedOn is not null).Select(o => $"{a.RuleId} {a.Subject} {Date(o.ResolvedOn)}"))),
            ]);
        }
    }

    public static void WriteFindings(Stream output, IEnumerable<AuditFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        using var w = Writer(output);
        Row(w, FindingColumns);
        foreach (var (report, finding, inCohort) in findings)
        {
            Row(w,
            [
                report.Mrn, report.Accession, Date(report.ReportDate), Date(report.KnownOn), report.Source.ToString(),
                finding.Assertion.ToWire(), finding.Basis, finding.Cue, finding.Evidence, YesNo(inCohort),
                report.SpecimenSite, report.FinalDiagnosis,
            ]);
        }
    }

    /// <summary><c>pathology_review.csv</c>: one row per patient whose care team disagreed "not LCNEC", by MRN then response.</summary>
    public static void WritePathologyReview(Stream output, IEnumerable<PathologyReview> review)
    {
        ArgumentNullException.ThrowIfNull(review);
        using var w = Writer(output);
        Row(w, ReviewColumns);
        foreach (var (response, again) in review.OrderBy(r => r.Response.Mrn, StringComparer.Ordinal).ThenBy(r => r.Response.ResponseId, StringComparer.Ordinal))
        {
            Row(w,
            [
                response.Mrn, Date(response.RespondedOn), Date(response.KnownOn), response.ResponseId, response.AlertId, response.Source.ToString(),
                Date(again?.Date), again?.Report.Accession,
            ]);
        }
    }

    /// <summary><c>responses.csv</c>: one row per care-team response recorded in the window (no MRN: the alert id names the case).</summary>
    public static void WriteResponses(Stream output, IEnumerable<ResponseRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var w = Writer(output);
        Row(w, ResponseColumns);
        foreach (var (r, rule, days) in rows)
        {
            var test = r.OutsideTest;
            Row(w,
            [
                r.ResponseId, r.AlertId, rule, ResponseActivity.KindOf(r), Date(r.RespondedOn), Date(r.KnownOn), days, Date(r.Until),
                test?.Lab, Date(test?.Date), test is null ? null : Formats.ResponseLines.CamelCase(test.Method.ToString()),
                test is null ? null : Formats.ResponseLines.CamelCase(test.Result.ToString()), r.Channel, r.Source.ToString(),
            ]);
        }
    }

    private static StreamWriter Writer(Stream output) => new(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16, leaveOpen: true);

    /// <summary>Text goes through <see cref="Cell"/>; numbers are this code's own and are written as numbers, even negative.</summary>
    private static void Row(StreamWriter w, IEnumerable<object?> cells)
    {
        w.Write(string.Join(',', cells.Select(c => c is int number ? number.ToString(CultureInfo.InvariantCulture) : Cell(c as string))));
        w.Write("\r\n");
    }

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string YesNo(bool value) => value ? "yes" : "no";

    private static string Feature(HighPriorFeature feature) => feature switch
    {
        HighPriorFeature.NeverSmoker => "never smoker",
        HighPriorFeature.Female => "female",
        _ => "young",
    };

    private static string? IhcWord(IhcResult? result) => result switch
    {
        null => null,
        IhcResult.NotEvaluable => "not_evaluable",
        _ => result.Value.ToString().ToLowerInvariant(),
    };

    private static string? MolecularWord(MolecularResult? result) => result switch
    {
        null => null,
        MolecularResult.NotDetected => "not_detected",
        _ => result.Value.ToString().ToLowerInvariant(),
    };

    private static string? MethodWord(MolecularMethod? method) => method switch
    {
        null => null,
        MolecularMethod.RtPcr => "RT-PCR",
        _ => method.Value.ToString().ToUpperInvariant(),
    };
}
