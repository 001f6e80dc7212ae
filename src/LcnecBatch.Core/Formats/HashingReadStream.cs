using System.Security.Cryptography;

namespace LcnecBatch.Core.Formats;

/// <summary>
/// Reads through to another stream, forward only, and hashes (SHA-256) every byte read, so a blob is
/// identified by its content without being read twice or held in memory. The inner stream is not disposed.
/// </summary>
public sealed class HashingReadStream(Stream inner) : ForwardReadStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>Reads what is left, then gives the hash of every byte of the stream, as lower-case hex.</summary>
    public async Task<string> HashToEndAsync(CancellationToken cancellationToken)
    {
        await CopyToAsync(Null, cancellationToken);
        return Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    /// <inheritdoc cref="HashToEndAsync"/>
    public string HashToEnd()
    {
        CopyTo(Null);
        return Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        _hash.AppendData(buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        _hash.AppendData(buffer.Span[..read]);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
