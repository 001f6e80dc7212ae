using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LcnecBatch.Azure.Tests.TestData;

/// <summary>
/// Writes one nightly batch folder in the canonical format: the four CSV files (only those given rows), raw
/// NGS files and a manifest listing them all. Quoting follows RFC 4180.
/// </summary>
internal sealed class BatchBuilder(DateOnly date)
{
    private readonly Dictionary<string, List<string?[]>> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    private static readonly Dictionary<string, string[]> Headers = new(StringComparer.Ordinal)
    {
        ["patients.csv"] = ["mrn", "sex", "birth_date", "smoking_status", "care_team"],
        ["pathology_reports.csv"] = ["accession", "mrn", "report_date", "specimen_site", "final_diagnosis", "stage", "report_status"],
        ["ihc_results.csv"] = ["accession", "mrn", "result_date", "marker", "clone", "result"],
        ["molecular_results.csv"] = ["accession", "mrn", "result_date", "method", "gene", "result", "alteration", "file"],
    };

    public DateOnly Date => date;

    public string Name => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public BatchBuilder Patient(string mrn, string sex, string birthDate, string smoking, string careTeam = "thoracic-onc-tj") =>
        Row("patients.csv", mrn, sex, birthDate, smoking, careTeam);

    /// <param name="status">report_status: <c>amended</c> or <c>corrected</c> supersede the accession's earlier diagnosis.</param>
    public BatchBuilder Report(string accession, string mrn, DateOnly reportDate, string diagnosis, string? stage = "IVB",
        string site = "Lung, right upper lobe, CT-guided core biopsy", string? status = null) =>
        Row("pathology_reports.csv", accession, mrn, Iso(reportDate), site, diagnosis, stage, status);

    public BatchBuilder Ihc(string accession, string mrn, DateOnly resultDate, string result, string marker = "ALK", string? clone = "D5F3") =>
        Row("ihc_results.csv", accession, mrn, Iso(resultDate), marker, clone, result);

    public BatchBuilder Molecular(string accession, string mrn, DateOnly resultDate, string result, string? alteration = null, string? file = null) =>
        Row("molecular_results.csv", accession, mrn, Iso(resultDate), "NGS", "ALK", result, alteration, file);

    /// <summary>A raw VCF from a caller that calls structural variants (its header says so) and found nothing: an ALK fusion test.</summary>
    public BatchBuilder RawVcf(string accession) =>
        File($"ngs/{accession}.vcf", Encoding.UTF8.GetBytes(
            "##fileformat=VCFv4.2\n##INFO=<ID=SVTYPE,Number=1,Type=String,Description=\"Type of structural variant\">\n"
            + "##ALT=<ID=BND,Description=\"Breakend\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"));

    /// <summary>Any file, as bytes: a corrupt one, or one the manifest should not know.</summary>
    public BatchBuilder File(string pathInBatch, byte[] bytes)
    {
        _files[pathInBatch] = bytes;
        return this;
    }

    /// <summary>Writes <c>{root}/{yyyy-MM-dd}/...</c>; files given as bytes replace generated ones of the same name.</summary>
    public void WriteTo(string root)
    {
        var folder = Path.Combine(root, Name);
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (name, rows) in _rows)
        {
            var text = new StringBuilder().Append(string.Join(',', Headers[name])).Append('\n');
            rows.ForEach(row => text.Append(string.Join(',', row.Select(Quote))).Append('\n'));
            files[name] = Encoding.UTF8.GetBytes(text.ToString());
        }
        foreach (var (name, bytes) in _files)
        {
            files[name] = bytes;
        }
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new { batchDate = Name, source = "LIS-nightly", files = files.Keys.ToArray() });
        files["manifest.json"] = manifest;
        foreach (var (name, bytes) in files)
        {
            var path = Path.Combine(folder, name.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            System.IO.File.WriteAllBytes(path, bytes);
        }
    }

    private BatchBuilder Row(string file, params string?[] values)
    {
        if (!_rows.TryGetValue(file, out var rows))
        {
            _rows[file] = rows = [];
        }
        rows.Add(values);
        return this;
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Quote(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
