using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using LcnecBatch.Core.CaseFinding;
using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Audit;

/// <summary>
/// <c>audit.html</c>: one self-contained page (inline CSS and SVG; no script, font or image from anywhere, and a
/// Content-Security-Policy that would refuse them). Every piece of text goes through <see cref="HtmlEncoder"/>:
/// report text comes from the lab and may hold anything, markup included.
/// </summary>
public static class AuditHtml
{
    public const string FileName = "audit.html";

    /// <summary>Case listings are cut here; <c>cases.csv</c> and <c>findings.csv</c> hold them all.</summary>
    public const int MaxListed = 100;

    private const int MaxTextLength = 300;

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    private const string Style = """
        body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; line-height: 1.4; }
        h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ccc; }
        table { border-collapse: collapse; margin: 0.8em 0; } th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
        th { background: #f2f2f2; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
        td.text { white-space: pre-wrap; max-width: 28em; font-size: 0.9em; }
        figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }
        .note { color: #555; font-size: 0.9em; }
        """;

    public static void Write(Stream output, AuditResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var w = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        var f = result.Figures;
        var period = $"{Date(f.From)} to {Date(f.To)}";
        w.WriteLine("<!DOCTYPE html>");
        w.WriteLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        w.WriteLine("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">");
        w.WriteLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        w.WriteLine($"<title>{E($"LCNEC ALK testing audit, {period}")}</title>");
        w.WriteLine($"<style>{Style}</style></head><body>");
        w.WriteLine($"<h1>{E("ALK testing of pulmonary LCNEC: audit")}</h1>");
        w.WriteLine($"<p class=\"note\">{E($"Replayed day by day from {period} as the nightly job would have run. The cohort is every patient with affirmed pulmonary LCNEC (as known on {Date(f.To)}) diagnosed in that period; alert figures count what happened in the period.")}</p>");

        Summary(w, f);
        Section(w, "coverage", "ALK testing coverage by quarter of diagnosis");
        Figure(w, AuditCharts.CoverageByQuarter(f, "chart-coverage"));
        Table(w, "coverage-table", ["quarter", "LCNEC diagnosed", "advanced", "tested for ALK", "advanced and tested"],
            f.CoverageByQuarter.Select(q => new[] { Text(q.Quarter), Num(q.Lcnec), Num(q.Advanced), Num(q.Tested), Num(q.AdvancedTested) }));

        Section(w, "time-to-test", "Time from diagnosis to the first ALK test");
        Figure(w, AuditCharts.TimeToFirstTest(f, "chart-time-to-test"));
        Table(w, "time-to-test-table", ["days from diagnosis", "patients"], f.TimeToFirstAlkTestBins.Select(b => new[] { Text(b.Key), Num(b.Value) }));

        Section(w, "alerts", "Alerts by rule");
        Figure(w, AuditCharts.AlertsByRule(f, "chart-alerts"));
        Table(w, "alerts-table", ["rule", "raised", "raised again", "reminders", "resolved", "open at the end", "days to resolution: median (p90)"],
            f.Rules.Select(r => new[] { Text(r.RuleId), Num(r.Raised), Num(r.Reopened), Num(r.Reminders), Num(r.Resolved), Num(r.OpenAtEnd), Text(Days(r.DaysToResolution)) }));

        var r = f.Responses;
        Section(w, "responses", "Care-team responses");
        w.WriteLine($"<p class=\"note\">{E($"{r.Responses} response(s) recorded in the period. Of {r.AlertsRaised} alert(s) raised, {r.AlertsAnswered} were answered (days from the alert to the first answer: {Days(r.DaysToFirstResponse)}) and {r.AlertsNeverAnswered} never. Closings and escalations are not reminders.")}</p>");
        Table(w, "responses-kind-table", ["response", "count"], r.ByKind.Select(k => new[] { Text(k.Key), Num(k.Value) }));
        Table(w, "responses-rule-table", ["rule", "alerts raised", "answered", "never answered", "days to first answer: median (p90)", "closed by an answer", "escalated"],
            r.Rules.Select(x => new[] { Text(x.RuleId), Num(x.Alerts), Num(x.Answered), Num(x.NeverAnswered), Text(Days(x.DaysToFirstResponse)), Num(x.Closed), Num(x.Escalated) }));
        Table(w, "outside-tests-table", ["outside ALK test recorded", "count"], r.OutsideTests.Select(k => new[] { Text(k.Key), Num(k.Value) }));

        Characteristics(w, f.AlkPositiveCharacteristics);
        Listings(w, result);
        w.WriteLine($"<p class=\"note\">{E($"Files: {f.Input.Files} read, {f.Input.FilesQuarantined} unreadable, {f.Input.FilesNotAnInput} not an input, {f.Input.FoldersNotBatches} folder(s) named like a batch but not a date, {f.Input.MissingFromManifest} listed in a manifest but missing; rows: {f.Input.RowsRead} read, {f.Input.RowsAccepted} accepted, {f.Input.RowsRejected} rejected. Percentiles are linear between closest ranks.")}</p>");
        w.WriteLine("</body></html>");
    }

    private static void Summary(StreamWriter w, AuditFigures f)
    {
        Section(w, "summary", "Summary");
        Table(w, "summary-table", ["figure", "value"],
        [
            [Text("batches in the period (before it, replayed for state only)"), Text($"{f.Input.Batches} ({f.Input.HistoryBatches})")],
            [Text("patients with affirmed pulmonary LCNEC diagnosed in the period"), Num(f.LcnecPatients)],
            [Text("of whom advanced (stage III–IV or metastatic)"), Text(Share(f.AdvancedLcnecPatients, f.LcnecPatients))],
            [Text("patients whose reports were only uncertain for LCNEC (no alert)"), Num(f.UncertainLcnecPatients)],
            [Text("LCNEC tested for ALK (any IHC, molecular or raw NGS)"), Text(Share(f.TestedForAlk, f.LcnecPatients))],
            [Text("advanced LCNEC tested for ALK"), Text(Share(f.AdvancedTestedForAlk, f.AdvancedLcnecPatients))],
            [Text("ALK IHC positive (equivocal)"), Text($"{f.AlkIhcPositive} ({f.AlkIhcEquivocal})")],
            [Text("molecularly confirmed ALK fusion"), Num(f.AlkConfirmed)],
            [Text("days from diagnosis to the first ALK test: median (p90), n"), Text($"{Days(f.TimeToFirstAlkTestDays)}, n = {f.TimeToFirstAlkTestDays.N}")],
            [Text("days from positive IHC to molecular result: median (p90), n"), Text($"{Days(f.TimeToConfirmationDays)}, n = {f.TimeToConfirmationDays.N}")],
        ]);
    }

    private static void Characteristics(StreamWriter w, AlkPositiveCharacteristics c)
    {
        Section(w, "characteristics", "Characteristics of ALK-positive LCNEC");
        w.WriteLine($"<p class=\"note\">{E($"Affirmed pulmonary LCNEC with a molecularly confirmed ALK fusion, n = {c.N}. Each percentage is of the patients whose value is known (the denominator shown).")}</p>");
        var age = c.Age.Of == 0 ? "unknown"
            : $"median {Fmt(c.Age.Median)} (range {c.Age.Min}–{c.Age.Max}), mean {Fmt(c.Age.Mean)}; known for {c.Age.Of} of {c.N}";
        Table(w, "characteristics-table", ["characteristic", "value"],
        [
            [Text("n"), Num(c.N)],
            [Text("female"), Text(Known(c.Female, c.N))],
            [Text("never smoker"), Text(Known(c.NeverSmoker, c.N))],
            [Text("age at diagnosis, years"), Text(age)],
            [Text("stage IV (metastatic)"), Text(Known(c.StageIV, c.N))],
            [Text("brain metastases"), Text("not recorded in the lab exports")],
            [Text("fusion partner"), Text(string.Join(", ", c.Partners.Select(p => $"{p.Key} {p.Value}")))],
            [Text("EML4-ALK variant"), Text(string.Join(", ", c.Variants.Select(p => $"{p.Key} {p.Value}")))],
        ]);
    }

    private static void Listings(StreamWriter w, AuditResult result)
    {
        var positives = result.Cases.Where(c => c.AlkFusion).ToList();
        Section(w, "alk-positive-cases", "ALK-positive cases");
        Listed(w, positives.Count);
        Table(w, "alk-positive-table", ["mrn", "diagnosed", "stage", "sex", "age", "smoking", "partner", "variant", "alteration as reported"],
            positives.Take(MaxListed).Select(c => new[]
            {
                Text(c.Mrn), Text(Date(c.DiagnosisDate)), Text(c.Stage?.Group ?? "unknown"), Text(Word(c.Sex)), Text(c.AgeAtDiagnosis?.ToString(CultureInfo.InvariantCulture) ?? "unknown"),
                Text(Word(c.Smoking)), Text(c.Partner ?? AlkPositiveCharacteristics.Unspecified), Text(c.Variant ?? ""), Report(c.Fusion?.Alteration),
            }));

        var untested = result.Cases.Where(c => c.Advanced && c.FirstAlkTest is null).ToList();
        Section(w, "untested", "Advanced LCNEC never tested for ALK");
        Listed(w, untested.Count);
        Table(w, "untested-table", ["mrn", "diagnosed", "accession", "stage", "days untested", "diagnosis as reported"],
            untested.Take(MaxListed).Select(c => new[]
            {
                Text(c.Mrn), Text(Date(c.DiagnosisDate)), Text(c.DiagnosisReport.Accession), Text(c.Stage?.Group ?? "metastatic"),
                Num(result.Figures.To.DayNumber - c.DiagnosisDate.DayNumber), Report(c.DiagnosisReport.FinalDiagnosis),
            }));

        var uncertain = result.Findings.Where(f => f.Finding.Assertion == Assertion.Uncertain).ToList();
        Section(w, "uncertain", "Reports uncertain for LCNEC");
        Listed(w, uncertain.Count);
        Table(w, "uncertain-table", ["mrn", "accession", "reported", "cue", "report text"],
            uncertain.Take(MaxListed).Select(f => new[]
            {
                Text(f.Report.Mrn), Text(f.Report.Accession), Text(Date(f.Report.ReportDate)), Text(f.Finding.Cue ?? ""), Report(f.Report.FinalDiagnosis),
            }));
    }

    private static void Listed(StreamWriter w, int count) =>
        w.WriteLine($"<p class=\"note\">{E(count > MaxListed ? $"{count} patients; the first {MaxListed} are listed here, all of them in the CSV files." : $"{count} patients.")}</p>");

    private static void Section(StreamWriter w, string id, string title) => w.WriteLine($"<h2 id=\"{E(id)}\">{E(title)}</h2>");

    private static void Figure(StreamWriter w, string svg) => w.WriteLine($"<figure>{svg}</figure>");

    /// <summary>A table of cells already made HTML by <see cref="Text"/>, <see cref="Num"/> or <see cref="Report"/>.</summary>
    private static void Table(StreamWriter w, string id, string[] headers, IEnumerable<string[]> rows)
    {
        w.Write($"<table id=\"{E(id)}\"><thead><tr>");
        foreach (var header in headers)
        {
            w.Write($"<th>{E(header)}</th>");
        }
        w.WriteLine("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            w.WriteLine($"<tr>{string.Concat(row)}</tr>");
        }
        w.WriteLine("</tbody></table>");
    }

    private static string Text(string text) => $"<td>{E(text)}</td>";

    private static string Num(int value) => $"<td class=\"n\">{value.ToString(CultureInfo.InvariantCulture)}</td>";

    /// <summary>Text as the lab wrote it: encoded, line breaks kept, cut at a readable length.</summary>
    private static string Report(string? text)
    {
        text ??= "";
        var cut = text.Length > MaxTextLength ? text[..MaxTextLength] + "…" : text;
        return $"<td class=\"text\">{E(cut)}</td>";
    }

    private static string E(string text) => Encoder.Encode(text);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Fmt(double? value) => value is { } v ? v.ToString("0.#", CultureInfo.InvariantCulture) : "–";

    private static string Days(DayDistribution d) => d.N == 0 ? "–" : $"{Fmt(d.Median)} ({Fmt(d.P90)})";

    private static string Share(int count, int of) => of == 0 ? $"{count}" : $"{count} of {of} ({(100.0 * count / of).ToString("0.0", CultureInfo.InvariantCulture)}%)";

    private static string Known(Proportion p, int n) =>
        (p.Of == 0 ? "unknown for all" : Share(p.Count, p.Of)) + (p.Of < n ? $"; unknown for {n - p.Of}" : "");

    private static string Word(Sex? sex) => sex switch { Sex.Female => "F", Sex.Male => "M", _ => "unknown" };

    private static string Word(SmokingStatus? smoking) => smoking is null or SmokingStatus.Unknown ? "unknown" : smoking.Value.ToString().ToLowerInvariant();
}
