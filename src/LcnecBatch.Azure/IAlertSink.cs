using LcnecBatch.Core.Alerts;

namespace LcnecBatch.Azure;

/// <summary>Where the open alerts of a screened batch go: Service Bus in production (a later issue), memory in tests.</summary>
public interface IAlertSink
{
    Task PublishAsync(IReadOnlyList<Alert> alerts, DateOnly batchDate, CancellationToken cancellationToken);
}

/// <summary>One hand-over to the sink: a batch's open alerts.</summary>
public sealed record PublishedAlerts(DateOnly BatchDate, IReadOnlyList<Alert> Alerts);

/// <summary>Keeps what it is given, in order: the sink of the tests, and the default until the Service Bus publisher exists.</summary>
public sealed class InMemoryAlertSink : IAlertSink
{
    private readonly Lock _gate = new();
    private readonly List<PublishedAlerts> _published = [];

    public IReadOnlyList<PublishedAlerts> Published
    {
        get
        {
            lock (_gate)
            {
                return [.. _published];
            }
        }
    }

    public Task PublishAsync(IReadOnlyList<Alert> alerts, DateOnly batchDate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        lock (_gate)
        {
            _published.Add(new PublishedAlerts(batchDate, [.. alerts]));
        }
        return Task.CompletedTask;
    }
}
