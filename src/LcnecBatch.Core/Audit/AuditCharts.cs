using System.Globalization;
using System.Text.RegularExpressions;
using ScottPlot;

namespace LcnecBatch.Core.Audit;

/// <summary>
/// The audit's charts, drawn by ScottPlot and exported as SVG for embedding inline in <c>audit.html</c>. Labels
/// are the audit's own words (quarters, bins, rule ids), never report text; Skia escapes them as XML anyway.
/// </summary>
public static partial class AuditCharts
{
    private const string Font = "DejaVu Sans";
    private static readonly Color Diagnosed = Color.FromHex("#1F77B4");
    private static readonly Color Tested = Color.FromHex("#E8710A");

    public static string CoverageByQuarter(AuditFigures figures, string id)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var quarters = figures.CoverageByQuarter;
        var plot = new Plot();
        var bars = new List<Bar>();
        for (var i = 0; i < quarters.Count; i++)
        {
            bars.Add(Bar(i - 0.2, quarters[i].Lcnec, Diagnosed, 0.4));
            bars.Add(Bar(i + 0.2, quarters[i].Tested, Tested, 0.4));
        }
        plot.Add.Bars(bars);
        Categories(plot.Axes.Bottom, [.. quarters.Select(q => q.Quarter)]);
        if (quarters.Count > 8)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = 70;
        }
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "LCNEC diagnosed", FillColor = Diagnosed });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "tested for ALK", FillColor = Tested });
        plot.ShowLegend(Edge.Right);
        plot.YLabel("patients");
        plot.Axes.Margins(bottom: 0);
        WholeNumbers(plot.Axes.Left);
        return Svg(plot, id, "ALK testing coverage of LCNEC by quarter of diagnosis", 900, 380);
    }

    public static string TimeToFirstTest(AuditFigures figures, string id)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var bins = figures.TimeToFirstAlkTestBins;
        var plot = new Plot();
        plot.Add.Bars(bins.Select((b, i) => Bar(i, b.Value, b.Key == AuditFigures.NotTestedBin ? Tested : Diagnosed, 0.7, label: true)).ToArray());
        Categories(plot.Axes.Bottom, [.. bins.Select(b => b.Key)]);
        plot.XLabel("days from diagnosis to the first ALK test");
        plot.YLabel("patients");
        plot.Axes.Margins(bottom: 0);
        WholeNumbers(plot.Axes.Left);
        return Svg(plot, id, "Time from diagnosis to the first ALK test", 700, 340);
    }

    public static string AlertsByRule(AuditFigures figures, string id)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var rules = figures.Rules.Reverse().ToList(); // the first rule on top
        var plot = new Plot();
        var series = plot.Add.Bars(rules.Select((r, i) => Bar(i, r.RaisedOrReopened, Diagnosed, 0.7, label: true)).ToArray());
        series.Horizontal = true;
        Categories(plot.Axes.Left, [.. rules.Select(r => r.RuleId)]);
        plot.XLabel("alerts raised in the audit window");
        plot.Axes.Margins(left: 0);
        WholeNumbers(plot.Axes.Bottom);
        return Svg(plot, id, "Alerts raised by rule", 800, 60 + (48 * Math.Max(1, rules.Count)));
    }

    private static Bar Bar(double position, int value, Color color, double size, bool label = false) => new()
    {
        Position = position,
        Value = value,
        Size = size,
        FillColor = color,
        LineWidth = 0,
        Label = label ? value.ToString(CultureInfo.InvariantCulture) : string.Empty,
    };

    private static void Categories(ScottPlot.IAxis axis, string[] labels) =>
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. labels.Select((_, i) => (double)i)], labels);

    private static void WholeNumbers(ScottPlot.IAxis axis) =>
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };

    [GeneratedRegex(@"\b(?<attr>x|y)=""(?<list>[^""]*?)[,\s]+""")]
    private static partial Regex TrailingListComma();

    [GeneratedRegex(@"\bid=""(?<id>[^""]+)""|url\(#(?<url>[^)]+)\)|href=""#(?<href>[^""]+)""")]
    private static partial Regex IdReference();

    /// <summary>
    /// The chart as an inline <c>&lt;svg&gt;</c> element: no XML declaration, a viewBox so it scales, a title for
    /// screen readers, and its ids (clip paths) prefixed so several charts on one page do not clash.
    /// </summary>
    private static string Svg(Plot plot, string id, string title, int width, int height)
    {
        plot.Font.Set(Font);
        plot.Legend.FontName = Font;
        var svg = plot.GetSvgXml(width, height);
        svg = svg[svg.IndexOf("<svg", StringComparison.Ordinal)..];
        // Skia writes per-glyph position lists with a trailing comma, which browsers reject as a whole.
        svg = TrailingListComma().Replace(svg, m => $"{m.Groups["attr"].Value}=\"{m.Groups["list"].Value}\"");
        // Skia numbers ids from a counter shared by the process: renumber them per chart, so the page is
        // the same bytes whatever ran before it.
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        string Rename(string old) => renamed.TryGetValue(old, out var name) ? name : renamed[old] = $"{id}-{renamed.Count + 1}";
        svg = IdReference().Replace(svg, m =>
            m.Groups["id"].Success ? $"id=\"{Rename(m.Groups["id"].Value)}\""
            : m.Groups["url"].Success ? $"url(#{Rename(m.Groups["url"].Value)})"
            : $"href=\"#{Rename(m.Groups["href"].Value)}\"");
        var encodedTitle = System.Net.WebUtility.HtmlEncode(title);
        var open = svg.IndexOf('>', StringComparison.Ordinal);
        return svg[..open].Replace("<svg ", $"<svg id=\"{id}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{encodedTitle}\" ", StringComparison.Ordinal)
            + $"><title>{encodedTitle}</title>" + svg[(open + 1)..];
    }
}
