using System.Text.Json.Nodes;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats.Csv;
using LcnecBatch.Core.Formats.Fhir;
using LcnecBatch.Core.Formats.Hl7v2;
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

    /// <summary>Every pathology report version of an archive as read back: accession, batch, date, whether it amends, and its whole text.</summary>
    private static List<string> ReportVersionsAsRead(string archive, Carrier carrier)
    {
        var read = new List<string>();
        void Add(TimelineEvent e)
        {
            if (e is PathologyReported r)
            {
                read.Add($"{r.Accession} {r.KnownOn:yyyy-MM-dd} {r.ReportDate:yyyy-MM-dd} amends={r.Amends}\n{r.FinalDiagnosis}");
            }
        }
        foreach (var batch in Directory.EnumerateDirectories(archive).Where(d => Path.GetFileName(d) != "responses").Order(StringComparer.Ordinal))
        {
            var date = DateOnly.ParseExact(Path.GetFileName(batch), "yyyy-MM-dd", null);
            var (file, reader) = carrier switch
            {
                Carrier.Csv => ("pathology_reports.csv", (Action<Stream>)(s => CsvExportReader.Read(ExportFileKind.PathologyReports, s, "r", date, Add, _ => { }))),
                Carrier.Hl7 => ("lab-results.hl7", s => Hl7v2ExportReader.Read(s, "r", date, Add, _ => { })),
                _ => ("lab-results.json", s => FhirExportReader.Read(s, "r", date, Add, _ => { }, ndjson: false)),
            };
            var path = Path.Combine(batch, file);
            if (File.Exists(path))
            {
                using var stream = File.OpenRead(path);
                reader(stream);
            }
        }
        return [.. read.Order(StringComparer.Ordinal)];
    }

    [Fact]
    public void Convert_WholeMultiSectionReports_CarryEverySectionThroughHl7AndFhir()
    {
        using var folder = new TempFolder();
        var options = new GeneratorOptions { Patients = 120, Days = 30, Seed = 14 };
        var archives = new Dictionary<Carrier, string>();
        foreach (var carrier in Enum.GetValues<Carrier>())
        {
            archives[carrier] = Path.Combine(folder.Path, carrier.ToString());
            ArchiveGenerator.Generate(options, archives[carrier]);
            CarrierConverter.Convert(archives[carrier], carrier);
        }

        var csv = ReportVersionsAsRead(archives[Carrier.Csv], Carrier.Csv);

        Assert.Contains(csv, r => r.Contains("amends=True", StringComparison.Ordinal));
        Assert.Contains(csv, r => r.Contains("\nCLINICAL HISTORY", StringComparison.OrdinalIgnoreCase) && r.Contains("\nDISCLAIMER", StringComparison.OrdinalIgnoreCase));
        // The CSV's bad rows are CSV damage and are not carried over: compare the reports every carrier holds.
        var hl7 = ReportVersionsAsRead(archives[Carrier.Hl7], Carrier.Hl7);
        var fhir = ReportVersionsAsRead(archives[Carrier.Fhir], Carrier.Fhir);
        Assert.Equal(csv, hl7);
        Assert.Equal(csv, fhir);
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
        // Raised, reminded and resolved on the same days: a withdrawn LCNEC (amended report, HL7 OBR-25 C, FHIR amended) resolves alike.
        static string Event(AlertEvent e) => $"{e.On:yyyy-MM-dd} {e.MessageId}";
        Assert.Contains(csv.Run.AlertEvents, e => e.Kind == AlertEventKind.Resolved && e.Alert.RuleId == "ALK_TEST_MISSING");
        Assert.Equal(csv.Run.AlertEvents.Select(Event).Order(StringComparer.Ordinal), hl7.Run.AlertEvents.Select(Event).Order(StringComparer.Ordinal));
        Assert.Equal(csv.Run.AlertEvents.Select(Event).Order(StringComparer.Ordinal), fhir.Run.AlertEvents.Select(Event).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(hl7.Run.Files.SelectMany(f => f.Rejections), r => !r.File.EndsWith("patients.csv", StringComparison.Ordinal));
        Assert.DoesNotContain(fhir.Run.Files.SelectMany(f => f.Rejections), r => !r.File.EndsWith("patients.csv", StringComparison.Ordinal));
    }
}
