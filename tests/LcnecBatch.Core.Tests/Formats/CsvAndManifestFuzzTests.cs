using System.Text;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Formats;

/// <summary>
/// Real sample-archive bytes, mutated with a fixed seed (byte flips, inserted quotes, commas, line breaks, NUL and
/// 0xFF, deletions, truncations, duplicated lines) and ingested through the real entry point: nothing escapes,
/// a file is quarantined or its counts reconcile with the events it gave, and the same bytes give the same result.
/// </summary>
public class CsvAndManifestFuzzTests
{
    private const int Iterations = 300;

    private static readonly byte[] Inserted = [(byte)'"', (byte)'"', (byte)',', (byte)'\n', (byte)'\r', 0x00, 0xFF, 0xC3, (byte)' '];

    public static TheoryData<string, int> SeedFiles() => new()
    {
        { "2026-10-03/patients.csv", 1301 },
        { "2026-10-03/pathology_reports.csv", 1302 },
        { "2026-10-03/ihc_results.csv", 1303 },
        { "2026-10-05/molecular_results.csv", 1304 },
        { "2026-10-03/manifest.json", 1305 },
    };

    [Theory]
    [MemberData(nameof(SeedFiles))]
    public void Ingest_MutatedSampleFile_NeverThrows_ReconcilesAndIsDeterministic(string file, int seed)
    {
        var original = File.ReadAllBytes(Path.Combine(RepositoryRoot.SampleArchive, file));
        var random = new Random(seed);
        var quarantined = 0;
        var rejected = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var bytes = Mutate(original, random);

            var first = Outcome(file, bytes);
            var second = Outcome(file, bytes);

            Assert.True(first == second, $"iteration {i}: the same bytes read twice differ");
            quarantined += first.Quarantined ? 1 : 0;
            rejected += first.Rejected > 0 ? 1 : 0;
        }
        // The mutations reach both outcomes, so the invariants above were tested on each.
        Assert.InRange(quarantined, 1, Iterations - 1);
        Assert.InRange(rejected, 1, Iterations - 1);
    }

    /// <summary>What one ingestion of the bytes gave, as text; asserts the invariants on the way.</summary>
    private static (string Text, bool Quarantined, int Rejected) Outcome(string file, byte[] bytes)
    {
        var events = new List<TimelineEvent>();
        FileIngestion ingestion;
        try
        {
            ingestion = BatchIngestor.Ingest(new DateOnly(2026, 10, 3), file, new MemoryStream(bytes), events.Add);
        }
        catch (Exception e)
        {
            Assert.Fail($"{e.GetType().Name} escaped for {Convert.ToBase64String(bytes)}: {e.Message}");
            throw;
        }
        if (ingestion.Failure is { } failure)
        {
            Assert.Empty(events);
            Assert.Equal(0, ingestion.RowsRead);
            return ($"failure {failure}", true, 0);
        }
        Assert.Equal(ingestion.RowsRead, ingestion.RowsAccepted + ingestion.RowsRejected);
        // Every accepted CSV row gives exactly one event; a manifest gives none.
        Assert.Equal(ingestion.Kind == BatchFileKind.Manifest ? 0 : ingestion.RowsAccepted, events.Count);
        var text = new StringBuilder($"read {ingestion.RowsRead} rejected {ingestion.RowsRejected}\n");
        foreach (var rejection in ingestion.Rejections)
        {
            Assert.DoesNotContain('\n', rejection.Reason);
            text.Append(rejection).Append('\n');
        }
        foreach (var e in events)
        {
            text.Append(Encoding.UTF8.GetString(TimelineEventJson.ToUtf8(e))).Append('\n');
        }
        if (ingestion.Manifest is { } manifest)
        {
            text.Append(string.Join(",", manifest.Files)).Append(manifest.BatchDate);
        }
        return (text.ToString(), false, ingestion.RowsRejected);
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var mutations = random.Next(1, 5);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                case 2:
                    bytes.Insert(at, Inserted[random.Next(Inserted.Length)]);
                    break;
                case 3:
                    bytes.RemoveAt(at);
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    DuplicateLine(bytes, at);
                    break;
            }
        }
        return [.. bytes];
    }

    private static void DuplicateLine(List<byte> bytes, int at)
    {
        var start = bytes.LastIndexOf((byte)'\n', at) + 1;
        var end = bytes.IndexOf((byte)'\n', at);
        end = end < 0 ? bytes.Count : end + 1;
        bytes.InsertRange(end, bytes.GetRange(start, end - start));
    }
}
