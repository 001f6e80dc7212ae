using LcnecBatch.Azure;
using Microsoft.Azure.Functions.Worker;

namespace LcnecBatch.Functions;

/// <summary>
/// The safety net, on the schedule of the <c>NightlySweepSchedule</c> setting (NCRONTAB, e.g. <c>0 30 2 * * *</c>):
/// first the blobs delivery lost (recent batch folders the ledger does not know, the blob trigger's poison queue,
/// Event Grid's dead letters), then batches left unscreened (a file missing, no manifest, a failed run), every
/// patient with LCNEC or open alerts as of the latest batch date, and alert messages a failed send left behind. A
/// sweep that finds the screening lease busy waits a little and tries again itself, then fails; the host then runs
/// it again by the retry policy below (the isolated worker honours it on timer triggers: <c>retry</c> in
/// functions.metadata), 1 to 10 minutes apart, long enough for a crashed run's lease (10 minutes) to run out.
/// </summary>
public sealed class NightlySweep(LabExportReconciliation reconciliation, BatchScreening screening, IBatchState state)
{
    [Function(nameof(NightlySweep))]
    [ExponentialBackoffRetry(5, "00:01:00", "00:10:00")]
    public Task Run([TimerTrigger("%NightlySweepSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        ReconcileThenScreenAsync(cancellationToken);

    private async Task ReconcileThenScreenAsync(CancellationToken cancellationToken)
    {
        await reconciliation.ReconcileAsync(cancellationToken);
        await screening.SweepAsync(cancellationToken);
        await state.RecordSweepAsync(cancellationToken); // health's lastSweepAt: a sweep that ran to its end
    }
}
