namespace LcnecBatch.Core.Formats.Csv;

/// <summary>
/// RFC 4180 records from text, as spreadsheets and LIS exports write them, streaming and in one pass: every
/// character is looked at once (<see cref="CharsExamined"/>). A double quote opens a quoted field only as the
/// field's very first character; anywhere else (<c>Benign nodule 2" in size</c>, or after leading spaces) it
/// is an ordinary character. Inside a quoted field <c>""</c> is a quote and line breaks belong to the value.
/// Records end at LF, CRLF or a lone CR; line numbers are physical lines.
/// </summary>
internal sealed class CsvRecordReader(TextReader text)
{
    /// <summary>A record holding more characters than this is taken for a quote that was never closed.</summary>
    internal const int MaxRecordLength = 8 * 1024 * 1024;

    private enum State { FieldStart, Unquoted, Quoted, QuoteInQuoted }

    /// <summary>
    /// Characters read from the text at a time: below the large object heap (85,000 bytes), so the thousands of small
    /// files of an audit do not each allocate there and drive a full collection every few dozen files.
    /// </summary>
    internal const int BufferChars = 16 * 1024;

    private readonly char[] _buffer = new char[BufferChars];
    private readonly List<int> _fieldEnds = [];
    private int _position;
    private int _filled;
    private char[] _chars = new char[1024];
    private int _length;
    private int _line = 1;
    private bool _previousWasCr;
    private bool _skipLf;

    /// <summary>The physical line the current record starts on.</summary>
    public int LineFrom { get; private set; }

    public int FieldCount => _fieldEnds.Count;

    /// <summary>The first field whose closing quote is followed by other text (<c>"abc"def</c>), or -1.</summary>
    public int StrayQuoteField { get; private set; } = -1;

    /// <summary>The line of the opening quote of the first quoted field holding a line break, or 0 when the record is one line.</summary>
    public int MultiLineQuoteLine { get; private set; }

    /// <summary>Characters looked at so far, each once: the reader's work is linear in its input.</summary>
    public long CharsExamined { get; private set; }

    public ReadOnlySpan<char> this[int field]
    {
        get
        {
            var start = field == 0 ? 0 : _fieldEnds[field - 1];
            return _chars.AsSpan(start, _fieldEnds[field] - start);
        }
    }

    /// <summary>Reads the next record; false at end of input.</summary>
    /// <exception cref="FileFormatException">A quoted field is never closed, or a record is implausibly long.</exception>
    public bool Read()
    {
        _length = 0;
        _fieldEnds.Clear();
        StrayQuoteField = -1;
        MultiLineQuoteLine = 0;
        if (_skipLf && Peek() == '\n')
        {
            Next();
        }
        _skipLf = false;
        if (Peek() < 0)
        {
            return false;
        }
        LineFrom = _line;
        var state = State.FieldStart;
        var quoteLine = 0;
        while (true)
        {
            var c = Next();
            switch (state)
            {
                case State.Quoted:
                    if (c == '"')
                    {
                        state = State.QuoteInQuoted;
                    }
                    else if (c < 0)
                    {
                        throw new FileFormatException(quoteLine, "quoted field is never closed");
                    }
                    else
                    {
                        if (c is '\n' or '\r' && MultiLineQuoteLine == 0)
                        {
                            MultiLineQuoteLine = quoteLine;
                        }
                        Append((char)c);
                    }
                    continue;
                case State.QuoteInQuoted when c == '"':
                    Append('"');
                    state = State.Quoted;
                    continue;
                case State.QuoteInQuoted when c is not (',' or '\n' or '\r' or -1):
                    if (StrayQuoteField < 0)
                    {
                        StrayQuoteField = _fieldEnds.Count;
                    }
                    state = State.Unquoted;
                    break;
                case State.FieldStart when c == '"':
                    quoteLine = _line;
                    state = State.Quoted;
                    continue;
                default:
                    break;
            }
            // Outside quotes: a separator, a line end, or a plain character.
            switch (c)
            {
                case ',':
                    if (_fieldEnds.Count + _length >= MaxRecordLength)
                    {
                        throw TooLong();
                    }
                    _fieldEnds.Add(_length);
                    state = State.FieldStart;
                    break;
                case '\n' or '\r' or -1:
                    _fieldEnds.Add(_length);
                    _skipLf = c == '\r';
                    return true;
                default:
                    Append((char)c);
                    state = State.Unquoted;
                    break;
            }
        }
    }

    private void Append(char c)
    {
        if (_length == _chars.Length)
        {
            if (_length >= MaxRecordLength)
            {
                throw TooLong();
            }
            Array.Resize(ref _chars, Math.Min(_chars.Length * 2, MaxRecordLength));
        }
        _chars[_length++] = c;
    }

    private FileFormatException TooLong() =>
        new(LineFrom, $"record is longer than {MaxRecordLength} characters (a quote that is never closed?)");

    private int Peek()
    {
        if (_position == _filled && !Fill())
        {
            return -1;
        }
        return _buffer[_position];
    }

    private int Next()
    {
        if (_position == _filled && !Fill())
        {
            return -1;
        }
        var c = _buffer[_position++];
        CharsExamined++;
        // A line break is LF, CRLF or a lone CR; the line count moves on once for each.
        if (c == '\n')
        {
            if (!_previousWasCr)
            {
                _line++;
            }
            _previousWasCr = false;
        }
        else
        {
            if (c == '\r')
            {
                _line++;
            }
            _previousWasCr = c == '\r';
        }
        return c;
    }

    private bool Fill()
    {
        _position = 0;
        _filled = text.Read(_buffer, 0, _buffer.Length);
        return _filled > 0;
    }
}
