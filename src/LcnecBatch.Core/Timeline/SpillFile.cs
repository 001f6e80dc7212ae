using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace LcnecBatch.Core.Timeline;

/// <summary>Where one blob stands in a <see cref="SpillFile"/>: its offset and its length on disk (nonce, ciphertext, tag).</summary>
internal readonly record struct SpillHandle(long Offset, int Length);

/// <summary>
/// An append-only temporary file of encrypted blobs (a dormant patient's facts, see <see cref="PatientFactCodec"/>).
/// Patient data at rest: each blob is sealed with AES-GCM under a random 256-bit key made for this instance, which never
/// leaves the process; the nonce is a counter (never reused within the instance) stored before the ciphertext, the
/// blob's offset is authenticated with it (a blob moved elsewhere in the file does not open). The file has a random
/// name, is created 0600 on Unix and is deleted when closed (also by the OS if the process dies, on Windows; on Unix
/// it stays until the process closes it and then goes). Reads are thread-safe; appends are serialised.
/// </summary>
internal sealed class SpillFile : IDisposable
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly FileStream _stream;
    private readonly SafeFileHandle _file;
    private readonly AesGcm _aes;
    private readonly Lock _gate = new();
    private ulong _nonceCounter;
    private long _length;
    private int _blobs;
    private bool _disposed;

    public SpillFile(string? directory = null)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            _aes = new AesGcm(key, TagBytes);
        }
        finally
        {
            // The cipher holds its own copy (freed when disposed); the managed one is not kept.
            CryptographicOperations.ZeroMemory(key);
        }
        Path = System.IO.Path.Combine(directory ?? System.IO.Path.GetTempPath(), $"lcnec-spill-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}.bin");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            // Others may read (the bytes are ciphertext, and the mode keeps other users out); only this instance writes.
            Share = FileShare.Read,
            Options = FileOptions.DeleteOnClose,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            _stream = new FileStream(Path, options);
        }
        catch
        {
            _aes.Dispose();
            throw;
        }
        _file = _stream.SafeFileHandle;
    }

    /// <summary>The file's path (for tests and diagnostics; it holds only ciphertext).</summary>
    public string Path { get; }

    /// <summary>Bytes on disk: every blob with its nonce and tag.</summary>
    public long BytesWritten => Interlocked.Read(ref _length);

    public int Blobs => Volatile.Read(ref _blobs);

    public SpillHandle Append(ReadOnlySpan<byte> plain)
    {
        var record = new byte[NonceBytes + plain.Length + TagBytes];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var nonce = record.AsSpan(0, NonceBytes);
            BinaryPrimitives.WriteUInt64LittleEndian(nonce, checked(++_nonceCounter));
            var offset = _length;
            Span<byte> associated = stackalloc byte[sizeof(long)];
            BinaryPrimitives.WriteInt64LittleEndian(associated, offset);
            _aes.Encrypt(nonce, plain, record.AsSpan(NonceBytes, plain.Length), record.AsSpan(NonceBytes + plain.Length), associated);
            RandomAccess.Write(_file, record, offset);
            Interlocked.Exchange(ref _length, offset + record.Length);
            _blobs++;
            return new SpillHandle(offset, record.Length);
        }
    }

    /// <summary>The blob's plaintext; a blob changed or cut short on disk is <see cref="InvalidDataException"/>.</summary>
    public byte[] Read(SpillHandle handle)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (handle.Offset < 0 || handle.Length < NonceBytes + TagBytes || handle.Offset > BytesWritten - handle.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(handle), "The handle is not a blob of this spill file.");
        }
        var record = new byte[handle.Length];
        var read = 0;
        while (read < record.Length)
        {
            var n = RandomAccess.Read(_file, record.AsSpan(read), handle.Offset + read);
            if (n == 0)
            {
                throw new InvalidDataException("A spill file blob is truncated.");
            }
            read += n;
        }
        var plain = new byte[handle.Length - NonceBytes - TagBytes];
        Span<byte> associated = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(associated, handle.Offset);
        try
        {
            // One cipher context: decryptions take turns (the file read above does not).
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _aes.Decrypt(record.AsSpan(0, NonceBytes), record.AsSpan(NonceBytes, plain.Length), record.AsSpan(NonceBytes + plain.Length), plain, associated);
            }
        }
        catch (CryptographicException e)
        {
            CryptographicOperations.ZeroMemory(plain);
            throw new InvalidDataException("A spill file blob failed authentication: it was changed or cut short.", e);
        }
        return plain;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _aes.Dispose();
            _stream.Dispose();
        }
    }
}
