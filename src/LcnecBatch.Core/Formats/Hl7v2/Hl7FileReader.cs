using System.Globalization;
using System.Text;

namespace LcnecBatch.Core.Formats.Hl7v2;

/// <summary>One message as read: its segments, or the first structural problem that makes it unusable.</summary>
public sealed record Hl7Message(int Line, IReadOnlyList<Hl7Segment> Segments, Hl7DataException? Error);

/// <summary>
/// Splits an HL7 v2 file into messages, forward-only: single or concatenated messages, or batches
/// (<c>FHS {BHS {MSH…} BTS} FTS</c>). Segments end at <c>\r</c>, <c>\n</c> or <c>\r\n</c>; line numbers are
/// physical lines, so a CR-only file counts its segments. Each message uses the delimiters of its own MSH.
/// A damaged envelope (trailer missing or counting otherwise, content after FTS) or a file that is not
/// HL7 at all throws <see cref="FileFormatException"/>; a damaged message (even an MSH cut short to its name) is
/// returned with its error, and an FHS/BHS with unusable delimiters is reported without stopping the file.
/// Nothing else is thrown.
/// </summary>
public static class Hl7FileReader
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <param name="onMessage">Each message, in order, with its error when it is unusable.</param>
    /// <param name="onStray">
    /// A run of segments outside any message (before the first MSH of a batch, after a BTS), or an FHS/BHS whose
    /// delimiters are unusable: each is one unit read and rejected.
    /// </param>
    public static void Read(Stream content, Action<Hl7Message> onMessage, Action<Hl7DataException> onStray)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(onMessage);
        ArgumentNullException.ThrowIfNull(onStray);
        // 16 KiB, not 64: the reader's char buffer then stays below the large object heap, which a batch's small files
        // would otherwise fill, one full collection every few dozen files.
        using var text = new StreamReader(content, Utf8, detectEncodingFromByteOrderMarks: true, bufferSize: 16 * 1024, leaveOpen: true);
        var state = new Envelope(onMessage, onStray);
        var lineNumber = 0;
        while (text.ReadLine() is { } line)
        {
            lineNumber++;
            if (lineNumber == 1 && line.StartsWith('\uFEFF'))
            {
                line = line[1..];
            }
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            state.Take(line, lineNumber);
        }
        state.End(lineNumber);
    }

    private static bool IsSegmentName(ReadOnlySpan<char> name) =>
        name.Length == 3 && char.IsAsciiLetterUpper(name[0]) && (char.IsAsciiLetterUpper(name[1]) || char.IsAsciiDigit(name[1]))
        && (char.IsAsciiLetterUpper(name[2]) || char.IsAsciiDigit(name[2]));

    /// <summary>MSH, FHS, BHS, BTS or FTS followed by a delimiter (or nothing): the segments that frame messages.</summary>
    private static string? FramingName(string line)
    {
        if (line.Length < 3 || (line.Length > 3 && (char.IsLetterOrDigit(line[3]) || char.IsWhiteSpace(line[3]))))
        {
            return null;
        }
        var name = line[..3];
        return name is "MSH" or "FHS" or "BHS" or "BTS" or "FTS" ? name : null;
    }

    private sealed class Envelope(Action<Hl7Message> onMessage, Action<Hl7DataException> onStray)
    {
        private bool _started;
        private bool _fileOpen;
        private bool _fileClosed;
        private bool _batchOpen;
        private int _batches;
        private int _messagesInBatch;
        private Hl7Delimiters _envelopeDelimiters = Hl7Delimiters.Standard;
        private MessageBuilder? _message;
        private bool _inStrayRun;

        public void Take(string line, int lineNumber)
        {
            var framing = FramingName(line);
            if (!_started)
            {
                _started = true;
                if (framing is not ("MSH" or "FHS" or "BHS"))
                {
                    throw new FileFormatException(lineNumber, "not an HL7 v2 file: it does not begin with an MSH, FHS or BHS segment");
                }
            }
            if (_fileClosed)
            {
                throw new FileFormatException(lineNumber, "content after the file trailer (FTS)");
            }
            switch (framing)
            {
                case "MSH":
                    Flush();
                    _inStrayRun = false;
                    _messagesInBatch++;
                    _message = new MessageBuilder(line, lineNumber);
                    return;
                case "FHS":
                    if (_fileOpen || _message is not null || _batches > 0)
                    {
                        throw new FileFormatException(lineNumber, "FHS must be the first segment of the file");
                    }
                    _fileOpen = true;
                    _envelopeDelimiters = EnvelopeDelimiters(line, lineNumber);
                    return;
                case "BHS":
                    Flush();
                    _inStrayRun = false;
                    if (_batchOpen)
                    {
                        throw new FileFormatException(lineNumber, "BHS opens a batch before the previous one is closed by BTS");
                    }
                    _batchOpen = true;
                    _batches++;
                    _messagesInBatch = 0;
                    _envelopeDelimiters = EnvelopeDelimiters(line, lineNumber);
                    return;
                case "BTS":
                    Flush();
                    _inStrayRun = false;
                    if (!_batchOpen)
                    {
                        throw new FileFormatException(lineNumber, "BTS closes a batch that no BHS opened");
                    }
                    CheckCount(line, lineNumber, "BTS-1", _messagesInBatch, "message(s)");
                    _batchOpen = false;
                    return;
                case "FTS":
                    Flush();
                    if (!_fileOpen)
                    {
                        throw new FileFormatException(lineNumber, "FTS closes a file that no FHS opened");
                    }
                    if (_batchOpen)
                    {
                        throw new FileFormatException(lineNumber, "FTS before the open batch is closed by BTS");
                    }
                    CheckCount(line, lineNumber, "FTS-1", _batches, "batch(es)");
                    _fileClosed = true;
                    return;
            }
            if (_message is not null)
            {
                _message.Add(line, lineNumber);
            }
            else if (!_inStrayRun)
            {
                _inStrayRun = true;
                onStray(new Hl7DataException(lineNumber, null, "segment outside any message (no MSH before it)"));
            }
        }

        public void End(int lastLine)
        {
            if (!_started)
            {
                throw new FileFormatException(null, "file is empty: no MSH segment");
            }
            Flush();
            if (_batchOpen)
            {
                throw new FileFormatException(lastLine, "file ends inside a batch: the BTS trailer is missing (truncated file?)");
            }
            if (_fileOpen && !_fileClosed)
            {
                throw new FileFormatException(lastLine, "file ends without its FTS trailer (truncated file?)");
            }
        }

        private void Flush()
        {
            if (_message is not null)
            {
                onMessage(_message.Build());
                _message = null;
            }
        }

        /// <summary>
        /// A batch header's delimiters. When they are unusable the header is reported (one rejected unit) and
        /// reading goes on: the messages inside carry their own in their MSH, only the trailer counts need these.
        /// </summary>
        private Hl7Delimiters EnvelopeDelimiters(string line, int lineNumber)
        {
            if (Hl7Delimiters.TryParse(line, out var field, out var reason) is { } delimiters)
            {
                return delimiters;
            }
            onStray(new Hl7DataException(lineNumber, field, reason!));
            return Hl7Delimiters.Standard;
        }

        private void CheckCount(string line, int lineNumber, string field, int actual, string what)
        {
            var trailer = new Hl7Segment(line[..3], lineNumber, line, _envelopeDelimiters);
            var written = trailer.Raw(1);
            if (written.Length == 0)
            {
                return;
            }
            if (!int.TryParse(written, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                throw new FileFormatException(lineNumber, $"{field} is not a count");
            }
            if (count != actual)
            {
                throw new FileFormatException(lineNumber, $"{field} counts {count} {what} but {actual} were read (truncated or damaged file?)");
            }
        }
    }

    private sealed class MessageBuilder
    {
        private readonly int _line;
        private readonly Hl7Delimiters? _delimiters;
        private readonly List<Hl7Segment> _segments = [];
        private Hl7DataException? _error;

        public MessageBuilder(string header, int line)
        {
            _line = line;
            _delimiters = Hl7Delimiters.TryParse(header, out var field, out var reason);
            if (_delimiters is null)
            {
                _error = new Hl7DataException(line, field, reason!);
                return;
            }
            Add(header, line);
        }

        public void Add(string line, int lineNumber)
        {
            if (_error is not null)
            {
                return;
            }
            if (line.Length < 3 || !IsSegmentName(line.AsSpan(0, 3)) || (line.Length > 3 && line[3] != _delimiters!.Field))
            {
                _error = new Hl7DataException(lineNumber, null, "line does not begin with a segment name and the field separator (segment broken across lines?)");
                return;
            }
            if (line.Contains('\uFFFD', StringComparison.Ordinal))
            {
                _error = new Hl7DataException(lineNumber, null, "segment holds bytes that are not valid UTF-8");
                return;
            }
            _segments.Add(new Hl7Segment(line[..3], lineNumber, line, _delimiters!));
        }

        public Hl7Message Build() => new(_line, _segments, _error);
    }
}
