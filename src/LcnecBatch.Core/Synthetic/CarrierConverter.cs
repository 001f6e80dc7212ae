using System.Text;
using System.Text.Json;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats.Csv;
using LcnecBatch.Core.Formats.Fhir;
using LcnecBatch.Core.Formats.Hl7v2;
using LcnecBatch.Core.Pipeline;

namespace LcnecBatch.Core.Synthetic;

/// <summary>The carrier the lab's clinical results arrive in (export-format.md, "Other carriers").</summary>
public enum Carrier { Csv, Hl7, Fhir }

/// <summary>
/// Rewrites a generated archive's signed-out results (pathology, IHC, molecular) in another carrier: one
/// HL7 v2 ORU^R01 batch (<c>lab-results.hl7</c>) or one FHIR R4 Bundle (<c>lab-results.json</c>) per night.
/// <c>patients.csv</c> stays CSV — smoking status, pack-years and care team have no place in either
/// message — and raw NGS files stay as they are. The CSV's deliberately bad rows are not carried over
/// (they are CSV damage), so they leave truth.json's <c>rejectedRows</c> too.
/// </summary>
public static class CarrierConverter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly string[] Converted = ["pathology_reports.csv", "ihc_results.csv", "molecular_results.csv"];

    public static void Convert(string archiveDir, Carrier carrier)
    {
        if (carrier == Carrier.Csv)
        {
            return;
        }
        var target = carrier == Carrier.Hl7 ? "lab-results.hl7" : "lab-results.json";
        foreach (var batch in ArchiveFolder.Discover(archiveDir))
        {
            var events = new List<TimelineEvent>();
            var converted = new List<string>();
            foreach (var name in Converted)
            {
                var path = Path.Combine(batch.Directory, name);
                if (!File.Exists(path))
                {
                    continue;
                }
                ExportFiles.TryGetKind(name, out var kind);
                using (var stream = File.OpenRead(path))
                {
                    CsvExportReader.Read(kind, stream, $"{batch.Name}/{name}", batch.Date, events.Add, _ => { });
                }
                File.Delete(path);
                converted.Add(name);
            }
            if (events.Count > 0)
            {
                var text = carrier == Carrier.Hl7 ? Hl7v2Writer.Write(events) : FhirWriter.Write(events);
                File.WriteAllBytes(Path.Combine(batch.Directory, target), Utf8.GetBytes(text));
            }
            RewriteManifest(Path.Combine(batch.Directory, "manifest.json"), converted, events.Count > 0 ? target : null);
        }
        var truthPath = Path.Combine(archiveDir, TruthFile.FileName);
        if (File.Exists(truthPath))
        {
            var truth = TruthFile.Load(truthPath);
            var kept = truth.RejectedRows.Where(r => !Converted.Any(c => r.Source.EndsWith("/" + c, StringComparison.Ordinal))).ToList();
            File.WriteAllBytes(truthPath, (truth with { RejectedRows = kept }).ToUtf8Bytes());
        }
    }

    private static void RewriteManifest(string path, List<string> converted, string? added)
    {
        if (!File.Exists(path))
        {
            return;
        }
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var files = root.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).Where(f => !converted.Contains(f)).ToList();
        if (added is not null)
        {
            files.Add(added);
        }
        files.Sort(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            foreach (var property in root.EnumerateObject().Where(p => p.Name != "files"))
            {
                property.WriteTo(writer);
            }
            writer.WriteStartArray("files");
            files.ForEach(writer.WriteStringValue);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        File.WriteAllBytes(path, buffer.ToArray());
    }
}
