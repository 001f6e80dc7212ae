using System.Text;
using System.Text.Json;
using System.Text.Unicode;
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
/// or not FHIR at all, throws <see cref="FileFormatException"/>. A Bundle is one document, so bytes that are not
/// UTF-8 quarantine it; an NDJSON line stands alone, so they reject that line. Nothing else is thrown. References are resolved within the file, so
/// events go out once the whole file has been read. What maps to what: <see cref="FhirResourceMapper"/>.
/// </summary>
public static class FhirExportReader
{
    // Unknown elements and unknown codes are tolerated here (a newer version, an extension-happy sender);
    // the fields the screening reads are checked by the mapper. Broken literals and cardinality still fail.
    private static readonly FhirJsonDeserializer Deserializer = FhirJsonDeserializer.BACKWARDSCOMPATIBLE;

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
        // One document: a byte that is not UTF-8 leaves no way to tell where its resource ends.
        if (!Utf8.IsValid(bytes.Span))
        {
            throw new FileFormatException(lines.At(FirstInvalidUtf8(bytes.Span)), "file holds bytes that are not valid UTF-8");
        }
        var slices = new List<EntrySlice>();
        var sawResourceType = false;
        var isBundle = false;
        var reader = new Utf8JsonReader(bytes.Span, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FileFormatException(lines.At(reader.TokenStartIndex), "not a FHIR JSON file: it does not hold a JSON object");
            }
            // Names are compared, never decoded: a name no string can carry is simply not one of these.
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueTextEquals("resourceType"u8) ? "resourceType" : reader.ValueTextEquals("entry"u8) ? "entry" : null;
                reader.Read();
                if (name == "resourceType" && reader.TokenType == JsonTokenType.String)
                {
                    sawResourceType = true;
                    isBundle = reader.ValueTextEquals("Bundle"u8);
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
            var reason = reader.CurrentDepth >= MaxDepth - 1 ? TooDeep : "not valid JSON";
            throw new FileFormatException((int)(e.LineNumber ?? 0) + 1, reason, e);
        }
        if (!sawResourceType)
        {
            throw new FileFormatException(1, "not a FHIR resource: the top-level object has no resourceType");
        }
        if (!isBundle)
        {
            slices.Clear();
            slices.Add(new EntrySlice(0, bytes.Length, 1, "$", null, null));
        }
        foreach (var slice in slices)
        {
            var json = bytes.Span.Slice(slice.Start, slice.Length);
            if ((slice.Problem ?? Inspect(json)) is { } problem)
            {
                rejections.Add(new Rejection(sourcePath, slice.Line, slice.Path, problem));
                continue;
            }
            Deserialize(json, slice.Line, slice.Path, slice.FullUrl, sourcePath, items, rejections);
        }
        return slices.Count;
    }

    /// <summary>Where one entry's resource stands in the file, or why it cannot be read.</summary>
    private readonly record struct EntrySlice(int Start, int Length, int Line, string Path, string? FullUrl, string? Problem);

    private static void ScanEntries(ref Utf8JsonReader reader, LineIndex lines, List<EntrySlice> slices)
    {
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var line = lines.At(reader.TokenStartIndex);
            var path = $"$.entry[{index++}].resource";
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                slices.Add(new EntrySlice(0, 0, line, path, null, "entry holds no resource object"));
                continue;
            }
            string? fullUrl = null;
            var fullUrlIsText = true;
            (int Start, int Length)? resource = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isFullUrl = reader.ValueTextEquals("fullUrl"u8);
                var isResource = reader.ValueTextEquals("resource"u8);
                reader.Read();
                if (isFullUrl && reader.TokenType == JsonTokenType.String)
                {
                    fullUrlIsText = TryGetString(ref reader, out fullUrl);
                }
                else if (isResource && reader.TokenType == JsonTokenType.StartObject)
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
                slices.Add(new EntrySlice(r.Start, r.Length, line, path, fullUrl, fullUrlIsText ? null : LoneSurrogate));
            }
        }
    }

    private static int ReadNdjson(Stream content, string sourcePath, List<FhirItem> items, List<Rejection> rejections)
    {
        var read = 0;
        var lineNumber = 0;
        var anyJson = false;
        int? firstBadLine = null;
        void Reject(string reason, bool notJson)
        {
            if (notJson)
            {
                firstBadLine ??= lineNumber;
            }
            rejections.Add(new Rejection(sourcePath, lineNumber, "$", reason));
        }
        foreach (var line in NdjsonLines(content))
        {
            lineNumber++;
            if (line.AsSpan().TrimStart(" \t\r"u8).IsEmpty)
            {
                continue;
            }
            read++;
            // Each line stands alone, as a CSV row does: one bad byte costs that resource, not the file.
            if (!Utf8.IsValid(line))
            {
                Reject("line holds bytes that are not valid UTF-8", notJson: true);
                continue;
            }
            if (Inspect(line) is { } problem)
            {
                Reject(problem, notJson: problem == NotAnObject);
                anyJson |= problem != NotAnObject;
                continue;
            }
            anyJson = true;
            Deserialize(line, lineNumber, "$", null, sourcePath, items, rejections);
        }
        if (!anyJson && firstBadLine is { } bad)
        {
            throw new FileFormatException(bad, "not NDJSON: no line holds a JSON object");
        }
        return read;
    }

    /// <summary>
    /// The lines of a bulk export as bytes: NDJSON lines end at LF (a CR before it is dropped), so a byte that is
    /// not UTF-8 is seen before any decoding. A UTF-8 BOM before the first line is dropped.
    /// </summary>
    private static IEnumerable<byte[]> NdjsonLines(Stream content)
    {
        var buffer = new byte[64 * 1024];
        using var line = new MemoryStream();
        var first = true;
        int n;
        while ((n = content.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            for (var end = Array.IndexOf(buffer, (byte)'\n', 0, n); end >= 0; end = Array.IndexOf(buffer, (byte)'\n', start, n - start))
            {
                line.Write(buffer, start, end - start);
                yield return TakeLine(line, ref first);
                start = end + 1;
            }
            line.Write(buffer, start, n - start);
        }
        if (line.Length > 0)
        {
            yield return TakeLine(line, ref first);
        }
    }

    private static byte[] TakeLine(MemoryStream line, ref bool first)
    {
        var bytes = line.GetBuffer().AsSpan(0, (int)line.Length);
        if (first && bytes.StartsWith(Encoding.UTF8.Preamble))
        {
            bytes = bytes[3..];
        }
        first = false;
        if (bytes.EndsWith("\r"u8))
        {
            bytes = bytes[..^1];
        }
        var taken = bytes.ToArray();
        line.SetLength(0);
        return taken;
    }

    private const int MaxDepth = 64;
    private const string NotAnObject = "line is not a JSON object";
    private const string TooDeep = "JSON nested deeper than 64 levels";
    private const string EmptyName = "an element has an empty name";
    private const string LoneSurrogate = "a string escapes a lone surrogate (\\uD800-\\uDFFF): not valid text";

    /// <summary>
    /// Why one resource's JSON (valid UTF-8) cannot go to the SDK: not one object, nested too deep, a string whose
    /// escapes make no text (<c>"\udc00"</c>) or an element named <c>""</c>, which the SDK would throw on. Null when it can.
    /// </summary>
    private static string? Inspect(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return NotAnObject;
            }
            string? problem = null;
            while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0))
            {
                if (problem is null && reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped && !TryGetString(ref reader, out _))
                {
                    problem = LoneSurrogate;
                }
                // The SDK (6.x) fails with an index error on an empty element name instead of reporting it.
                else if (problem is null && reader.TokenType == JsonTokenType.PropertyName && !reader.ValueIsEscaped && reader.ValueSpan.IsEmpty)
                {
                    problem = EmptyName;
                }
            }
            return reader.Read() ? NotAnObject : problem;
        }
        catch (JsonException)
        {
            return reader.CurrentDepth >= MaxDepth - 1 ? TooDeep : NotAnObject;
        }
    }

    /// <summary>A string token's text; false when its escapes name a lone surrogate (the reader throws on those).</summary>
    private static bool TryGetString(ref Utf8JsonReader reader, out string? value)
    {
        try
        {
            value = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = null;
            return false;
        }
    }

    /// <summary>The offset of the first byte that does not begin a valid UTF-8 sequence.</summary>
    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length && Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            offset += consumed;
        }
        return offset;
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
        catch (CodedException e)
        {
            // A few shape errors (a single object where a list of contained resources belongs) escape the SDK's
            // own collection of issues; they are as much the resource's fault.
            rejections.Add(new Rejection(sourcePath, line, path, $"not valid FHIR R4: {Describe(e.ErrorCode)}"));
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
        "PVAL127" => "an element that repeats is not a list (PVAL127)",
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
