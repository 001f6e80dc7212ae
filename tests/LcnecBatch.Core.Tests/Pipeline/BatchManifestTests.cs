using System.Text;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Pipeline;

namespace LcnecBatch.Core.Tests.Pipeline;

/// <summary>
/// <c>manifest.json</c> through the real entry point: refused entries name their line, counts reconcile (each
/// <c>files[i]</c> and <c>batchDate</c> is a row), and JSON that cannot be read is quarantined, never thrown.
/// </summary>
public class BatchManifestTests
{
    private const string Source = "2026-11-27/manifest.json";

    private static FileIngestion Ingest(byte[] bytes)
    {
        var events = new List<TimelineEvent>();
        var ingestion = BatchIngestor.Ingest(new DateOnly(2026, 11, 27), Source, new MemoryStream(bytes), events.Add);
        Assert.Empty(events);
        return ingestion;
    }

    private static FileIngestion Ingest(string json) => Ingest(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Ingest_ManifestWithRefusedEntries_NamesTheLineOfEachAndCountsReconcile()
    {
        var ingestion = Ingest("""
            {
              "batchDate": "2026-13-01",
              "source": "LIS-nightly",
              "files": [
                "patients.csv",
                "../2026-11-26/patients.csv",
                42, { "path": "x.csv" },
                "/etc/passwd"
              ]
            }
            """);

        Assert.Null(ingestion.Failure);
        Assert.Equal(
        [
            "2026-11-27/manifest.json:2: column \"batchDate\": value is not a date (expected yyyy-MM-dd)",
            "2026-11-27/manifest.json:6: column \"files[1]\": path leaves the batch folder; not opened",
            "2026-11-27/manifest.json:7: column \"files[2]\": entry is not a string; not opened",
            "2026-11-27/manifest.json:7: column \"files[3]\": entry is not a string; not opened",
            "2026-11-27/manifest.json:8: column \"files[4]\": path is absolute or not a plain relative path; not opened",
        ], ingestion.Rejections.Select(r => r.ToString()));
        Assert.Equal(["patients.csv"], ingestion.Manifest!.Files);
        Assert.Equal((6, 1, 5), (ingestion.RowsRead, ingestion.RowsAccepted, ingestion.RowsRejected));
    }

    [Fact]
    public void Ingest_CleanManifestWithBom_CountsEachFileAndTheBatchDateAsAcceptedRows()
    {
        var ingestion = Ingest([.. Encoding.UTF8.GetPreamble(), .. """{ "batchDate": "2026-11-27", "files": ["patients.csv", "ngs/S26-04417.vcf.gz"] }"""u8.ToArray()]);

        Assert.Null(ingestion.Failure);
        Assert.Equal(new DateOnly(2026, 11, 27), ingestion.Manifest!.BatchDate);
        Assert.Equal((3, 3, 0), (ingestion.RowsRead, ingestion.RowsAccepted, ingestion.RowsRejected));
    }

    public static TheoryData<byte[], string> Unreadable() => new()
    {
        { [.. "{ \"files\": [\n  \"pat"u8.ToArray(), 0xC3, 0x28, .. "ients.csv\"] }"u8.ToArray()], "2026-11-27/manifest.json:2: manifest is not valid UTF-8" },
        { [.. "{ \"files\": [\"a.csv\"] }\n"u8.ToArray(), 0xFF], "2026-11-27/manifest.json:2: manifest is not valid UTF-8" },
        { Encoding.UTF8.GetBytes("{ \"files\": [], \"x\": " + new string('[', 100) + new string(']', 100) + " }"), "2026-11-27/manifest.json:1: manifest is not valid JSON (byte 83 of the line)" },
        { Encoding.UTF8.GetBytes("{ \"files\": [\"a.csv\"],\n\"x\": \"" + new string('a', BatchManifest.MaxBytes) + "\" }"), "2026-11-27/manifest.json: manifest is larger than 1048576 bytes" },
        { "{ \"files\": [\"a\\ud800.csv\"] }"u8.ToArray(), "2026-11-27/manifest.json:1: manifest holds a string that is not valid Unicode" },
        { "{ \"files\": [],\n  \"files\": [\"a.csv\"] }"u8.ToArray(), "2026-11-27/manifest.json:2: manifest names \"files\" twice" },
        { "{ \"files\": \"patients.csv\" }"u8.ToArray(), "2026-11-27/manifest.json:1: manifest has no \"files\" array" },
        { "{ \"batchDate\": \"2026-11-27\" }"u8.ToArray(), "2026-11-27/manifest.json:1: manifest has no \"files\" array" },
        { "[\"patients.csv\"]"u8.ToArray(), "2026-11-27/manifest.json:1: manifest must be a JSON object" },
        { ""u8.ToArray(), "2026-11-27/manifest.json:1: manifest is not valid JSON (byte 0 of the line)" },
        { "{ \"files\": [\"a.csv\"] }\n}"u8.ToArray(), "2026-11-27/manifest.json:2: manifest is not valid JSON (byte 0 of the line)" },
        { "{ \"files\": [\"a.csv\"\n"u8.ToArray(), "2026-11-27/manifest.json:2: manifest is not valid JSON (byte 0 of the line)" },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void Ingest_UnreadableManifest_IsQuarantinedWithLineAndReason(byte[] bytes, string expected)
    {
        var ingestion = Ingest(bytes);

        Assert.Equal(expected, ingestion.Failure?.ToString());
        Assert.Empty(ingestion.Rejections);
    }
}
