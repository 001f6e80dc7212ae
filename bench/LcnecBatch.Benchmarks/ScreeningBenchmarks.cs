using BenchmarkDotNet.Attributes;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Timeline;

namespace LcnecBatch.Benchmarks;

/// <summary>
/// The seven rules over one LCNEC patient's timeline as of a date (diagnosis, ALK IHC, a signed-out NGS panel, a raw
/// VCF with an EML4–ALK call, a re-biopsy with G1202R): what the nightly job pays per patient per day, facts
/// derivation included, and the rules alone on facts already derived.
/// </summary>
[MemoryDiagnoser]
public class ScreeningBenchmarks
{
    private static readonly DateOnly Dx = new(2026, 3, 2);

    private readonly Screener _screener = new(new ScreeningOptions());
    private PatientTimeline _timeline = null!;
    private PatientFacts _facts = null!;

    [GlobalSetup]
    public void Setup()
    {
        var store = new TimelineStore();
        var line = 1;
        SourceRef At(DateOnly day, string file) => new($"{day:yyyy-MM-dd}/{file}", ++line);
        store.Add(new DemographicsRecorded { KnownOn = Dx, Source = At(Dx, "patients.csv"), Mrn = "100234", Sex = Sex.Female, BirthDate = new(1971, 4, 2), Smoking = SmokingStatus.Never, CareTeam = "thoracic-onc" });
        store.Add(new PathologyReported
        {
            KnownOn = Dx,
            Source = At(Dx, "pathology_reports.csv"),
            Mrn = "100234",
            Accession = "S26-1",
            ReportDate = Dx,
            Stage = "IVB",
            FinalDiagnosis = "Lung, right upper lobe, core biopsy:\n- Large cell neuroendocrine carcinoma.\nComment: Ki-67 about 80%; ALK (D5F3) is ordered.",
        });
        store.Add(new IhcResulted { KnownOn = Dx.AddDays(5), Source = At(Dx.AddDays(5), "ihc_results.csv"), Mrn = "100234", Accession = "S26-1", ResultDate = Dx.AddDays(5), Marker = "ALK", AntibodyClone = "D5F3", Result = IhcResult.Positive });
        store.Add(new MolecularResulted { KnownOn = Dx.AddDays(12), Source = At(Dx.AddDays(12), "molecular_results.csv"), Mrn = "100234", Accession = "M26-1", ResultDate = Dx.AddDays(12), Method = MolecularMethod.Ngs, Gene = "ALK", Result = MolecularResult.Detected, Alteration = "EML4-ALK fusion (E13:A20)" });
        store.Add(new RawNgsFileArrived
        {
            KnownOn = Dx.AddDays(12),
            Source = new SourceRef($"{Dx.AddDays(12):yyyy-MM-dd}/ngs/M26-1.vcf.gz", 0),
            Accession = "M26-1",
            Kind = RawNgsKind.Vcf,
            ContentHash = "a",
            Fusions = [new FusionDetail { Partner = "EML4", PartnerExon = 13, AlkExon = 20, Variant = "v1", VariantClass = "long", Caller = "manta", Breakpoints = ["chr2:42296000", "chr2:29224000"], Build = "GRCh38", Line = 40 }],
        });
        store.Add(new MolecularResulted { KnownOn = Dx.AddDays(200), Source = At(Dx.AddDays(200), "molecular_results.csv"), Mrn = "100234", Accession = "M26-2", ResultDate = Dx.AddDays(200), Method = MolecularMethod.Ngs, Gene = "ALK", Result = MolecularResult.Detected, Alteration = "ALK G1202R" });
        _timeline = store.Timeline("100234", Dx.AddDays(210))!;
        _facts = new PatientFacts(_timeline, _screener.Options);
    }

    [Benchmark(Description = "Screener.Screen, one patient-day (facts derived)")]
    public int ScreenTimeline() => _screener.Screen(_timeline).Count();

    [Benchmark(Description = "Screener.Screen, one patient-day (facts given)")]
    public int ScreenFacts() => _screener.Screen(_facts).Count();

    /// <summary>Each rule alone on the same facts, to see where a patient-day goes.</summary>
    [Benchmark(Description = "one rule, facts given")]
    [ArgumentsSource(nameof(Rules))]
    public int OneRule(string rule) => Screener.DefaultRules.Single(r => r.Id == rule).Evaluate(_facts).Count();

    public static IEnumerable<string> Rules() => Screener.DefaultRules.Select(r => r.Id);
}
