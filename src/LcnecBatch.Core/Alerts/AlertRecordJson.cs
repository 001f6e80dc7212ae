using System.Text.Json;
using System.Text.Json.Serialization;

namespace LcnecBatch.Core.Alerts;

/// <summary>
/// The alert ledger's records and alert events as JSON, for a ledger kept outside the process (the Functions
/// app's Table Storage). Every field round-trips, so a restored alert writes the same <see cref="AlertJson"/>
/// bytes. This is not the wire format of alerts.md (that is <see cref="AlertJson"/>); it carries the mrn and
/// evidence text: storage, never a log line.
/// </summary>
public static class AlertRecordJson
{
    public static byte[] ToUtf8(AlertRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return JsonSerializer.SerializeToUtf8Bytes(record, AlertRecordJsonContext.Default.AlertRecord);
    }

    public static byte[] ToUtf8(AlertEvent alertEvent)
    {
        ArgumentNullException.ThrowIfNull(alertEvent);
        return JsonSerializer.SerializeToUtf8Bytes(alertEvent, AlertRecordJsonContext.Default.AlertEvent);
    }

    /// <exception cref="JsonException">The bytes are not a record written by <see cref="ToUtf8(AlertRecord)"/>.</exception>
    public static AlertRecord ParseRecord(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, AlertRecordJsonContext.Default.AlertRecord) ?? throw new JsonException("an alert record cannot be null");

    /// <summary>
    /// An event as <see cref="ToUtf8(AlertEvent)"/> wrote it. Events stored before the cycle was kept have none (0);
    /// their reopens carried the cycle as the number, and keep their message id.
    /// </summary>
    /// <exception cref="JsonException">The bytes are not an event written by <see cref="ToUtf8(AlertEvent)"/>.</exception>
    public static AlertEvent ParseEvent(ReadOnlySpan<byte> utf8)
    {
        var parsed = JsonSerializer.Deserialize(utf8, AlertRecordJsonContext.Default.AlertEvent) ?? throw new JsonException("an alert event cannot be null");
        return parsed is { Kind: AlertEventKind.Reopened, Cycle: 0, Number: > 0 } ? parsed with { Cycle = parsed.Number, Number = 0 } : parsed;
    }
}

/// <summary>Fields are included for the evidence span (a value tuple); computed members are left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    IgnoreReadOnlyProperties = true,
    IncludeFields = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(AlertRecord))]
[JsonSerializable(typeof(AlertEvent))]
internal sealed partial class AlertRecordJsonContext : JsonSerializerContext;
