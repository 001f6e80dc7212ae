using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Timeline;

/// <summary>
/// A "tested elsewhere" response read as the laboratory result it reports (screening.md, "Care-team responses"): an
/// outside IHC is an ALK IHC row, an outside FISH, NGS or PCR an ALK molecular row, dated on the outside test's date and
/// known from the day the response was recorded, so every rule treats it as the lab's own result of that method would be.
/// Its accession names the outside laboratory (<c>outside: {lab}</c>), which is how alerts cite it. Equivocal and failed
/// outside tests are no test: they map to nothing.
/// </summary>
public static class OutsideTests
{
    public const string AccessionPrefix = "outside: ";

    public static TimelineEvent? AsLabResult(AlertResponded response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response is not { Kind: ResponseKind.TestedElsewhere, OutsideTest: { } test }
            || test.Result is not (OutsideTestResult.Positive or OutsideTestResult.Negative))
        {
            return null;
        }
        var positive = test.Result == OutsideTestResult.Positive;
        var accession = AccessionPrefix + test.Lab;
        if (test.Method == OutsideTestMethod.Ihc)
        {
            return new IhcResulted
            {
                KnownOn = response.KnownOn,
                Source = response.Source,
                Mrn = response.Mrn,
                Accession = accession,
                ResultDate = test.Date,
                Marker = "ALK",
                AntibodyClone = null,
                Result = positive ? IhcResult.Positive : IhcResult.Negative,
            };
        }
        return new MolecularResulted
        {
            KnownOn = response.KnownOn,
            Source = response.Source,
            Mrn = response.Mrn,
            Accession = accession,
            ResultDate = test.Date,
            Method = test.Method switch
            {
                OutsideTestMethod.Fish => MolecularMethod.Fish,
                OutsideTestMethod.Ngs => MolecularMethod.Ngs,
                _ => MolecularMethod.RtPcr,
            },
            Gene = "ALK",
            Result = positive ? MolecularResult.Detected : MolecularResult.NotDetected,
            // A positive outside FISH/NGS/PCR is a rearrangement even when the care team did not name the partner.
            Alteration = test.Alteration ?? (positive ? "ALK rearrangement" : null),
        };
    }
}
