using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Formats.Fhir;

/// <summary>Counts for one file, in resources: every resource read is either accepted or rejected.</summary>
public sealed record FhirFileCounts(int Read, int Accepted, int Rejected);

/// <summary>One resource as read, with where it stood: the line its entry (or ndjson line) starts on and its JSON path.</summary>
internal sealed record FhirItem(Resource Resource, int Line, string Path, string? FullUrl);

/// <summary>
/// Reads a FHIR R4 file of a batch with the Firely SDK: a Bundle or a single resource (<c>*.json</c>), or a bulk
/// export (<c>*.ndjson</c>, one resource per line), into the same events as the CSV files. A resource that cannot
/// be taken is one <see cref="Rejection"/> (its line, a JSON path) and the rest go on; a file that is not JSON,
/// or not FHIR at all, throws <see cref="FileFormatException"/>. References are resolved within the file, so
/// events go out once the whole file has been read. What maps to what: <see cref="FhirResourceMapper"/>.
/// </summary>
public static class FhirExportReader
{
    // Unknown elements and unknown codes are tolerated here (a newer version, an extension-happy sender);
    // the fields the screening reads are checked by the mapper. Broken literals and cardinality still fail.
    private static readonly FhirJsonDeserializer Deserializer = FhirJsonDeserializer.BACKWARDSCOMPATIBLE;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <param name="sourcePath">The file's path relative to the archive root, as evidence will cite it.</param>
    /// <param name="batchDate">The batch that delivered the file; becomes <see cref="TimelineEvent.KnownOn"/>.</param>
    /// <param name="ndjson">True for a bulk export (one resource per line), false for a Bundle or single resource.</param>
    public static FhirFileCounts Read(
        Stream content,
        string sourcePath,
        DateOnly batchDate,
        Action<TimelineEvent> onEvent,
        Action<Rejection> onRejection,
        bool ndjson)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(sourcePath);
        ArgumentNullException.ThrowIfNull(onEvent);
        ArgumentNullException.ThrowIfNull(onRejection);
        var items = new List<FhirItem>();
        var rejections = new List<Rejection>();
        var read = ndjson
            ? ReadNdjson(content, sourcePath, items, rejections)
            : ReadJson(content, sourcePath, items, rejections);
        var events = new List<TimelineEvent>();
        new FhirResourceMapper(sourcePath, batchDate, items).Map(events.Add, rejections.Add);
        foreach (var rejection in rejections.OrderBy(r => r.Line))
        {
            onRejection(rejection);
        }
        events.ForEach(onEvent);
        return new FhirFileCounts(read, read - rejections.Count, rejections.Count);
    }

    private static int ReadJson(Stream content, string sourcePath, List<FhirItem> items, List<Rejection> rejections)
    {
        using var buffer = new MemoryStream();
        content.CopyTo(buffer);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (bytes.Span.StartsWith(Encoding.UTF8.Preamble))
        {
            bytes = bytes[3..];
        }
        if (bytes.Span.TrimStart(" \t\r\n"u8).IsEmpty)
        {
            throw new FileFormatException(null, "file is empty: no JSON object");
        }
        var lines = new LineIndex(bytes.Span);
        var slices = new List<(int Start, int Length, int Line, string Path, string? FullUrl)>();
        string? resourceType = null;
        var reader = new Utf8JsonReader(bytes.Span);
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FileFormatException(lines.At(reader.TokenStartIndex), "not a FHIR JSON file: it does not hold a JSON object");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (name == "resourceType" && reader.TokenType == JsonTokenType.String)
                {
                    resourceType = reader.GetString();
                }
                else if (name == "entry" && reader.TokenType == JsonTokenType.StartArray)
                {
                    ScanEntries(ref reader, lines, slices);
                }
                else
                {
                    reader.Skip();
                }
            }
            // Anything after the top-level object is a JSON error, thrown by the reader itself.
            reader.Read();
        }
        catch (JsonException e)
        {
            throw new FileFormatException((int)(e.LineNumber ?? 0) + 1, "not valid JSON", e);
        }
        if (resourceType is null)
        {
            throw new FileFormatException(1, "not a FHIR resource: the top-level object has no resourceType");
        }
        if (resourceType != "Bundle")
        {
            slices.Clear();
            slices.Add((0, bytes.Length, 1, "$", null));
        }
        foreach (var (start, length, line, path, fullUrl) in slices)
        {
            if (length == 0)
            {
                rejections.Add(new Rejection(sourcePath, line, path, "entry holds no resource object"));
                continue;
            }
            Deserialize(bytes.Span.Slice(start, length), line, path, fullUrl, sourcePath, items, rejections);
        }
        return slices.Count;
    }

    private static void ScanEntries(ref Utf8JsonReader reader, LineIndex lines, List<(int, int, int, string, string?)> slices)
    {
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var line = lines.At(reader.TokenStartIndex);
            var path = $"$.entry[{index++}].resource";
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                slices.Add((0, 0, line, path, null));
                continue;
            }
            string? fullUrl = null;
            (int Start, int Length)? resource = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (name == "fullUrl" && reader.TokenType == JsonTokenType.String)
                {
                    fullUrl = reader.GetString();
                }
                else if (name == "resource" && reader.TokenType == JsonTokenType.StartObject)
                {
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    resource = (start, (int)reader.BytesConsumed - start);
                }
                else
                {
                    reader.Skip();
                }
            }
            // An entry without a resource (a bare request or response) carries nothing to read.
            if (resource is { } r)
            {
                slices.Add((r.Start, r.Length, line, path, fullUrl));
            }
        }
    }

    private static int ReadNdjson(Stream content, string sourcePath, List<FhirItem> items, List<Rejection> rejections)
    {
        using var text = new StreamReader(content, Utf8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        var read = 0;
        var lineNumber = 0;
        var anyJson = false;
        int? firstBadLine = null;
        while (text.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            read++;
            var bytes = Encoding.UTF8.GetBytes(line);
            if (!IsJsonObject(bytes))
            {
                firstBadLine ??= lineNumber;
                rejections.Add(new Rejection(sourcePath, lineNumber, "$", "line is not a JSON object"));
                continue;
            }
            anyJson = true;
            Deserialize(bytes, lineNumber, "$", null, sourcePath, items, rejections);
        }
        if (!anyJson && firstBadLine is { } bad)
        {
            throw new FileFormatException(bad, "not NDJSON: no line holds a JSON object");
        }
        return read;
    }

    private static bool IsJsonObject(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void Deserialize(ReadOnlySpan<byte> json, int line, string path, string? fullUrl, string sourcePath, List<FhirItem> items, List<Rejection> rejections)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            var resource = Deserializer.DeserializeResource(ref reader);
            items.Add(new FhirItem(resource, line, path, fullUrl));
        }
        catch (DeserializationFailedException e)
        {
            var first = e.Exceptions.FirstOrDefault();
            var at = first is ExtendedCodedException located ? ElementPath(path, located.InstancePath) : path;
            rejections.Add(new Rejection(sourcePath, line, at, $"not valid FHIR R4: {Describe(first?.ErrorCode)}"));
        }
    }

    /// <summary>The SDK's instance path (<c>Patient.identifier[0].value</c>) under the resource's JSON path.</summary>
    private static string ElementPath(string resourcePath, string? instancePath)
    {
        var dot = instancePath?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        return dot < 0 ? resourcePath : resourcePath + instancePath![dot..];
    }

    /// <summary>The SDK's messages quote the offending values; only the code and a plain description go out.</summary>
    private static string Describe(string? code) => code switch
    {
        "JSON103" => "no resourceType (JSON103)",
        "PVAL105" => "a required element is missing (PVAL105)",
        "PVAL116" => "a code is not in its value set (PVAL116)",
        "PVAL124" => "a value is not a valid literal for its type (PVAL124)",
        "PVAL128" => "unknown element (PVAL128)",
        "PVAL130" => "unknown resource type (PVAL130)",
        null => "the SDK rejected it",
        _ => $"the SDK rejected it ({code})",
    };

    /// <summary>Byte offset to 1-based line.</summary>
    private sealed class LineIndex
    {
        private readonly List<long> _newlines = [];

        public LineIndex(ReadOnlySpan<byte> bytes)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n')
                {
                    _newlines.Add(i);
                }
            }
        }

        public int At(long offset)
        {
            var index = _newlines.BinarySearch(offset);
            return (index < 0 ? ~index : index) + 1;
        }
    }
}
