using LcnecBatch.Core.Events;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Synthetic;
using LcnecBatch.Core.Tests.Synthetic;
using LcnecBatch.Core.Timeline;

namespace LcnecBatch.Core.Tests.Timeline;

/// <summary>
/// The facts of a small generated archive as the store keeps them: every batch file read by the real ingestor, each fact
/// made lean as <see cref="TimelineStore.Lean"/> does, the ones a spill file takes grouped by patient in arrival order.
/// </summary>
public sealed class SpilledFacts : IDisposable
{
    private readonly GeneratedArchive _archive = new(new GeneratorOptions { Patients = 250, Days = 60, Seed = 23, Start = new DateOnly(2025, 1, 1) });

    public SpilledFacts()
    {
        var facts = new List<TimelineEvent>();
        var folder = new FolderBatchArchive(_archive.Root);
        foreach (var date in folder.BatchDates())
        {
            foreach (var file in folder.Files(date))
            {
                LocalRun.IngestFile(date, file, facts.Add);
            }
        }
        Patients = [.. facts.Select(TimelineStore.Lean).Where(PatientFactCodec.CanWrite)
            .GroupBy(f => ((IPatientFact)f).Mrn, StringComparer.Ordinal)
            .Select(g => (IReadOnlyList<TimelineEvent>)[.. g])];
    }

    public IReadOnlyList<IReadOnlyList<TimelineEvent>> Patients { get; }

    public void Dispose() => _archive.Dispose();
}
