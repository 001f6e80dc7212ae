using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace LcnecBatch.Azure.Tests.TestData;

/// <summary>
/// Faults on the wire for the Azure SDK clients (Blob, Table, Queue) of a test: the clients' transport, wrapping the
/// real HTTP one, so every try the SDK makes is one call the rules see, and an answer made here is classified (error,
/// retriable) by the SDK's own pipeline exactly as the service's would be. A rule matches calls (by service, method, path), counts
/// them, and from its N-th match on answers some of them itself — a 503, 409 or 412 with no body, as a throttled or
/// conflicting service does — or delays them, or runs an action first (e.g. changes a row so the real service
/// answers 412). Faults are answered without reaching the service, so a failed write never half-happens.
/// Thread-safe; deterministic for a given call order (random rules take a seed).
/// </summary>
internal sealed class FaultInjection(string storageConnectionString) : HttpPipelineTransport
{
    private readonly HttpClientTransport _wire = HttpClientTransport.Shared;
    private readonly List<FaultRule> _rules = [];
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Uri> _endpoints = Endpoints(storageConnectionString);

    /// <summary>Adds a rule for the calls <paramref name="match"/> selects; configure it with its fluent methods.</summary>
    public FaultRule When(Func<Request, bool> match)
    {
        var rule = new FaultRule(match);
        lock (_gate)
        {
            _rules.Add(rule);
        }
        return rule;
    }

    /// <summary>Calls to the Table service (any table, any operation), optionally only those writing (POST/PUT/MERGE/PATCH/DELETE).</summary>
    public Func<Request, bool> Tables(bool writesOnly = false) => request =>
        IsService(request, "Table") && (!writesOnly || request.Method != RequestMethod.Get);

    /// <summary>Calls to the Blob service, optionally only those under one container.</summary>
    public Func<Request, bool> Blobs(string? container = null) => request =>
        IsService(request, "Blob") && (container is null || request.Uri.Path.Contains($"/{container}", StringComparison.Ordinal));

    /// <summary>Calls to the Queue service.</summary>
    public Func<Request, bool> Queues() => request => IsService(request, "Queue");

    /// <summary>How many calls were answered by a fault, over every rule.</summary>
    public int Injected
    {
        get
        {
            lock (_gate)
            {
                return _rules.Sum(r => r.Injected);
            }
        }
    }

    /// <summary>Turns every rule off (the outage is over).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    public override Request CreateRequest() => _wire.CreateRequest();

    public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        FaultRule.Decision decision;
        lock (_gate)
        {
            decision = _rules.Select(r => r.Decide(message.Request)).FirstOrDefault(d => d.Applies);
        }
        if (decision.Before is { } before)
        {
            await before(message.Request);
        }
        if (decision.Delay > TimeSpan.Zero)
        {
            await Task.Delay(decision.Delay, message.CancellationToken);
        }
        if (decision.Status is { } status)
        {
            message.Response = new FaultResponse(status, message.Request.ClientRequestId);
            return;
        }
        await _wire.ProcessAsync(message);
    }

    private bool IsService(Request request, string service) =>
        _endpoints.TryGetValue(service, out var endpoint) && request.Uri.Host == endpoint.Host && request.Uri.Port == endpoint.Port;

    /// <summary>The {Blob,Queue,Table}Endpoint of a connection string (Azurite's, one port per service).</summary>
    private static Dictionary<string, Uri> Endpoints(string connectionString) =>
        connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0].EndsWith("Endpoint", StringComparison.Ordinal))
            .ToDictionary(pair => pair[0][..^"Endpoint".Length], pair => new Uri(pair[1]), StringComparer.Ordinal);

    /// <summary>A response made here: status, an empty body, the request id echoed.</summary>
    private sealed class FaultResponse(int status, string clientRequestId) : Response
    {
        public override int Status => status;

        public override string ReasonPhrase => status switch
        {
            503 => "Service Unavailable (injected)",
            409 => "Conflict (injected)",
            412 => "Precondition Failed (injected)",
            _ => "Injected",
        };

        public override Stream? ContentStream { get; set; } = new MemoryStream();

        public override string ClientRequestId { get; set; } = clientRequestId;

        public override void Dispose()
        {
        }

        protected override bool ContainsHeader(string name) => false;

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
        {
            value = null;
            return false;
        }

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = null;
            return false;
        }
    }
}

/// <summary>One rule of a <see cref="FaultInjection"/>: which calls, from which match on, how many, and what happens to them.</summary>
internal sealed class FaultRule(Func<Request, bool> match)
{
    private int _skip;
    private int _times = int.MaxValue;
    private int? _status;
    private TimeSpan _delay;
    private Func<Request, Task>? _before;
    private Random? _random;
    private double _probability = 1;
    private int _burst = 1;
    private int _burstLeft;

    /// <summary>Matching calls seen so far.</summary>
    public int Seen { get; private set; }

    /// <summary>Matching calls this rule answered or delayed.</summary>
    public int Injected { get; private set; }

    /// <summary>What the rule acted on, as "METHOD /path" (no query), in order: for a failing test to say which calls.</summary>
    public List<string> Calls { get; } = [];

    /// <summary>Lets the first <paramref name="calls"/> matching calls through untouched.</summary>
    public FaultRule After(int calls)
    {
        _skip = calls;
        return this;
    }

    /// <summary>Acts on this many matching calls (after the skipped ones), then never again.</summary>
    public FaultRule Times(int calls)
    {
        _times = calls;
        return this;
    }

    /// <summary>Answers the call with this status (503 throttled or down, 409 conflict, 412 precondition failed).</summary>
    public FaultRule Fail(int status)
    {
        _status = status;
        return this;
    }

    public FaultRule Delay(TimeSpan delay)
    {
        _delay = delay;
        return this;
    }

    /// <summary>Runs before the call goes on to the service (a concurrent writer, a deleted row).</summary>
    public FaultRule Before(Func<Request, Task> action)
    {
        _before = action;
        return this;
    }

    /// <summary>Acts on each eligible call with this probability, drawn from a seeded generator.</summary>
    public FaultRule WithProbability(double probability, int seed)
    {
        _probability = probability;
        _random = new Random(seed);
        return this;
    }

    /// <summary>Once the rule acts, it acts on this many matching calls in a row (an outage outlasting the SDK's retries), drawing no chance for the rest.</summary>
    public FaultRule Burst(int calls)
    {
        _burst = calls;
        return this;
    }

    internal Decision Decide(Request request)
    {
        if (!match(request))
        {
            return default;
        }
        Seen++;
        if (Seen <= _skip || Injected >= _times)
        {
            return default;
        }
        if (_burstLeft > 0)
        {
            _burstLeft--;
        }
        else if (_random is { } random && random.NextDouble() >= _probability)
        {
            return default;
        }
        else
        {
            _burstLeft = _burst - 1;
        }
        Injected++;
        Calls.Add($"{request.Method} {request.Uri.Path}");
        return new Decision(true, _status, _delay, _before);
    }

    internal readonly record struct Decision(bool Applies, int? Status, TimeSpan Delay, Func<Request, Task>? Before);
}
