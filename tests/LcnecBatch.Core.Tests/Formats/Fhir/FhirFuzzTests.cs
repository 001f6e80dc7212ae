using System.Text;
using System.Text.Json.Nodes;
using LcnecBatch.Core.Formats.Fhir;
using LcnecBatch.Core.Tests.Formats.Hl7v2;

namespace LcnecBatch.Core.Tests.Formats.Fhir;

/// <summary>
/// Mutated FHIR JSON (the public examples of <c>../shared/corpus/fhir</c>, read in place, and the repository's own
/// writer output), as a Bundle (<c>*.json</c>) and as bulk NDJSON, through the real entry point: see
/// <see cref="LabFuzz"/> for what every mutant is held to.
/// </summary>
public class FhirFuzzTests
{
    private const int Iterations = 300;

    private static readonly byte[][] Tokens =
    [
        .. "{}[]\",:\\\r\n".Select(c => new[] { (byte)c }),
        [0x00], [0xFF], [0xC0], [0xED, 0xA0, 0x80], [0xEF, 0xBB, 0xBF],
        LabFuzz.Ascii("\\udc00"), LabFuzz.Ascii("\\ud800"), LabFuzz.Ascii("\"\\udc00\""), LabFuzz.Ascii("1e400"), LabFuzz.Ascii("-1e-400"),
        LabFuzz.Ascii(new string('9', 40)), LabFuzz.Ascii("\"resourceType\":\"Patient\","), LabFuzz.Ascii(new string('[', 70)),
        LabFuzz.Ascii("null"), LabFuzz.Ascii("\"\""), LabFuzz.Ascii("true"),
    ];

    /// <summary>The names and identifiers of the Patients of a Bundle: what no reason may quote.</summary>
    private static List<string> PatientData(string bundle)
    {
        var secrets = new List<string>();
        foreach (var resource in Resources(bundle).Where(r => (string?)r["resourceType"] == "Patient"))
        {
            var names = resource["name"]?.AsArray().SelectMany(n => new[] { n?["family"] }.Concat(n?["given"]?.AsArray() ?? [])) ?? [];
            var ids = resource["identifier"]?.AsArray().Select(i => i?["value"]) ?? [];
            secrets.AddRange(names.Concat(ids).Select(v => (string?)v).OfType<string>().Where(v => v.Length >= 4 && v != "Patient"));
        }
        return secrets;
    }

    private static IEnumerable<JsonObject> Resources(string bundle) =>
        JsonNode.Parse(bundle)!["entry"]?.AsArray().Select(e => e?["resource"]).OfType<JsonObject>() ?? [];

    /// <summary>The Bundle's resources as a bulk export: one per line.</summary>
    private static string Ndjson(string bundle) => string.Concat(Resources(bundle).Select(r => r.ToJsonString() + "\n"));

    private static string Generated() => FhirWriter.Write(LabFacts.Sample());

    private static string Corpus() => File.ReadAllText(LabCorpus.File("fhir", "Bundle-us-pathology-exchange-bundle-example.json"));

    private static readonly string[] GeneratedSecrets = ["900001", "900002", "neuroendocrine", "S26-04417"];

    [Fact]
    public void Ingest_MutatedWriterBundle_NeverThrows_Reconciles_IsRepeatable_AndQuotesNoPatientData()
    {
        LabFuzz.Check("x.json", Encoding.UTF8.GetBytes(Generated()), randomSeed: 31, Iterations, Tokens, GeneratedSecrets);
    }

    [Fact]
    public void Ingest_MutatedWriterNdjson_NeverThrows_Reconciles_IsRepeatable_AndQuotesNoPatientData()
    {
        LabFuzz.Check("x.ndjson", Encoding.UTF8.GetBytes(Ndjson(Generated())), randomSeed: 32, Iterations, Tokens, GeneratedSecrets);
    }

    [LabCorpusFact("fhir")]
    public void Ingest_MutatedCorpusBundle_NeverThrows_Reconciles_IsRepeatable_AndQuotesNoPatientData()
    {
        var bundle = Corpus();

        LabFuzz.Check("x.json", Encoding.UTF8.GetBytes(bundle), randomSeed: 33, Iterations, Tokens, PatientData(bundle));
    }

    [LabCorpusFact("fhir")]
    public void Ingest_MutatedCorpusNdjson_NeverThrows_Reconciles_IsRepeatable_AndQuotesNoPatientData()
    {
        var bundle = Corpus();

        // Every line of a mutant is a whole resource through the SDK (about 20 ms a read of the ten): fewer mutants.
        LabFuzz.Check("x.ndjson", Encoding.UTF8.GetBytes(Ndjson(bundle)), randomSeed: 34, Iterations / 2, Tokens, PatientData(bundle));
    }

    [LabCorpusFact("fhir")]
    public void Ingest_MutatedCorpusSingleResources_NeverThrow_Reconcile_AreRepeatable()
    {
        var files = Directory.GetFiles(Path.Combine(LabCorpus.Folder("fhir")!, "ihe-sdc-ecc"), "*.json").Order(StringComparer.Ordinal);

        var problems = files.SelectMany((file, i) => LabFuzz.Run("x.json", File.ReadAllBytes(file), randomSeed: 40 + i, Iterations / 3, Tokens, [])).ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
