using BenchmarkDotNet.Attributes;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Timeline;

namespace LcnecBatch.Benchmarks;

/// <summary>
/// A dormant patient's facts (issue 19, bounded memory): demographics, three reports the store keeps lean, three IHC
/// rows and two molecular rows, written to their compact form and read back, and a blob appended to the encrypted spill
/// file and read back. What the audit pays to put a patient to sleep and to wake it.
/// </summary>
[MemoryDiagnoser]
public class PatientFactCodecBenchmarks
{
    private static readonly DateOnly Day = new(2024, 5, 13);

    private TimelineEvent[] _facts = null!;
    private byte[] _blob = null!;
    private SpillFile _spill = null!;
    private SpillHandle _stored;

    /// <summary>Nine facts of one patient without LCNEC, as the timeline store holds them (reports lean).</summary>
    public static TimelineEvent[] TypicalPatient()
    {
        const string mrn = "100234";
        var line = 1;
        SourceRef At(DateOnly day, string file) => new($"{day:yyyy-MM-dd}/{file}", ++line);
        PathologyReported Report(int day, string accession, string text, string? stage = null) => new()
        {
            KnownOn = Day.AddDays(day),
            Source = At(Day.AddDays(day), "pathology_reports.csv"),
            Mrn = mrn,
            Accession = accession,
            ReportDate = Day.AddDays(day - 1),
            FinalDiagnosis = text,
            SpecimenSite = "Lung, right upper lobe",
            Procedure = "Core biopsy",
            Morphology = "8140/3",
            Topography = "C34.1",
            Stage = stage,
            CareTeam = "thoracic-onc",
        };
        IhcResulted Ihc(int day, string marker, string clone, IhcResult result, decimal? value = null) => new()
        {
            KnownOn = Day.AddDays(day),
            Source = At(Day.AddDays(day), "ihc_results.csv"),
            Mrn = mrn,
            Accession = "S24-04411",
            ResultDate = Day.AddDays(day),
            Marker = marker,
            AntibodyClone = clone,
            Result = result,
            Value = value,
        };
        MolecularResulted Molecular(int day, string gene, MolecularResult result, string? alteration = null) => new()
        {
            KnownOn = Day.AddDays(day),
            Source = At(Day.AddDays(day), "molecular_results.csv"),
            Mrn = mrn,
            Accession = "M24-00873",
            ResultDate = Day.AddDays(day),
            Method = MolecularMethod.Ngs,
            Gene = gene,
            Result = result,
            Alteration = alteration,
        };
        TimelineEvent[] facts =
        [
            new DemographicsRecorded { KnownOn = Day, Source = At(Day, "patients.csv"), Mrn = mrn, Sex = Sex.Male, BirthDate = new(1956, 8, 30), Smoking = SmokingStatus.Former, PackYears = 35m, CareTeam = "thoracic-onc" },
            Report(0, "S24-04411", "FINAL DIAGNOSIS:\nLung, right upper lobe, core biopsy:\n- Invasive adenocarcinoma, acinar predominant.\nComment: TTF-1 positive; ALK and PD-L1 studies are ordered.", "pT1c N0"),
            Ihc(3, "TTF-1", "8G7G3/1", IhcResult.Positive),
            Ihc(3, "ALK", "D5F3", IhcResult.Negative),
            Ihc(4, "PD-L1", "22C3", IhcResult.Positive, 30m),
            Molecular(16, "EGFR", MolecularResult.Detected, "EGFR L858R"),
            Molecular(16, "ALK", MolecularResult.NotDetected),
            Report(40, "S24-05120", "Addendum: PD-L1 22C3 tumour proportion score 30%."),
            Report(210, "S24-11877", "FINAL DIAGNOSIS:\nLymph node, station 7, EBUS-TBNA:\n- Negative for malignancy.\n- Anthracotic pigment."),
        ];
        return [.. facts.Select(TimelineStore.Lean)];
    }

    [GlobalSetup]
    public void Setup()
    {
        _facts = TypicalPatient();
        _blob = PatientFactCodec.Write(_facts);
        _spill = new SpillFile();
        _stored = _spill.Append(_blob);
    }

    [GlobalCleanup]
    public void Cleanup() => _spill.Dispose();

    [Benchmark(Description = "PatientFactCodec.Write, one patient (9 facts)")]
    public int Write() => PatientFactCodec.Write(_facts).Length;

    [Benchmark(Description = "PatientFactCodec.Read, one patient (9 facts)")]
    public int Read() => PatientFactCodec.Read(_blob).Count;

    [Benchmark(Description = "SpillFile.Append, one patient's blob")]
    public long Append()
    {
        // Keep the benchmark's file small: a fresh file every 64 MiB (a rare, amortised cost).
        if (_spill.BytesWritten > 64 << 20)
        {
            _spill.Dispose();
            _spill = new SpillFile();
            _stored = _spill.Append(_blob);
        }
        return _spill.Append(_blob).Offset;
    }

    [Benchmark(Description = "SpillFile.Read, one patient's blob")]
    public int SpillRead() => _spill.Read(_stored).Length;
}
