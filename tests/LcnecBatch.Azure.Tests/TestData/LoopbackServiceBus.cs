using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Amqp;
using Amqp.Framing;
using Amqp.Handler;
using Amqp.Listener;
using Amqp.Sasl;
using Amqp.Types;

namespace LcnecBatch.Azure.Tests.TestData;

/// <summary>
/// A Service Bus stand-in on 127.0.0.1 for the real <c>ServiceBusClient</c> (connection string with
/// <c>UseDevelopmentEmulator=true</c>): SASL MSSBCBS, SAS tokens checked on <c>$cbs</c>, queues named at start,
/// batched sends unpacked, peek-lock delivery with lock tokens as delivery tags. Test-only; no topics, sessions
/// or TTL (see shared/notes/testing-without-the-cloud.md). Two of the broker's behaviours on request: duplicate
/// detection per queue over a window of a clock the test moves, and a connection dropped after a transfer was
/// enqueued and before its outcome reached the client (the client's send fails, the broker has the message).
/// </summary>
internal sealed class LoopbackServiceBus : IDisposable
{
    public const string KeyName = "RootManageSharedAccessKey";
    private const uint BatchFormat = 0x80013700;

    private readonly ContainerHost _host;
    private readonly ConcurrentDictionary<string, LoopbackQueue> _queues = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<Message, Guid> _lockTokens = new(ReferenceEqualityComparer.Instance);

    private readonly int _maxMessageSize;
    private readonly TimeSpan? _duplicateWindow;
    private readonly TimeProvider _time;
    private int _dropAfterSends;
    private int _duplicatesDropped;

    /// <param name="maxMessageSize">Announced on every attach: the client's batch size limit (Standard tier: 256 KiB).</param>
    /// <param name="duplicateDetection">
    /// The queues' duplicate detection history window (the deployment's is <see cref="DeploymentDuplicateWindow"/>); null: off,
    /// as a queue created without <c>requiresDuplicateDetection</c> (and as before, so a test of the app's own once-only
    /// sending is not helped by the broker).
    /// </param>
    /// <param name="time">The broker's clock, for the window; the system's when not given.</param>
    public LoopbackServiceBus(IEnumerable<string> queues, int maxMessageSize = 256 * 1024, TimeSpan? duplicateDetection = null, TimeProvider? time = null)
    {
        _maxMessageSize = maxMessageSize;
        _duplicateWindow = duplicateDetection;
        _time = time ?? TimeProvider.System;
        foreach (var queue in queues)
        {
            _queues[queue] = new LoopbackQueue(this);
        }
        Port = FreePort();
        _host = new ContainerHost(new Address($"amqp://127.0.0.1:{Port}"));
        var listener = _host.Listeners[0];
        listener.SASL.EnableMechanism(new Symbol("MSSBCBS"), new CbsSaslProfile());
        listener.HandlerFactory = _ => new LockTokenTags(_lockTokens);
        _host.RegisterRequestProcessor("$cbs", new CbsTokens(this));
        _host.RegisterLinkProcessor(new EntityLinks(this));
        _host.Open();
    }

    public int Port { get; }

    public string Key { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>How many transfers carried messages in: a batch of any size is one.</summary>
    public int Sends => Volatile.Read(ref _sends);

    private int _sends;

    /// <summary>The window infra/ gives the alerts entity (P7D).</summary>
    public static TimeSpan DeploymentDuplicateWindow { get; } = TimeSpan.FromDays(7);

    /// <summary>Messages accepted on the wire but not enqueued: their id was accepted within the window.</summary>
    public int DuplicatesDropped => Volatile.Read(ref _duplicatesDropped);

    /// <summary>
    /// The next <paramref name="sends"/> transfers are enqueued (duplicate detection applies) and then, instead of
    /// settling them, the broker closes the client's connection with an error: the client's send fails although the
    /// broker holds the messages. A client retries such a failure, each try one transfer.
    /// </summary>
    public void DropLinkAfterNextSends(int sends) => Volatile.Write(ref _dropAfterSends, sends);

    public string ConnectionString(string? key = null) =>
        $"Endpoint=sb://127.0.0.1:{Port};SharedAccessKeyName={KeyName};SharedAccessKey={key ?? Key};UseDevelopmentEmulator=true;";

    public void Dispose() => _host.Close();

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        try
        {
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        finally
        {
            probe.Stop();
        }
    }

    /// <summary>The token the client puts on <c>$cbs</c>: signed with the key as Service Bus signs it (HMAC-SHA256 over sr + "\n" + se).</summary>
    private bool IsValid(string? token)
    {
        if (token is null || !token.StartsWith("SharedAccessSignature ", StringComparison.Ordinal))
        {
            return false;
        }
        var fields = token["SharedAccessSignature ".Length..].Split('&')
            .Select(pair => pair.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!fields.TryGetValue("sr", out var resource) || !fields.TryGetValue("se", out var expiry) || !fields.TryGetValue("sig", out var signature))
        {
            return false;
        }
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Key));
        var expected = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{resource}\n{expiry}")));
        return expected == WebUtility.UrlDecode(signature)
            && long.Parse(expiry, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    }

    private sealed class CbsSaslProfile() : SaslProfile(new Symbol("MSSBCBS"))
    {
        protected override ITransport UpgradeTransport(ITransport transport) => transport;

        protected override DescribedList GetStartCommand(string hostname) => throw new NotSupportedException("server side only");

        protected override DescribedList OnCommand(DescribedList command) => new SaslOutcome { Code = SaslCode.Ok };
    }

    /// <summary>put-token: 202 for a token signed with the key, 401 otherwise; the status code must be an Int32.</summary>
    private sealed class CbsTokens(LoopbackServiceBus bus) : IRequestProcessor
    {
        public int Credit => 100;

        public void Process(RequestContext requestContext)
        {
            var valid = bus.IsValid(requestContext.Message.Body as string);
            var response = new Message { ApplicationProperties = new ApplicationProperties() };
            response.ApplicationProperties["status-code"] = valid ? 202 : 401;
            response.ApplicationProperties["status-description"] = valid ? "Accepted" : "InvalidSignature: the token's signature does not match";
            requestContext.Complete(response);
        }
    }

    /// <summary>Links to <c>/{queue}</c>: clients' senders feed the queue, clients' receivers drain it.</summary>
    private sealed class EntityLinks(LoopbackServiceBus bus) : ILinkProcessor
    {
        public void Process(AttachContext attachContext)
        {
            var attach = attachContext.Attach;
            var address = (attach.Role ? ((Source)attach.Source).Address : ((Target)attach.Target).Address).TrimStart('/');
            if (!bus._queues.TryGetValue(address, out var queue))
            {
                attachContext.Complete(new Error(new Symbol("amqp:not-found")) { Description = $"The messaging entity '{address}' could not be found." });
                return;
            }
            // The client sizes its message batches from this.
            attach.MaxMessageSize = (ulong)bus._maxMessageSize;
            attachContext.Complete(attach.Role ? new QueueSource(queue, attachContext.Link) : new QueueTarget(bus, queue), 100);
        }
    }

    private sealed class QueueTarget(LoopbackServiceBus bus, LoopbackQueue queue) : LinkEndpoint
    {
        public override void OnMessage(MessageContext messageContext)
        {
            Interlocked.Increment(ref bus._sends);
            var message = messageContext.Message;
            if (message.Format == BatchFormat)
            {
                var sections = message.BodySection is DataList list ? [.. Enumerable.Range(0, list.Count).Select(i => list[i])] : new[] { (Data)message.BodySection };
                foreach (var data in sections)
                {
                    Accept(Message.Decode(new ByteBuffer(data.Binary, 0, data.Binary.Length, data.Binary.Length)));
                }
            }
            else
            {
                Accept(Message.Decode(message.Encode()));
            }
            if (TakeDrop())
            {
                // The crash between the broker's commit and the client hearing of it: no disposition, the connection gone.
                var error = new Error(new Symbol("amqp:connection:forced")) { Description = "The loopback broker dropped the connection after enqueuing (test fault)." };
                messageContext.Link.Session.Connection.Close(TimeSpan.Zero, error);
                return;
            }
            messageContext.Complete();
        }

        private void Accept(Message message)
        {
            if (queue.IsDuplicate(message, bus._duplicateWindow, bus._time.GetUtcNow()))
            {
                Interlocked.Increment(ref bus._duplicatesDropped);
                return;
            }
            queue.Enqueue(message);
        }

        private bool TakeDrop()
        {
            int left;
            do
            {
                left = Volatile.Read(ref bus._dropAfterSends);
                if (left <= 0)
                {
                    return false;
                }
            }
            while (Interlocked.CompareExchange(ref bus._dropAfterSends, left - 1, left) != left);
            return true;
        }

        public override void OnFlow(FlowContext flowContext)
        {
        }

        public override void OnDisposition(DispositionContext dispositionContext)
        {
        }
    }

    private sealed class QueueSource(LoopbackQueue queue, ListenerLink link) : LinkEndpoint
    {
        private int _credit;

        public override void OnFlow(FlowContext flowContext)
        {
            Interlocked.Exchange(ref _credit, Math.Max(0, flowContext.Messages > 0 ? _credit + flowContext.Messages : 0));
            queue.Attach(this);
            queue.Pump();
            if (link.IsDraining)
            {
                Interlocked.Exchange(ref _credit, 0);
                link.CompleteDrain();
            }
        }

        public bool TryTakeCredit()
        {
            int credit;
            do
            {
                credit = Volatile.Read(ref _credit);
                if (credit <= 0)
                {
                    return false;
                }
            }
            while (Interlocked.CompareExchange(ref _credit, credit - 1, credit) != credit);
            return true;
        }

        public void Send(Message message) => link.SendMessage(message);

        public override void OnDisposition(DispositionContext dispositionContext)
        {
            queue.Settle(dispositionContext.Message, dispositionContext.DeliveryState);
            if (!dispositionContext.Settled)
            {
                dispositionContext.Link.DisposeMessage(dispositionContext.Message, dispositionContext.DeliveryState, true);
            }
        }

        public override void OnLinkClosed(ListenerLink link, Error error) => queue.Detach(this);
    }

    /// <summary>Messages in arrival order; each delivered to a receiver with credit, locked until settled.</summary>
    private sealed class LoopbackQueue(LoopbackServiceBus bus)
    {
        private readonly Lock _gate = new();
        private readonly Queue<Message> _ready = new();
        private readonly Dictionary<Message, Message> _locked = new(ReferenceEqualityComparer.Instance);
        private readonly List<QueueSource> _receivers = [];
        private readonly Dictionary<string, DateTimeOffset> _acceptedIds = new(StringComparer.Ordinal);
        private long _sequence;

        /// <summary>
        /// Duplicate detection as the broker does it: an id first accepted less than the window ago is a duplicate
        /// (accepted, not enqueued); otherwise the id is remembered from now. Messages without an id are never duplicates.
        /// </summary>
        public bool IsDuplicate(Message message, TimeSpan? window, DateTimeOffset now)
        {
            if (window is not { } history || message.Properties?.MessageId is not { } id)
            {
                return false;
            }
            lock (_gate)
            {
                var key = id.ToString()!;
                if (_acceptedIds.TryGetValue(key, out var accepted) && now - accepted < history)
                {
                    return true;
                }
                _acceptedIds[key] = now;
                return false;
            }
        }

        public void Enqueue(Message message)
        {
            lock (_gate)
            {
                message.Header ??= new Header();
                message.MessageAnnotations ??= new MessageAnnotations();
                message.MessageAnnotations[new Symbol("x-opt-sequence-number")] = ++_sequence;
                message.MessageAnnotations[new Symbol("x-opt-enqueued-time")] = DateTime.UtcNow;
                _ready.Enqueue(message);
            }
            Pump();
        }

        public void Attach(QueueSource receiver)
        {
            lock (_gate)
            {
                if (!_receivers.Contains(receiver))
                {
                    _receivers.Add(receiver);
                }
            }
        }

        public void Detach(QueueSource receiver)
        {
            lock (_gate)
            {
                _receivers.Remove(receiver);
            }
        }

        public void Pump()
        {
            lock (_gate)
            {
                foreach (var receiver in _receivers)
                {
                    while (_ready.Count > 0 && receiver.TryTakeCredit())
                    {
                        var message = _ready.Dequeue();
                        var delivered = Message.Decode(message.Encode());
                        delivered.Header.DeliveryCount = message.Header.DeliveryCount++;
                        bus._lockTokens[delivered] = Guid.NewGuid();
                        _locked[delivered] = message;
                        receiver.Send(delivered);
                    }
                }
            }
        }

        /// <summary>Accepted completes, Rejected dead-letters (dropped here); anything else (abandoned, released) puts it back.</summary>
        public void Settle(Message delivered, DeliveryState state)
        {
            lock (_gate)
            {
                bus._lockTokens.TryRemove(delivered, out _);
                if (_locked.Remove(delivered, out var original) && state is not (Accepted or Rejected))
                {
                    _ready.Enqueue(original);
                }
            }
            Pump();
        }
    }

    /// <summary>Peek-lock: the SDK reads the lock token from the delivery tag, a 16-byte GUID.</summary>
    private sealed class LockTokenTags(ConcurrentDictionary<Message, Guid> tokens) : IHandler
    {
        public bool CanHandle(EventId id) => id == EventId.SendDelivery;

        public void Handle(Event protocolEvent)
        {
            if (protocolEvent.Context is IDelivery delivery && tokens.TryGetValue(delivery.Message, out var token))
            {
                delivery.Tag = token.ToByteArray();
            }
        }
    }
}
