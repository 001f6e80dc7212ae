using LcnecBatch.Azure;
using Microsoft.Azure.Functions.Worker;

namespace LcnecBatch.Functions;

/// <summary>
/// On the schedule of the <c>UnsentAlertsSchedule</c> setting (NCRONTAB, e.g. <c>0 */15 * * * *</c>): sends the
/// alert events a failed or interrupted send left in the outbox, so they wait minutes, not until the next night's
/// sweep (whose duplicate-detection window they might outlive). No lease (see <see cref="BatchScreening.SendUnsentAsync"/>):
/// a send is keyed by message id and marking sent is idempotent.
/// </summary>
public sealed class SendUnsentAlerts(BatchScreening screening)
{
    [Function(nameof(SendUnsentAlerts))]
    public async Task Run([TimerTrigger("%UnsentAlertsSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        await screening.SendUnsentAsync(cancellationToken);
}
