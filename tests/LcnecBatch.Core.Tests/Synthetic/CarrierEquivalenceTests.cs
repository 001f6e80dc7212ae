using System.Text.Json.Nodes;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Synthetic;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Synthetic;

/// <summary>The same patients delivered as canonical CSV, as HL7 v2 and as FHIR R4 give the same alerts.</summary>
public class CarrierEquivalenceTests
{
    private static (RunResult Run, string[] Files) Screen(Carrier carrier, TempFolder folder)
    {
        var archive = Path.Combine(folder.Path, carrier.ToString());
        ArchiveGenerator.Generate(new GeneratorOptions { Patients = 200, Days = 25, Seed = 5 }, archive);
        CarrierConverter.Convert(archive, carrier);
        var files = Directory.EnumerateFiles(archive, "*", SearchOption.AllDirectories).Select(Path.GetFileName).OfType<string>().ToArray();
        return (LocalRun.Screen(archive, null, new ScreeningOptions()), files);
    }

    /// <summary>An alert without what must differ by carrier: where each piece of evidence was read.</summary>
    private static string WithoutSources(Alert alert)
    {
        var json = JsonNode.Parse(AlertJson.ToUtf8(alert))!.AsObject();
        foreach (var evidence in json["evidence"]!.AsArray())
        {
            evidence!.AsObject().Remove("source");
            evidence.AsObject().Remove("line");
        }
        // A report-level care_team override has no slot in HL7 v2 or FHIR; the patient's team is used there.
        json.Remove("careTeam");
        return json.ToJsonString();
    }

    [Fact]
    public void Screen_SamePatientsAsCsvHl7AndFhir_GivesIdenticalAlerts()
    {
        using var folder = new TempFolder();

        var csv = Screen(Carrier.Csv, folder);
        var hl7 = Screen(Carrier.Hl7, folder);
        var fhir = Screen(Carrier.Fhir, folder);

        Assert.Contains("lab-results.hl7", hl7.Files);
        Assert.DoesNotContain("pathology_reports.csv", hl7.Files);
        Assert.Contains("lab-results.json", fhir.Files);
        Assert.NotEmpty(csv.Run.Alerts);
        Assert.Equal(csv.Run.Alerts.Select(WithoutSources), hl7.Run.Alerts.Select(WithoutSources));
        Assert.Equal(csv.Run.Alerts.Select(WithoutSources), fhir.Run.Alerts.Select(WithoutSources));
        Assert.Equal(csv.Run.AlertEvents.Count, hl7.Run.AlertEvents.Count);
        Assert.DoesNotContain(hl7.Run.Files.SelectMany(f => f.Rejections), r => !r.File.EndsWith("patients.csv", StringComparison.Ordinal));
        Assert.DoesNotContain(fhir.Run.Files.SelectMany(f => f.Rejections), r => !r.File.EndsWith("patients.csv", StringComparison.Ordinal));
    }
}
