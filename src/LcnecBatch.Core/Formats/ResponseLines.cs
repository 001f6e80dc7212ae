using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Formats;

/// <summary>
/// A care-team response file, <c>responses/{yyyy-MM-dd}/*.jsonl</c> (export-format.md, "Responses"): one JSON object
/// per line, each an <see cref="AlertResponded"/> known on the folder's date. A bad line is a rejection naming the
/// line and the field (never the line's text: it carries an MRN); blank lines are not rows. Never throws for bad input.
/// </summary>
public static partial class ResponseLines
{
    /// <summary>A line longer than this is rejected unread (a response is a few hundred bytes).</summary>
    public const int MaxLineBytes = 64 * 1024;

    private const int MaxTextLength = 200;

    [GeneratedRegex("^[0-9a-fA-F]{32}$")]
    private static partial Regex AlertIdPattern();

    /// <param name="sourcePath">Path relative to the archive root: <c>responses/{yyyy-MM-dd}/{file}.jsonl</c>.</param>
    /// <param name="knownOn">The folder's date: the day the responses were recorded.</param>
    public static (int Read, int Accepted) Read(Stream content, string sourcePath, DateOnly knownOn, Action<AlertResponded> onResponse, Action<Rejection> onRejection)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(sourcePath);
        ArgumentNullException.ThrowIfNull(onResponse);
        ArgumentNullException.ThrowIfNull(onRejection);
        var read = 0;
        var accepted = 0;
        var seen = new Dictionary<string, string>(StringComparer.Ordinal); // responseId -> event id
        var lineNumber = 0;
        foreach (var (line, tooLong) in Lines(content))
        {
            lineNumber++;
            var span = line.AsSpan();
            if (lineNumber == 1 && span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                span = span[3..];
            }
            if (!tooLong && span.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }
            read++;
            if (tooLong)
            {
                onRejection(new Rejection(sourcePath, lineNumber, null, $"line longer than {MaxLineBytes} bytes"));
                continue;
            }
            var source = new SourceRef(sourcePath, lineNumber);
            if (Parse(span, source, knownOn, out var column, out var reason) is not { } response)
            {
                onRejection(new Rejection(sourcePath, lineNumber, column, reason!));
                continue;
            }
            if (seen.TryGetValue(response.ResponseId, out var earlier) && earlier != response.EventId)
            {
                onRejection(new Rejection(sourcePath, lineNumber, "responseId", "repeats the response id of an earlier line with different content; the earlier line is kept"));
                continue;
            }
            seen[response.ResponseId] = response.EventId;
            accepted++;
            onResponse(response);
        }
        return (read, accepted);
    }

    /// <summary>The file's lines split on LF (a CR before it is dropped by the trim); a line past the bound is flagged and skipped.</summary>
    private static IEnumerable<(byte[] Line, bool TooLong)> Lines(Stream content)
    {
        var buffer = new byte[16 * 1024];
        var line = new MemoryStream();
        var tooLong = false;
        int n;
        while ((n = content.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            for (var i = 0; i < n; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    continue;
                }
                Append(line, buffer, start, i - start, ref tooLong);
                yield return (tooLong ? [] : line.ToArray(), tooLong);
                line.SetLength(0);
                tooLong = false;
                start = i + 1;
            }
            Append(line, buffer, start, n - start, ref tooLong);
        }
        if (line.Length > 0 || tooLong)
        {
            yield return (tooLong ? [] : line.ToArray(), tooLong);
        }
    }

    private static void Append(MemoryStream line, byte[] buffer, int start, int count, ref bool tooLong)
    {
        if (tooLong || count == 0)
        {
            return;
        }
        if (line.Length + count > MaxLineBytes)
        {
            tooLong = true;
            line.SetLength(0);
            return;
        }
        line.Write(buffer, start, count);
    }

    private static AlertResponded? Parse(ReadOnlySpan<byte> utf8, SourceRef source, DateOnly knownOn, out string? column, out string? reason)
    {
        column = null;
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            reason = "not valid UTF-8";
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            reason = $"not valid JSON (at byte {e.BytePositionInLine?.ToString(CultureInfo.InvariantCulture) ?? "?"} of the line)";
            return null;
        }
        catch (ArgumentException)
        {
            reason = "not valid UTF-8 JSON";
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                reason = "not a JSON object";
                return null;
            }
            var fields = new Fields(root);
            var response = Build(fields, source, knownOn);
            column = fields.Column;
            reason = fields.Reason;
            return fields.Reason is null ? response : null;
        }
    }

    private static AlertResponded? Build(Fields f, SourceRef source, DateOnly knownOn)
    {
        var responseId = f.Text("responseId", required: true);
        var mrn = f.Text("mrn", required: true);
        var alertId = f.Text("alertId", required: true);
        if (f.Reason is null && !AlertIdPattern().IsMatch(alertId!))
        {
            f.Fail("alertId", "not an alert id (32 hexadecimal digits)");
        }
        var respondedOn = f.Date("respondedOn", required: true);
        if (f.Reason is null && respondedOn > knownOn)
        {
            f.Fail("respondedOn", "after the day the response was recorded (the folder's date)");
        }
        var kind = f.Enum<ResponseKind>("kind", required: true);
        var by = f.Text("by", required: false);
        var channel = f.Text("channel", required: false);
        NotCandidateReason? why = null;
        Disagreement? disagreement = null;
        DateOnly? until = null;
        OutsideTest? outside = null;
        switch (f.Reason is null ? kind : null)
        {
            case ResponseKind.NotCandidate:
                why = f.Enum<NotCandidateReason>("reason", required: true);
                break;
            case ResponseKind.Disagree:
                disagreement = f.Enum<Disagreement>("disagreement", required: true);
                break;
            case ResponseKind.Snoozed:
                until = f.Date("until", required: true);
                if (f.Reason is null && until < respondedOn)
                {
                    f.Fail("until", "before the day of the response");
                }
                break;
            case ResponseKind.TestedElsewhere:
                outside = OutsideTestOf(f, knownOn);
                break;
        }
        if (f.Reason is not null)
        {
            return null;
        }
        return new AlertResponded
        {
            KnownOn = knownOn,
            Source = source,
            ResponseId = responseId!,
            Mrn = mrn!,
            AlertId = alertId!.ToLowerInvariant(),
            RespondedOn = respondedOn!.Value,
            Kind = kind!.Value,
            Reason = why,
            Disagreement = disagreement,
            Until = until,
            OutsideTest = outside,
            By = by,
            Channel = channel,
        };
    }

    private static OutsideTest? OutsideTestOf(Fields f, DateOnly knownOn)
    {
        if (!f.Root.TryGetProperty("outsideTest", out var test) || test.ValueKind == JsonValueKind.Null)
        {
            f.Fail("outsideTest", "missing: a testedElsewhere response names the outside test");
            return null;
        }
        if (test.ValueKind != JsonValueKind.Object)
        {
            f.Fail("outsideTest", "not a JSON object");
            return null;
        }
        var inner = new Fields(test, "outsideTest.");
        var lab = inner.Text("lab", required: true);
        var date = inner.Date("date", required: true);
        if (inner.Reason is null && date > knownOn)
        {
            inner.Fail("date", "after the day the response was recorded (the folder's date)");
        }
        var method = inner.Enum<OutsideTestMethod>("method", required: true);
        var result = inner.Enum<OutsideTestResult>("result", required: true);
        var alteration = inner.Text("alteration", required: false);
        if (inner.Reason is not null)
        {
            f.Fail(inner.Column!, inner.Reason);
            return null;
        }
        return new OutsideTest(lab!, date!.Value, method!.Value, result!.Value, alteration);
    }

    /// <summary>Reads fields of one object; the first failure wins and names its field (with the object's prefix).</summary>
    private sealed class Fields(JsonElement root, string prefix = "")
    {
        public JsonElement Root => root;

        public string? Column { get; private set; }

        public string? Reason { get; private set; }

        public void Fail(string name, string reason)
        {
            if (Reason is null)
            {
                Column = name.Contains('.', StringComparison.Ordinal) ? name : prefix + name;
                Reason = reason;
            }
        }

        private JsonElement? Get(string name, bool required)
        {
            if (Reason is not null)
            {
                return null;
            }
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    Fail(name, "missing");
                }
                return null;
            }
            if (value.ValueKind != JsonValueKind.String)
            {
                Fail(name, "not a string");
                return null;
            }
            return value;
        }

        public string? Text(string name, bool required)
        {
            if (Get(name, required) is not { } value)
            {
                return null;
            }
            string text;
            try
            {
                text = value.GetString()!.Trim();
            }
            catch (InvalidOperationException)
            {
                Fail(name, "not valid text (a lone surrogate escape)");
                return null;
            }
            if (text.Length == 0)
            {
                if (required)
                {
                    Fail(name, "empty");
                }
                return null;
            }
            if (text.Length > MaxTextLength)
            {
                Fail(name, $"longer than {MaxTextLength} characters");
                return null;
            }
            if (text.Any(char.IsControl))
            {
                Fail(name, "holds a control character");
                return null;
            }
            return text;
        }

        public DateOnly? Date(string name, bool required)
        {
            if (Text(name, required) is not { } text)
            {
                return null;
            }
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                Fail(name, "not a date (yyyy-MM-dd)");
                return null;
            }
            return date;
        }

        /// <summary>A camelCase member name of the enum (<c>testedElsewhere</c>, <c>notLcnec</c>), exactly.</summary>
        public T? Enum<T>(string name, bool required)
            where T : struct, System.Enum
        {
            if (Text(name, required) is not { } text)
            {
                return null;
            }
            foreach (var value in System.Enum.GetValues<T>())
            {
                if (string.Equals(CamelCase(value.ToString()), text, StringComparison.Ordinal))
                {
                    return value;
                }
            }
            Fail(name, $"not one of: {string.Join(", ", System.Enum.GetValues<T>().Select(v => CamelCase(v.ToString())))}");
            return null;
        }
    }

    public static string CamelCase(string name) => string.IsNullOrEmpty(name) ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
