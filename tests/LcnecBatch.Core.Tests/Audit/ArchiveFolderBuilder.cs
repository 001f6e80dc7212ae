using System.Text;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Audit;

/// <summary>
/// Writes an archive of batch folders row by row: each row lands in the batch of its own date (or
/// <c>known</c>) under the canonical header of its file. Cells are always quoted, so any text goes.
/// </summary>
internal sealed class ArchiveFolderBuilder : IDisposable
{
    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["patients.csv"] = "mrn,sex,birth_date,smoking_status,care_team",
        ["pathology_reports.csv"] = "accession,mrn,report_date,final_diagnosis,stage",
        ["ihc_results.csv"] = "accession,mrn,result_date,marker,clone,result",
        ["molecular_results.csv"] = "accession,mrn,result_date,method,gene,result,alteration",
    };

    private readonly TempFolder _folder = new();
    private readonly SortedDictionary<string, StringBuilder> _files = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, byte[]> _rawFiles = new(StringComparer.Ordinal);

    public string Path => _folder.Path;

    /// <summary>Empty strings are unknown values (an empty cell).</summary>
    public ArchiveFolderBuilder Patient(DateOnly known, string mrn, string sex = "", string birth = "", string smoking = "") =>
        Row(known, "patients.csv", mrn, sex, birth, smoking, "thoracic-onc");

    public ArchiveFolderBuilder Report(DateOnly date, string mrn, string accession, string diagnosis = "Lung, biopsy: large cell neuroendocrine carcinoma.", string stage = "IVB") =>
        Row(date, "pathology_reports.csv", accession, mrn, Iso(date), diagnosis, stage);

    public ArchiveFolderBuilder AlkIhc(DateOnly date, string mrn, string accession, string result, string clone = "D5F3", DateOnly? known = null) =>
        Row(known ?? date, "ihc_results.csv", accession, mrn, Iso(date), "ALK", clone, result);

    public ArchiveFolderBuilder Molecular(DateOnly date, string mrn, string accession, string result, string alteration = "", string method = "NGS", DateOnly? known = null) =>
        Row(known ?? date, "molecular_results.csv", accession, mrn, Iso(date), method, "ALK", result, alteration);

    /// <summary>A raw NGS file, <c>{batch}/ngs/{name}</c>, written byte for byte.</summary>
    public ArchiveFolderBuilder RawFile(DateOnly batch, string name, byte[] bytes)
    {
        _rawFiles[$"{Iso(batch)}/ngs/{name}"] = bytes;
        return this;
    }

    /// <summary>A line of a care-team response file, <c>responses/{recorded}/{file}</c> (outside every batch), as written.</summary>
    public ArchiveFolderBuilder ResponseLine(DateOnly recorded, string jsonLine, string file = "inbox.jsonl")
    {
        var relative = $"responses/{Iso(recorded)}/{file}";
        _rawFiles[relative] = [.. _rawFiles.GetValueOrDefault(relative) ?? [], .. Encoding.UTF8.GetBytes(jsonLine + "\n")];
        return this;
    }

    /// <summary>An empty batch: a night with nothing new still moves the replay on.</summary>
    public ArchiveFolderBuilder Night(DateOnly date)
    {
        Directory.CreateDirectory(System.IO.Path.Combine(Path, Iso(date)));
        return this;
    }

    public string Build()
    {
        foreach (var (relative, text) in _files)
        {
            _folder.Write(relative, text.ToString());
        }
        foreach (var (relative, bytes) in _rawFiles)
        {
            var full = System.IO.Path.Combine(Path, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, bytes);
        }
        return Path;
    }

    public void Dispose() => _folder.Dispose();

    private ArchiveFolderBuilder Row(DateOnly batch, string file, params string[] cells)
    {
        var relative = $"{Iso(batch)}/{file}";
        if (!_files.TryGetValue(relative, out var text))
        {
            _files[relative] = text = new StringBuilder(Headers[file]).Append('\n');
        }
        text.Append(string.Join(',', cells.Select(c => c.Length == 0 ? "" : $"\"{c.Replace("\"", "\"\"", StringComparison.Ordinal)}\""))).Append('\n');
        return this;
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
