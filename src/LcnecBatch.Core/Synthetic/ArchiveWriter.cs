using System.Globalization;
using System.Text;
using System.Text.Json;
using LcnecBatch.Core.Formats.Csv;

namespace LcnecBatch.Core.Synthetic;

/// <summary>
/// Writes the planned archive: a folder per batch date with its CSV files, raw NGS files and, last, its
/// manifest. UTF-8 without BOM, <c>\n</c> line breaks, rows in a stable order.
/// </summary>
internal sealed class ArchiveWriter(SyntheticArchive archive, GeneratorOptions options, string outDir)
{
    public const string Source = "LIS-nightly";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public List<TruthRejectedRow> Rejected { get; } = [];

    public int Batches { get; private set; }

    public int Files { get; private set; }

    public long Bytes { get; private set; }

    public void Write()
    {
        var demographics = archive.Demographics.ToLookup(r => r.Batch);
        var reports = archive.Reports.ToLookup(r => r.Batch);
        var ihc = archive.Ihc.ToLookup(r => r.Batch);
        var molecular = archive.Molecular.ToLookup(r => r.Batch);
        var raw = archive.RawFiles.ToLookup(r => r.Batch);
        var bad = archive.BadRows.ToLookup(r => (r.Batch, r.File));
        for (var day = options.Start; day <= options.End; day = day.AddDays(1))
        {
            var name = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var folder = Path.Combine(outDir, name);
            Directory.CreateDirectory(folder);
            var files = new List<string>();
            WriteCsv(folder, name, "patients.csv", CsvCells.PatientsHeader,
                demographics[day].OrderBy(r => r.Mrn, StringComparer.Ordinal), CsvCells.Of, bad[(day, ExportFileKind.Patients)], files);
            WriteCsv(folder, name, "pathology_reports.csv", CsvCells.ReportsHeader,
                reports[day].OrderBy(r => r.Date).ThenBy(r => r.Specimen.Accession, StringComparer.Ordinal), CsvCells.Of,
                bad[(day, ExportFileKind.PathologyReports)], files);
            WriteCsv(folder, name, "ihc_results.csv", CsvCells.IhcHeader,
                ihc[day].OrderBy(r => r.Date).ThenBy(r => r.Specimen.Accession, StringComparer.Ordinal), CsvCells.Of,
                bad[(day, ExportFileKind.IhcResults)], files);
            WriteCsv(folder, name, "molecular_results.csv", CsvCells.MolecularHeader,
                molecular[day].OrderBy(r => r.Date).ThenBy(r => r.Specimen.Accession, StringComparer.Ordinal), CsvCells.Of,
                bad[(day, ExportFileKind.MolecularResults)], files);
            foreach (var file in raw[day].OrderBy(f => f.RelativePath, StringComparer.Ordinal))
            {
                Directory.CreateDirectory(Path.Combine(folder, "ngs"));
                var relative = file.RelativePath;
                var text = file.Format switch
                {
                    "arriba" => FusionTableContent.Arriba(file),
                    "star-fusion" => FusionTableContent.StarFusion(file),
                    _ => VcfContent.Write(file),
                };
                Save(Path.Combine(folder, relative), Utf8.GetBytes(text));
                files.Add(relative);
            }
            Save(Path.Combine(folder, "manifest.json"), Manifest(name, files));
            Batches++;
        }
    }

    public void Save(string path, byte[] content)
    {
        File.WriteAllBytes(path, content);
        Files++;
        Bytes += content.Length;
    }

    private void WriteCsv<T>(string folder, string batch, string fileName, string[] header, IEnumerable<T> rows, Func<T, string[]> cells,
        IEnumerable<BadRow> badRows, List<string> files) where T : class
    {
        var records = new List<(string[] Cells, string? BadColumn)>();
        var pending = badRows.ToList();
        foreach (var row in rows)
        {
            records.Add((cells(row), null));
            foreach (var bad in pending.Where(r => ReferenceEquals(r.After, row)).ToList())
            {
                records.Add((bad.Cells(), bad.Column));
                pending.Remove(bad);
            }
        }
        records.AddRange(pending.Select(r => (r.Cells(), (string?)r.Column)));
        if (records.Count == 0)
        {
            return;
        }
        var text = new StringBuilder();
        CsvCells.AppendRecord(text, header);
        text.Append('\n');
        var line = 2;
        foreach (var (record, badColumn) in records)
        {
            if (badColumn is not null)
            {
                Rejected.Add(new TruthRejectedRow($"{batch}/{fileName}", line, badColumn));
            }
            CsvCells.AppendRecord(text, record);
            text.Append('\n');
            // A quoted cell that spans lines moves every later record further down the file.
            line += 1 + record.Sum(c => c.Count(ch => ch == '\n'));
        }
        Save(Path.Combine(folder, fileName), Utf8.GetBytes(text.ToString()));
        files.Add(fileName);
    }

    private static byte[] Manifest(string batch, List<string> files)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteString("batchDate", batch);
            json.WriteString("source", Source);
            json.WriteStartArray("files");
            foreach (var file in files)
            {
                json.WriteStringValue(file);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
