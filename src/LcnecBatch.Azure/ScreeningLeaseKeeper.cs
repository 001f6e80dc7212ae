using Microsoft.Extensions.Logging;

namespace LcnecBatch.Azure;

/// <summary>
/// Keeps a screening run's lease while the run works: renews it (<see cref="IBatchState.TryLeaseAsync"/> with the
/// same owner) every third of its duration in the background, whatever phase the run is in, and releases it when
/// disposed. A renewal that finds the lease taken by another owner (or that cannot reach the table before the lease
/// runs out) cancels <see cref="Token"/>, so the run stops before the other one starts screening: two runs never
/// screen at once. Only this keeper writes the lease while it lives.
/// </summary>
internal sealed class ScreeningLeaseKeeper : IAsyncDisposable
{
    private readonly IBatchState _state;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _work;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;
    private ScreeningLease _lease;
    private volatile bool _lost;

    public ScreeningLeaseKeeper(IBatchState state, ScreeningLease lease, TimeSpan duration, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        _state = state;
        _lease = lease;
        _duration = duration;
        _time = time;
        _logger = logger;
        _work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _renewing = RenewAsync();
    }

    /// <summary>The run's work: cancelled when the caller's token is, or when the lease is lost.</summary>
    public CancellationToken Token => _work.Token;

    /// <summary>Whether a renewal found the lease gone (and cancelled <see cref="Token"/>).</summary>
    public bool Lost => _lost;

    /// <summary>Stops renewing (an in-flight renewal is awaited, so its new version is the one released), then releases the lease unless it was lost.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewing;
        if (!_lost)
        {
            await _state.ReleaseAsync(_lease, CancellationToken.None);
        }
        _stop.Dispose();
        _work.Dispose();
    }

    private async Task RenewAsync()
    {
        var period = _duration / 3;
        while (true)
        {
            try
            {
                await Task.Delay(period, _time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            ScreeningLease? renewed;
            try
            {
                // Not cancelled by the stop: a renewal cut short after the service wrote it would leave the lease
                // at a version this run does not know, and the release would miss it.
                renewed = await _state.TryLeaseAsync(_lease.Owner, _duration, CancellationToken.None);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _logger.LeaseRenewalFailed(e, _lease.Until);
                if (_time.GetUtcNow() + period < _lease.Until)
                {
                    continue; // another try before it runs out
                }
                renewed = null;
            }
            if (renewed is null)
            {
                _lost = true;
                _logger.LeaseLost();
                await _work.CancelAsync();
                return;
            }
            _lease = renewed;
        }
    }
}
