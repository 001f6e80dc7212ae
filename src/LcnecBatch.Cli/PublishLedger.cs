using System.Globalization;
using System.Text.Json;
using LcnecBatch.Azure;
using LcnecBatch.Core.Formats;

namespace LcnecBatch.Cli;

/// <summary>
/// What <c>screen --publish</c> has sent, one JSON line per message: <c>{"messageId":...,"event":...,"on":"yyyy-MM-dd"}</c>.
/// Each run sends the replay's alert events the ledger does not list, and lists each batch of them only after the
/// broker accepted it (written and flushed to disk before the next batch goes). Held open, readable by others but
/// not writable, for the whole run: two runs never publish from one ledger at once.
/// </summary>
internal sealed class PublishLedger : IDisposable
{
    private readonly FileStream _file;
    private readonly HashSet<string> _listed = new(StringComparer.Ordinal);

    private PublishLedger(string path, FileStream file)
    {
        Path = path;
        _file = file;
    }

    public string Path { get; }

    public int Count => _listed.Count;

    /// <summary>Opens (or creates) the ledger and reads it whole.</summary>
    /// <exception cref="InvalidOperationException">A line is not a ledger line (file:line in the message, never its text).</exception>
    public static PublishLedger Open(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var ledger = new PublishLedger(path, file);
        try
        {
            ledger.Read();
            return ledger;
        }
        catch
        {
            ledger.Dispose();
            throw;
        }
    }

    public bool Lists(string messageId) => _listed.Contains(messageId);

    /// <summary>Lists what the broker accepted, on disk before it returns.</summary>
    public async Task AppendAsync(IReadOnlyList<AlertMessage> sent, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        foreach (var message in sent)
        {
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("messageId", message.MessageId);
                writer.WriteString("event", message.Event.Name);
                writer.WriteString("on", message.Event.On.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                writer.WriteEndObject();
            }
            buffer.WriteByte((byte)'\n');
        }
        _file.Seek(0, SeekOrigin.End);
        await _file.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
        _file.Flush(flushToDisk: true);
        foreach (var message in sent)
        {
            _listed.Add(message.MessageId);
        }
    }

    public void Dispose() => _file.Dispose();

    private void Read()
    {
        var bytes = new byte[_file.Length];
        _file.ReadExactly(bytes);
        var line = 0;
        for (var start = 0; start < bytes.Length; line++)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0)
            {
                // A line cut short by a crash: whether its message left is for the operator to decide (the broker's
                // duplicate detection drops a re-send inside its window), not for the next run to guess.
                throw Unreadable(line + 1, "the last line has no line end (cut short?)");
            }
            _listed.Add(MessageIdOf(bytes.AsMemory(start, end - start)) ?? throw Unreadable(line + 1, "not a ledger line (a JSON object with a \"messageId\")"));
            start = end + 1;
        }
    }

    private static string? MessageIdOf(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            using var json = JsonDocument.Parse(utf8);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("messageId", out var id) && id.ValueKind == JsonValueKind.String
                && id.GetString() is { Length: > 0 } messageId
                ? messageId : null;
        }
        catch (JsonException)
        {
            return null; // not JSON, or not UTF-8
        }
    }

    private InvalidOperationException Unreadable(int line, string why) =>
        new($"publish ledger {PrintableText.Escape(Path, 300)}:{line}: {why}; fix or remove the line (nothing was sent)");
}
