using LcnecBatch.Core.Formats;

namespace LcnecBatch.Core.Tests.TestData;

/// <summary>
/// A read-only stream that decides how many bytes each read may hand out, from the position it is at: at most
/// <c>chunk</c> per read, or everything up to one offset and the rest after. Exercises every buffer boundary.
/// </summary>
internal sealed class ChunkedStream(byte[] bytes, Func<int, int> mostAt) : ForwardReadStream
{
    private int _position;

    /// <summary>At most <paramref name="chunk"/> bytes per read.</summary>
    public ChunkedStream(byte[] bytes, int chunk)
        : this(bytes, _ => chunk)
    {
    }

    /// <summary>The bytes before <paramref name="split"/>, then the rest, in separate reads: a chunk boundary exactly there.</summary>
    public static ChunkedStream SplitAt(byte[] bytes, int split) => new(bytes, position => position < split ? split - position : int.MaxValue);

    public override int Read(Span<byte> buffer)
    {
        var n = Math.Min(Math.Min(buffer.Length, mostAt(_position)), bytes.Length - _position);
        bytes.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }
}
