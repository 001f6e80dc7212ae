using LcnecBatch.Azure;
using Microsoft.Azure.Functions.Worker;

namespace LcnecBatch.Functions;

/// <summary>
/// The safety net, on the schedule of the <c>NightlySweepSchedule</c> setting (NCRONTAB, e.g. <c>0 30 2 * * *</c>):
/// batches left unscreened (a file missing, no manifest, a failed run), every patient with LCNEC or open alerts as
/// of the latest batch date, and alert messages a failed send left behind.
/// </summary>
public sealed class NightlySweep(BatchScreening screening)
{
    [Function(nameof(NightlySweep))]
    public Task Run([TimerTrigger("%NightlySweepSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        screening.SweepAsync(cancellationToken);
}
