using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using LcnecBatch.Azure.Telemetry;
using LcnecBatch.Azure.Tests.TestData;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace LcnecBatch.Azure.Tests;

/// <summary>
/// The sample archive through the Functions classes (Azurite, loopback Service Bus) with OpenTelemetry's in-memory
/// exporters: the instruments report what happened, and no metric dimension, span name or span attribute carries
/// an identifier or report text of the archive (read from its files with the real parsers).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PipelineMetricsTests(AzuriteFixture azurite)
{
    private const string Queue = LabExportHarness.Queue;

    [Fact]
    public async Task SampleArchive_ThroughFunctions_MetricsReconcileWithTheBrokerAndCarryNoPatientData()
    {
        var root = Path.Combine(RepositoryRoot.Find(), "samples", "archive");
        var phi = PatientDataOf(root);
        var metrics = new List<MetricSnapshot>();
        var spans = new List<Activity>();
        using var bus = new LoopbackServiceBus([Queue]);
        await using var harness = new LabExportHarness(azurite, bus.ConnectionString(), timeout: TimeSpan.FromMinutes(6));
        using (var meters = Sdk.CreateMeterProviderBuilder().AddMeter(PipelineMetrics.Name).AddInMemoryExporter(metrics).Build())
        using (Sdk.CreateTracerProviderBuilder().AddSource(PipelineMetrics.Name).AddInMemoryExporter(spans).Build())
        {
            var names = await harness.UploadAsync(root);
            await harness.DeliverAllAsync(names);
            await harness.SweepAsync();
            harness.Services.GetRequiredService<PipelineMetrics>().RecordExportLateness(TimeSpan.FromMinutes(90));
            meters.ForceFlush();

            var received = await AlertMessages.DrainAsync(bus.ConnectionString(), Queue, harness.Token);
            var quarantined = await QuarantinedAsync(harness);
            var archive = new FolderBatchArchive(root);
            var ngs = names.Where(n => n.Contains("/ngs/", StringComparison.Ordinal) && !quarantined.Contains(n)).ToList();

            Assert.Equal(names.Count, Sum(metrics, "lcnec.files.ingested"));
            Assert.Equal(Sum(metrics, "lcnec.rows.read"), Sum(metrics, "lcnec.rows.accepted") + Sum(metrics, "lcnec.rows.rejected"));
            Assert.All(Kinds(metrics, "lcnec.rows.read"), kind =>
                Assert.Equal(Sum(metrics, "lcnec.rows.read", kind), Sum(metrics, "lcnec.rows.accepted", kind) + Sum(metrics, "lcnec.rows.rejected", kind)));
            Assert.InRange(Sum(metrics, "lcnec.rows.rejected"), 1, Sum(metrics, "lcnec.rows.read") - 1); // the archive plants bad rows
            Assert.Equal(quarantined.Count, Sum(metrics, "lcnec.files.quarantined"));
            Assert.NotEmpty(ngs);
            Assert.Equal(ngs.Count, Sum(metrics, "lcnec.ngs.files_scanned"));
            Assert.Equal(ngs.Sum(n => new FileInfo(Path.Combine(root, n)).Length), Sum(metrics, "lcnec.ngs.bytes_scanned"));
            Assert.Equal(archive.BatchDates().Count, Sum(metrics, "lcnec.batches.ingested"));
            Assert.NotEmpty(received);
            Assert.Equal(received.Count, Sum(metrics, "lcnec.alerts.sent"));
            Assert.Equal(received.Count(m => (string)m.ApplicationProperties["event"] == "raised"), Sum(metrics, "lcnec.alerts.sent", ("event", "raised")));
            Assert.All(received.GroupBy(m => m.Subject), rule => Assert.Equal(rule.Count(), Sum(metrics, "lcnec.alerts.sent", ("rule.id", rule.Key))));
            Assert.Equal(0, Sum(metrics, "lcnec.alerts.send_failures"));
            Assert.True(HistogramCount(metrics, "lcnec.screening.duration") >= 1);
            Assert.Equal(1.5, HistogramSum(metrics, "lcnec.export.lateness"), 6);
        }

        var exported = Dimensions(metrics).Concat(Attributes(spans)).ToList();
        Assert.Contains("raw_ngs", exported);
        Assert.Contains("lcnec.screening_run", exported);
        Assert.Empty(Leaks(exported, phi));
    }

    [Fact]
    public void Leaks_AnMrnPlantedInAMetricDimensionOrASpanAttribute_IsFound()
    {
        var phi = PatientDataOf(Path.Combine(RepositoryRoot.Find(), "samples", "archive"));
        var mrn = phi.First(p => p.All(char.IsAsciiDigit));
        var accession = phi.First(p => p.StartsWith("S26-", StringComparison.Ordinal));
        var metrics = new List<MetricSnapshot>();
        var spans = new List<Activity>();
        using var meter = new Meter("LcnecBatch.PlantedForTest");
        using var source = new ActivitySource("LcnecBatch.PlantedForTest");
        using (var meters = Sdk.CreateMeterProviderBuilder().AddMeter(meter.Name).AddInMemoryExporter(metrics).Build())
        using (Sdk.CreateTracerProviderBuilder().AddSource(source.Name).AddInMemoryExporter(spans).Build())
        {
            meter.CreateCounter<long>("planted").Add(1, new KeyValuePair<string, object?>("patient", $"mrn {mrn}"), new KeyValuePair<string, object?>("file.kind", "csv"));
            using (var span = source.StartActivity("clean"))
            {
                span?.SetTag("specimen", accession);
            }
            meters.ForceFlush();
        }

        Assert.Equal([$"mrn {mrn}"], Leaks(Dimensions(metrics), phi));
        Assert.Equal([accession], Leaks(Attributes(spans), phi));
        Assert.Empty(Leaks(["csv", "clean", "raised"], phi));
    }

    /// <summary>Every mrn, accession and report-text snippet of the archive, as the real readers see them.</summary>
    private static HashSet<string> PatientDataOf(string root)
    {
        var archive = new FolderBatchArchive(root);
        var events = new List<TimelineEvent>();
        foreach (var date in archive.BatchDates())
        {
            foreach (var file in archive.Files(date))
            {
                using var content = file.Open();
                BatchIngestor.Ingest(date, file.SourcePath, content, events.Add);
            }
        }
        var phi = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e is IPatientFact patient)
            {
                phi.Add(patient.Mrn);
            }
            if (e is ISpecimenFact specimen)
            {
                phi.Add(specimen.Accession);
            }
            if (e is RawNgsFileArrived raw)
            {
                phi.Add(raw.Accession);
            }
            if (e is PathologyReported report)
            {
                // Line-sized pieces of the diagnosis: any of them quoted anywhere is report text leaking.
                phi.UnionWith(report.FinalDiagnosis.Split('\n', StringSplitOptions.TrimEntries).Where(line => line.Length >= 12));
            }
        }
        Assert.Contains(phi, p => p.All(char.IsAsciiDigit));
        return phi;
    }

    private static List<string> Leaks(IEnumerable<string> exported, IReadOnlySet<string> phi) =>
        [.. exported.Distinct(StringComparer.Ordinal).Where(value => phi.Any(secret => value.Contains(secret, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>Metric names, meter tags and every point's dimension keys and values.</summary>
    private static IEnumerable<string> Dimensions(IEnumerable<MetricSnapshot> metrics)
    {
        foreach (var metric in metrics)
        {
            yield return metric.Name;
            foreach (var point in metric.MetricPoints)
            {
                foreach (var tag in point.Tags)
                {
                    yield return tag.Key;
                    yield return Text(tag.Value);
                }
            }
        }
    }

    /// <summary>Span names and every attribute, event and link of the spans.</summary>
    private static IEnumerable<string> Attributes(IEnumerable<Activity> spans)
    {
        foreach (var span in spans)
        {
            yield return span.DisplayName;
            yield return span.OperationName;
            yield return span.StatusDescription ?? "";
            foreach (var (key, value) in span.TagObjects.Concat(span.Events.SelectMany(e => e.Tags)).Concat(span.Baggage.Select(b => new KeyValuePair<string, object?>(b.Key, b.Value))))
            {
                yield return key;
                yield return Text(value);
            }
        }
    }

    private static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    private static async Task<HashSet<string>> QuarantinedAsync(LabExportHarness harness)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (!await harness.Quarantine.ExistsAsync(harness.Token))
        {
            return names;
        }
        await foreach (var blob in harness.Quarantine.GetBlobsAsync(cancellationToken: harness.Token))
        {
            if (!blob.Name.EndsWith(".error.json", StringComparison.Ordinal))
            {
                names.Add(blob.Name);
            }
        }
        return names;
    }

    private static IEnumerable<MetricPoint> Points(IEnumerable<MetricSnapshot> metrics, string name, (string Key, string Value)? where) =>
        metrics.Where(m => m.Name == name).SelectMany(m => m.MetricPoints)
            .Where(p => where is not { } w || HasTag(p, w.Key, w.Value));

    private static bool HasTag(MetricPoint point, string key, string value)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key && Text(tag.Value) == value)
            {
                return true;
            }
        }
        return false;
    }

    private static long Sum(IEnumerable<MetricSnapshot> metrics, string name, (string Key, string Value)? where = null) =>
        Points(metrics, name, where).Sum(p => p.GetSumLong());

    private static long Sum(IEnumerable<MetricSnapshot> metrics, string name, string kind) => Sum(metrics, name, ("file.kind", kind));

    private static List<string> Kinds(IEnumerable<MetricSnapshot> metrics, string name) =>
        [.. Points(metrics, name, null).SelectMany(p => Tags(p)).Where(t => t.Key == "file.kind").Select(t => Text(t.Value)).Distinct()];

    private static List<KeyValuePair<string, object?>> Tags(MetricPoint point)
    {
        var tags = new List<KeyValuePair<string, object?>>();
        foreach (var tag in point.Tags)
        {
            tags.Add(tag);
        }
        return tags;
    }

    private static long HistogramCount(IEnumerable<MetricSnapshot> metrics, string name) => Points(metrics, name, null).Sum(p => p.GetHistogramCount());

    private static double HistogramSum(IEnumerable<MetricSnapshot> metrics, string name) => Points(metrics, name, null).Sum(p => p.GetHistogramSum());
}
