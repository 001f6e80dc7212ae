using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace LcnecBatch.Core.Events;

/// <summary>
/// Events as JSON for a store that outlives the process (the Functions app's Table Storage): every field, the
/// kind in <c>"type"</c>, so a parsed event is the same fact with the same <see cref="TimelineEvent.EventId"/>.
/// The JSON carries patient data (mrn, report text): it is storage, never a log line.
/// </summary>
public static class TimelineEventJson
{
    private static readonly JsonSerializerOptions Options = new(TimelineEventJsonContext.Default.Options)
    {
        TypeInfoResolver = TimelineEventJsonContext.Default.WithAddedModifier(AddKinds),
    };

    private static readonly JsonTypeInfo<TimelineEvent> TypeInfo = (JsonTypeInfo<TimelineEvent>)Options.GetTypeInfo(typeof(TimelineEvent));

    public static byte[] ToUtf8(TimelineEvent fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        return JsonSerializer.SerializeToUtf8Bytes(fact, TypeInfo);
    }

    /// <exception cref="JsonException">The bytes are not an event written by <see cref="ToUtf8"/>.</exception>
    public static TimelineEvent Parse(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, TypeInfo) ?? throw new JsonException("a timeline event cannot be null");

    private static void AddKinds(JsonTypeInfo info)
    {
        if (info.Type != typeof(TimelineEvent))
        {
            return;
        }
        info.PolymorphismOptions = new JsonPolymorphismOptions
        {
            TypeDiscriminatorPropertyName = "type",
            UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization,
            DerivedTypes =
            {
                new JsonDerivedType(typeof(DemographicsRecorded), "demographics"),
                new JsonDerivedType(typeof(PathologyReported), "pathology"),
                new JsonDerivedType(typeof(IhcResulted), "ihc"),
                new JsonDerivedType(typeof(MolecularResulted), "molecular"),
                new JsonDerivedType(typeof(RawNgsFileArrived), "rawNgs"),
                new JsonDerivedType(typeof(AlertResponded), "response"),
            },
        };
    }
}

/// <summary>Computed members (event id, IsAlk, ...) are left out: they follow from the fields.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    IgnoreReadOnlyProperties = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(TimelineEvent))]
[JsonSerializable(typeof(DemographicsRecorded))]
[JsonSerializable(typeof(AlertResponded))]
[JsonSerializable(typeof(PathologyReported))]
[JsonSerializable(typeof(IhcResulted))]
[JsonSerializable(typeof(MolecularResulted))]
[JsonSerializable(typeof(RawNgsFileArrived))]
internal sealed partial class TimelineEventJsonContext : JsonSerializerContext;
