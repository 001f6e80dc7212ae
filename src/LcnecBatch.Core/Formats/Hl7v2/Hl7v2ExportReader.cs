using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Formats.Hl7v2;

/// <summary>Counts for one file, in messages: every message read is either accepted or rejected.</summary>
public sealed record Hl7v2FileCounts(int Read, int Accepted, int Rejected);

/// <summary>
/// Reads an HL7 v2 file of a batch (<c>*.hl7</c>): ORU^R01 lab results and MDM documents, single, concatenated or
/// in FHS/BHS batches, into the same events as the CSV files. A message that cannot be taken becomes one
/// <see cref="Rejection"/> (line of the segment, field such as <c>OBX-5</c>) and the rest of the file goes on;
/// a file that is not HL7 v2, or whose batch envelope is damaged, throws <see cref="FileFormatException"/>.
/// What maps to what: <see cref="LabCodes"/>.
/// </summary>
public static class Hl7v2ExportReader
{
    /// <param name="sourcePath">The file's path relative to the archive root, as evidence will cite it.</param>
    /// <param name="batchDate">The batch that delivered the file; becomes <see cref="TimelineEvent.KnownOn"/>.</param>
    public static Hl7v2FileCounts Read(
        Stream content,
        string sourcePath,
        DateOnly batchDate,
        Action<TimelineEvent> onEvent,
        Action<Rejection> onRejection)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(sourcePath);
        ArgumentNullException.ThrowIfNull(onEvent);
        ArgumentNullException.ThrowIfNull(onRejection);
        var read = 0;
        var rejected = 0;
        void Reject(Hl7DataException e)
        {
            rejected++;
            onRejection(new Rejection(sourcePath, e.Line, e.Field, e.Reason));
        }
        Hl7FileReader.Read(
            content,
            message =>
            {
                read++;
                List<TimelineEvent> events;
                try
                {
                    events = Hl7MessageMapper.Map(message, sourcePath, batchDate);
                }
                catch (Hl7DataException e)
                {
                    Reject(e);
                    return;
                }
                events.ForEach(onEvent);
            },
            stray =>
            {
                read++;
                Reject(stray);
            });
        return new Hl7v2FileCounts(read, read - rejected, rejected);
    }
}
