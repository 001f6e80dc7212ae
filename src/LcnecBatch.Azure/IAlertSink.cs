namespace LcnecBatch.Azure;

/// <summary>Where alert messages go: Service Bus in production (<see cref="ServiceBusAlertSink"/>), memory in tests.</summary>
public interface IAlertSink
{
    /// <summary>
    /// Sends the messages in order, in as few calls as the transport allows, and after each call the transport
    /// accepted, hands what it carried to <paramref name="sent"/> (which marks them sent). Throws on the first
    /// failure: what was not handed over is still unsent.
    /// </summary>
    Task SendAsync(IReadOnlyList<AlertMessage> messages, Func<IReadOnlyList<AlertMessage>, CancellationToken, Task> sent, CancellationToken cancellationToken);
}

/// <summary>Keeps what it is given, in order: the sink of tests that do not need a broker.</summary>
public sealed class InMemoryAlertSink : IAlertSink
{
    private readonly Lock _gate = new();
    private readonly List<AlertMessage> _sent = [];

    public IReadOnlyList<AlertMessage> Sent
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent];
            }
        }
    }

    public async Task SendAsync(IReadOnlyList<AlertMessage> messages, Func<IReadOnlyList<AlertMessage>, CancellationToken, Task> sent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(sent);
        lock (_gate)
        {
            _sent.AddRange(messages);
        }
        await sent(messages, cancellationToken);
    }
}
