using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Timeline;

namespace LcnecBatch.Core.Tests.TestData;

/// <summary>Builds one patient's facts, each delivered in the batch of its own date unless told otherwise.</summary>
internal sealed class PatientBuilder(string mrn = "100234")
{
    public static readonly DateOnly Day0 = new(2026, 1, 5);

    private readonly List<TimelineEvent> _events = [];
    private int _line = 1;

    public string Mrn => mrn;

    private SourceRef Source(DateOnly known, string file) => new($"{known:yyyy-MM-dd}/{file}", ++_line);

    public PatientBuilder Demographics(Sex? sex = Sex.Male, SmokingStatus? smoking = SmokingStatus.Current, DateOnly? birth = null, DateOnly? known = null, string? careTeam = "thoracic-onc-tj")
    {
        var on = known ?? Day0;
        _events.Add(new DemographicsRecorded
        {
            KnownOn = on,
            Source = Source(on, "patients.csv"),
            Mrn = mrn,
            Sex = sex,
            Smoking = smoking,
            BirthDate = birth ?? new DateOnly(1950, 3, 1),
            CareTeam = careTeam,
        });
        return this;
    }

    public PatientBuilder Report(DateOnly date, string diagnosis = "Large cell neuroendocrine carcinoma.", string? stage = "IVB", string accession = "S26-00001",
        string? morphology = null, string? topography = null, DateOnly? known = null, string? careTeam = null)
    {
        var on = known ?? date;
        _events.Add(new PathologyReported
        {
            KnownOn = on,
            Source = Source(on, "pathology_reports.csv"),
            Mrn = mrn,
            Accession = accession,
            ReportDate = date,
            FinalDiagnosis = diagnosis,
            Stage = stage,
            Morphology = morphology,
            Topography = topography,
            CareTeam = careTeam,
        });
        return this;
    }

    public PatientBuilder AlkIhc(DateOnly date, IhcResult result, string? clone = "D5F3", string accession = "S26-00001", DateOnly? known = null)
    {
        var on = known ?? date;
        _events.Add(new IhcResulted
        {
            KnownOn = on,
            Source = Source(on, "ihc_results.csv"),
            Mrn = mrn,
            Accession = accession,
            ResultDate = date,
            Marker = "ALK",
            AntibodyClone = clone,
            Result = result,
        });
        return this;
    }

    public PatientBuilder Molecular(DateOnly date, MolecularResult result, MolecularMethod method = MolecularMethod.Ngs, string gene = "ALK",
        string? alteration = null, string accession = "M26-00001", DateOnly? known = null)
    {
        var on = known ?? date;
        _events.Add(new MolecularResulted
        {
            KnownOn = on,
            Source = Source(on, "molecular_results.csv"),
            Mrn = mrn,
            Accession = accession,
            ResultDate = date,
            Method = method,
            Gene = gene,
            Result = result,
            Alteration = alteration,
        });
        return this;
    }

    /// <summary>EML4-ALK v1 as a DNA caller reports it on GRCh38 (the breakend pair of genomics.md).</summary>
    public static readonly FusionDetail Eml4AlkV1 = new()
    {
        Partner = "EML4",
        PartnerExon = 13,
        AlkExon = 20,
        Variant = "v1",
        VariantClass = "long",
        Caller = "manta",
        Breakpoints = ["chr2:42296000", "chr2:29224000"],
        Build = "GRCh38",
        Line = 9,
    };

    public static readonly MutationDetail G1202R = new()
    {
        Protein = "G1202R",
        ResistantTo = ["crizotinib", "ceritinib", "alectinib"],
        SensitiveTo = ["lorlatinib"],
        Position = "chr2:29220765",
        Build = "GRCh38",
        Line = 12,
    };

    public PatientBuilder RawFile(DateOnly known, string accession, IReadOnlyList<FusionDetail>? fusions = null, IReadOnlyList<MutationDetail>? mutations = null,
        RawNgsKind kind = RawNgsKind.Vcf, bool callsStructuralVariants = false)
    {
        _events.Add(new RawNgsFileArrived
        {
            KnownOn = known,
            Source = new SourceRef($"{known:yyyy-MM-dd}/ngs/{accession}.vcf", 0),
            Accession = accession,
            Kind = kind,
            ContentHash = $"{accession}:{kind}:{fusions?.Count}:{mutations?.Count}",
            Fusions = fusions ?? [],
            Mutations = mutations ?? [],
            CallsStructuralVariants = callsStructuralVariants,
        });
        return this;
    }

    public IReadOnlyList<TimelineEvent> Events => _events;

    public TimelineStore Store()
    {
        var store = new TimelineStore();
        foreach (var e in _events)
        {
            store.Add(e);
        }
        return store;
    }

    public IReadOnlyList<Alert> Screen(DateOnly asOf, ScreeningOptions? options = null) =>
        new Screener(options ?? new ScreeningOptions()).Screen(Store(), asOf);

    public IReadOnlyList<Alert> Screen(DateOnly asOf, string ruleId, ScreeningOptions? options = null) =>
        [.. Screen(asOf, options).Where(a => a.RuleId == ruleId)];
}
