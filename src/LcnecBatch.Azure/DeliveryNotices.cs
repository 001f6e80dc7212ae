using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace LcnecBatch.Azure;

/// <summary>
/// The message the Functions blob extension writes to <c>webjobs-blobtrigger-poison</c> for a blob whose invocations
/// all failed: <c>{"Type":"BlobTrigger","FunctionId":...,"BlobType":"BlockBlob","ContainerName":...,"BlobName":...,"ETag":...}</c>,
/// base64-encoded as the extension's queue clients write it. Untrusted: anything else is unreadable, never an exception.
/// </summary>
public static class PoisonBlobMessage
{
    private static readonly JsonDocumentOptions Strict = new() { MaxDepth = 8 };

    /// <summary>Reads plain JSON or its base64 encoding; true with the container and blob name it names.</summary>
    public static bool TryRead(BinaryData body, out string container, out string blobName)
    {
        ArgumentNullException.ThrowIfNull(body);
        container = "";
        blobName = "";
        var bytes = body.ToMemory();
        if (TryReadJson(bytes.Span, out container, out blobName))
        {
            return true;
        }
        var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(bytes.Length)];
        return Base64.DecodeFromUtf8(bytes.Span, decoded, out _, out var written) == OperationStatus.Done
            && TryReadJson(decoded.AsSpan(0, written), out container, out blobName);
    }

    private static bool TryReadJson(ReadOnlySpan<byte> utf8, out string container, out string blobName)
    {
        container = "";
        blobName = "";
        var trimmed = utf8.TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty || trimmed[0] != (byte)'{')
        {
            return false;
        }
        try
        {
            using var message = JsonDocument.Parse(trimmed.ToArray(), Strict);
            var root = message.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("ContainerName", out var containerName) || containerName.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("BlobName", out var name) || name.ValueKind != JsonValueKind.String)
            {
                return false;
            }
            container = containerName.GetString()!;
            blobName = name.GetString()!;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

/// <summary>A blob-created event, as far as reconciliation needs it: which blob of which container.</summary>
public sealed record BlobCreatedNotice(string Container, string BlobName);

/// <summary>
/// A blob Event Grid writes to the subscription's dead-letter destination: a JSON array of the events of one
/// delivery, in the Event Grid schema (<c>eventType</c>; <c>type</c> in CloudEvents), each with
/// <c>subject</c> = <c>/blobServices/default/containers/{container}/blobs/{name}</c> and the dead-letter fields
/// (<c>deadLetterReason</c>, <c>deliveryAttempts</c>, <c>lastDeliveryOutcome</c>, ...), which say why but change nothing.
/// </summary>
public static class DeadLetteredEvents
{
    public const string BlobCreated = "Microsoft.Storage.BlobCreated";
    private const string SubjectPrefix = "/blobServices/default/containers/";
    private const string BlobsSegment = "/blobs/";
    private static readonly JsonDocumentOptions Strict = new() { MaxDepth = 16 };

    /// <summary>
    /// True when the blob is an event or an array of events that are all BlobCreated events with a blob subject;
    /// false for anything else (the blob is then left for a person to look at).
    /// </summary>
    public static bool TryRead(BinaryData content, out IReadOnlyList<BlobCreatedNotice> events)
    {
        ArgumentNullException.ThrowIfNull(content);
        events = [];
        try
        {
            using var document = JsonDocument.Parse(content.ToMemory(), Strict);
            var root = document.RootElement;
            IEnumerable<JsonElement> items = root.ValueKind switch
            {
                JsonValueKind.Array => root.EnumerateArray(),
                JsonValueKind.Object => [root],
                _ => [],
            };
            var notices = new List<BlobCreatedNotice>();
            foreach (var item in items)
            {
                if (!TryReadEvent(item, out var notice))
                {
                    return false;
                }
                notices.Add(notice);
            }
            events = notices;
            return notices.Count > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Splits a blob event's subject into container and blob name (the name as written, never unescaped).</summary>
    public static bool TryParseSubject(string subject, out string container, out string blobName)
    {
        ArgumentNullException.ThrowIfNull(subject);
        container = "";
        blobName = "";
        if (!subject.StartsWith(SubjectPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = subject[SubjectPrefix.Length..];
        var blobs = rest.IndexOf(BlobsSegment, StringComparison.Ordinal);
        if (blobs <= 0 || blobs + BlobsSegment.Length == rest.Length)
        {
            return false;
        }
        container = rest[..blobs];
        blobName = rest[(blobs + BlobsSegment.Length)..];
        return true;
    }

    private static bool TryReadEvent(JsonElement item, out BlobCreatedNotice notice)
    {
        notice = new BlobCreatedNotice("", "");
        if (item.ValueKind != JsonValueKind.Object
            || !(TryGetString(item, "eventType", out var type) || TryGetString(item, "type", out type)) || type != BlobCreated
            || !TryGetString(item, "subject", out var subject) || !TryParseSubject(subject, out var container, out var blobName))
        {
            return false;
        }
        notice = new BlobCreatedNotice(container, blobName);
        return true;
    }

    private static bool TryGetString(JsonElement item, string name, out string value)
    {
        value = "";
        if (!item.TryGetProperty(name, out var property) || property.ValueKind != JsonValueKind.String)
        {
            return false;
        }
        value = property.GetString()!;
        return true;
    }
}
