using LcnecBatch.Azure;
using Microsoft.Azure.Functions.Worker;

namespace LcnecBatch.Functions;

/// <summary>
/// On the schedule of the <c>ExportWatchdogSchedule</c> setting (NCRONTAB, e.g. <c>0 */15 * * * *</c>): the export
/// watchdog (<see cref="ExportWatchdog"/>) sends the operations messages due. Its own timer, not part of the nightly
/// sweep: the sweep runs once a night, usually before the export's deadline, and a late export should be known within
/// minutes of the deadline; the watchdog only reads the ledger, so it needs no screening lease. No retry: the next
/// run is a quarter of an hour away, and what was not sent then is sent then (once, by the ledger).
/// </summary>
public sealed class ExportWatchdogCheck(ExportWatchdog watchdog)
{
    [Function(nameof(ExportWatchdogCheck))]
    public async Task Run([TimerTrigger("%ExportWatchdogSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        await watchdog.CheckAsync(cancellationToken);
}
