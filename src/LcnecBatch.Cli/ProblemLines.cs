using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Pipeline;

namespace LcnecBatch.Cli;

/// <summary>
/// The standard-error lines of a run, one per problem: what, where, why. Every part that came from input (paths,
/// reasons naming a column) is escaped and cut by <see cref="PrintableText"/>, so a file name holding a line break
/// or a terminal escape cannot forge a line or drive the terminal.
/// </summary>
internal static class ProblemLines
{
    public static void Write(
        TextWriter stderr,
        string quarantineWord,
        IEnumerable<FileFailure> quarantined,
        IEnumerable<Rejection> rejections,
        IEnumerable<string> missingFromManifest,
        IEnumerable<FileIngestion> notInputs,
        IEnumerable<string> notBatches)
    {
        foreach (var folder in notBatches)
        {
            stderr.WriteLine($"not a batch: {PrintableText.Escape(folder)}: folder named like a batch but not a valid date (yyyy-MM-dd); not read");
        }
        foreach (var file in notInputs)
        {
            stderr.WriteLine($"not an input: {PrintableText.Escape(file.Source)}: {PrintableText.Escape(file.NotAnInputReason)}");
        }
        foreach (var failure in quarantined)
        {
            stderr.WriteLine($"{quarantineWord}: {PrintableText.Escape(failure.ToString())}");
        }
        foreach (var rejection in rejections)
        {
            stderr.WriteLine($"rejected: {PrintableText.Escape(rejection.ToString())}");
        }
        foreach (var missing in missingFromManifest)
        {
            stderr.WriteLine($"missing: {PrintableText.Escape(missing)}: listed in the manifest but not in the batch");
        }
    }
}
