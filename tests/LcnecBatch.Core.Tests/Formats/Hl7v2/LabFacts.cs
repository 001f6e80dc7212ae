using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Tests.Formats.Hl7v2;

/// <summary>A small set of facts of every kind the lab carriers hold, for writer round trips.</summary>
internal static class LabFacts
{
    private static readonly SourceRef Nowhere = new("written", 0);

    public static List<TimelineEvent> Sample()
    {
        var batch = LabCorpus.Batch;
        return
        [
            new DemographicsRecorded { KnownOn = batch, Source = Nowhere, Mrn = "900001", Sex = Sex.Female, BirthDate = new DateOnly(1958, 2, 14) },
            new DemographicsRecorded { KnownOn = batch, Source = Nowhere, Mrn = "900002", Sex = Sex.Male },
            new PathologyReported
            {
                KnownOn = batch, Source = Nowhere, Mrn = "900001", Accession = "S26-04417", ReportDate = new DateOnly(2026, 11, 20),
                FinalDiagnosis = "1. Lung, left hilum | core biopsy:\n   - Large cell neuroendocrine carcinoma ^ & ~ \\ \"combined\".\n\n2. See comment.",
                SpecimenSite = "Lung, left hilum", Procedure = "CT-guided core biopsy", Morphology = "8013/3", Topography = "C34.1", Stage = "IVB",
            },
            new PathologyReported
            {
                KnownOn = batch, Source = Nowhere, Mrn = "900001", Accession = "S26-04417", ReportDate = new DateOnly(2026, 11, 25),
                FinalDiagnosis = "Addendum: ALK immunostain reviewed.", Addendum = true,
            },
            new IhcResulted { KnownOn = batch, Source = Nowhere, Mrn = "900001", Accession = "S26-04417", ResultDate = new DateOnly(2026, 11, 19), Marker = "ALK", AntibodyClone = "D5F3", Result = IhcResult.Positive },
            new IhcResulted { KnownOn = batch, Source = Nowhere, Mrn = "900001", Accession = "S26-04417", ResultDate = new DateOnly(2026, 11, 19), Marker = "KI67", Result = IhcResult.Positive, Value = 85.5m, Comment = "hot spot\ncounted" },
            new IhcResulted { KnownOn = batch, Source = Nowhere, Mrn = "900001", Accession = "S26-04417", ResultDate = new DateOnly(2026, 11, 19), Marker = "CD56", Result = IhcResult.NotEvaluable },
            new MolecularResulted { KnownOn = batch, Source = Nowhere, Mrn = "900001", Accession = "S26-04417", ResultDate = new DateOnly(2026, 11, 25), Method = MolecularMethod.Fish, Gene = "ALK", Result = MolecularResult.Detected },
            new MolecularResulted { KnownOn = batch, Source = Nowhere, Mrn = "900001", Accession = "S26-04417", ResultDate = new DateOnly(2026, 11, 26), Method = MolecularMethod.Ngs, Gene = "ALK", Result = MolecularResult.Detected, Alteration = "EML4-ALK fusion (E13:A20)" },
            new MolecularResulted { KnownOn = batch, Source = Nowhere, Mrn = "900001", Accession = "S26-04417", ResultDate = new DateOnly(2026, 11, 26), Method = MolecularMethod.RtPcr, Gene = "EGFR", Result = MolecularResult.NotDetected },
            new IhcResulted { KnownOn = batch, Source = Nowhere, Mrn = "900002", Accession = "S26-05000", ResultDate = new DateOnly(2026, 11, 22), Marker = "ALK", AntibodyClone = "5A4", Result = IhcResult.Equivocal },
            new MolecularResulted { KnownOn = batch, Source = Nowhere, Mrn = "900002", Accession = "S26-05000", ResultDate = new DateOnly(2026, 11, 23), Method = MolecularMethod.Fish, Gene = "ALK", Result = MolecularResult.Failed, Alteration = "insufficient tumour" },
        ];
    }
}
