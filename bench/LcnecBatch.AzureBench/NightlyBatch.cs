using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LcnecBatch.AzureBench;

/// <summary>
/// One large nightly batch in the canonical format: <c>patients.csv</c>, <c>pathology_reports.csv</c> with the
/// asked number of rows (two reports per patient, one patient in fifty with LCNEC), <c>molecular_results.csv</c>
/// naming the raw NGS files, the raw files themselves, and the manifest. Seeded: one size, one batch.
/// </summary>
internal static class NightlyBatch
{
    public static readonly DateOnly Date = new(2026, 11, 27);

    private static readonly string[] Diagnoses =
    [
        "Adenocarcinoma, acinar predominant.",
        "Squamous cell carcinoma, moderately differentiated.",
        "Benign lung parenchyma with organizing pneumonia.",
        "Small cell carcinoma.",
        "Atypical carcinoid tumor.",
    ];

    /// <summary>
    /// A small later batch, <paramref name="night"/> days after <see cref="Date"/>: <paramref name="patientCount"/> new
    /// patients with one report each and no LCNEC, so it touches none of the first batch's patients; whatever a
    /// night's screening walks beyond them is the watched patients' cost.
    /// </summary>
    public static (DateOnly Date, IReadOnlyDictionary<string, byte[]> Files) Night(int night, int patientCount, int seed = 11)
    {
        var random = new Random(seed + night);
        var date = Date.AddDays(night);
        var patients = new StringBuilder("mrn,sex,birth_date,smoking_status,care_team\n");
        var reports = new StringBuilder("accession,mrn,report_date,specimen_site,final_diagnosis,stage\n");
        for (var p = 0; p < patientCount; p++)
        {
            var mrn = (800000 + night * 10_000 + p).ToString(CultureInfo.InvariantCulture);
            patients.Append(CultureInfo.InvariantCulture, $"{mrn},{(random.Next(2) == 0 ? "F" : "M")},19{random.Next(30, 80)}-0{random.Next(1, 10)}-1{random.Next(0, 10)},former,thoracic-onc-{p % 4}\n");
            reports.Append(CultureInfo.InvariantCulture, $"S26-N{night:D3}{p:D5},{mrn},{date.AddDays(-1):yyyy-MM-dd},Lung,\"{Diagnoses[random.Next(Diagnoses.Length)]}\",IIA\n");
        }
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["patients.csv"] = Encoding.UTF8.GetBytes(patients.ToString()),
            ["pathology_reports.csv"] = Encoding.UTF8.GetBytes(reports.ToString()),
        };
        files["manifest.json"] = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["batchDate"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["source"] = "bench",
            ["files"] = files.Keys.ToArray(),
        });
        return (date, files);
    }

    public static IReadOnlyDictionary<string, byte[]> Files(int reportRows, int rawFiles, int seed = 7)
    {
        var random = new Random(seed);
        var patients = new StringBuilder("mrn,sex,birth_date,smoking_status,care_team\n");
        var reports = new StringBuilder("accession,mrn,report_date,specimen_site,final_diagnosis,stage\n");
        var molecular = new StringBuilder("accession,mrn,result_date,method,gene,result,alteration,file\n");
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var patientCount = (reportRows + 1) / 2;
        for (var p = 0; p < patientCount; p++)
        {
            var mrn = (700000 + p).ToString(CultureInfo.InvariantCulture);
            patients.Append(CultureInfo.InvariantCulture, $"{mrn},{(random.Next(2) == 0 ? "F" : "M")},19{random.Next(30, 80)}-0{random.Next(1, 10)}-1{random.Next(0, 10)},{(random.Next(3) == 0 ? "never" : "former")},thoracic-onc-{p % 4}\n");
            var lcnec = p % 50 == 0;
            for (var r = 0; r < 2 && p * 2 + r < reportRows; r++)
            {
                var diagnosis = lcnec && r == 0 ? "Lung, right upper lobe:\\n- Large cell neuroendocrine carcinoma." : Diagnoses[random.Next(Diagnoses.Length)];
                var reportDate = Date.AddDays(-random.Next(1, 60));
                reports.Append(CultureInfo.InvariantCulture, $"S26-{p:D6}{r},{mrn},{reportDate:yyyy-MM-dd},Lung,\"{diagnosis.Replace("\\n", "\n", StringComparison.Ordinal)}\",{(random.Next(2) == 0 ? "IVB" : "IIA")}\n");
            }
        }
        for (var f = 0; f < rawFiles; f++)
        {
            var patient = f * 50 % patientCount;
            var accession = $"M26-{f:D6}";
            var path = $"ngs/{accession}.vcf";
            molecular.Append(CultureInfo.InvariantCulture, $"{accession},{700000 + patient},{Date.AddDays(-2):yyyy-MM-dd},NGS,ALK,not_detected,,{path}\n");
            files[path] = Encoding.UTF8.GetBytes($"##fileformat=VCFv4.2\n##source=bench-{f}\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
        }
        files["patients.csv"] = Encoding.UTF8.GetBytes(patients.ToString());
        files["pathology_reports.csv"] = Encoding.UTF8.GetBytes(reports.ToString());
        files["molecular_results.csv"] = Encoding.UTF8.GetBytes(molecular.ToString());
        files["manifest.json"] = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["batchDate"] = Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["source"] = "bench",
            ["files"] = files.Keys.Where(k => k != "manifest.json").ToArray(),
        });
        return files;
    }
}
