using System.Text;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Timeline;

namespace LcnecBatch.Core.Tests.Timeline;

/// <summary>
/// Issue 19, bounded memory: the spill file a dormant patient's facts go to is patient data at rest: encrypted and
/// authenticated per blob, private to the user, gone when closed.
/// </summary>
public sealed class SpillFileTests(SpilledFacts real) : IClassFixture<SpilledFacts>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lcnec-spill-test-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static byte[] Blob(Random random, int maxLength)
    {
        var bytes = new byte[random.Next(maxLength + 1)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] RawBytes(SpillFile spill, SpillHandle handle)
    {
        using var file = new FileStream(spill.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new byte[handle.Length];
        file.Position = handle.Offset;
        file.ReadExactly(bytes);
        return bytes;
    }

    private static void Corrupt(SpillFile spill, long offset, Func<byte, byte> change)
    {
        using var file = new FileStream(spill.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        file.Position = offset;
        var b = (byte)file.ReadByte();
        file.Position = offset;
        file.WriteByte(change(b));
    }

    [Fact]
    public void Read_ManyBlobsInRandomOrder_GivesEachBlobBack()
    {
        var random = new Random(7);
        var blobs = Enumerable.Range(0, 400).Select(_ => Blob(random, 3000)).ToList();
        using var spill = new SpillFile(_directory);

        var handles = blobs.Select(b => spill.Append(b)).ToList();

        foreach (var i in Enumerable.Range(0, blobs.Count).OrderBy(_ => random.Next()))
        {
            Assert.Equal(blobs[i], spill.Read(handles[i]));
        }
        Assert.Equal(400, spill.Blobs);
        Assert.Equal(blobs.Sum(b => b.Length + 28L), spill.BytesWritten);
        Assert.Equal(spill.BytesWritten, new FileInfo(spill.Path).Length);
    }

    [Fact]
    public void Read_FromManyThreadsAtOnce_GivesEachBlobBack()
    {
        var random = new Random(11);
        var blobs = Enumerable.Range(0, 200).Select(_ => Blob(random, 2000)).ToList();
        using var spill = new SpillFile(_directory);
        var handles = blobs.Select(b => spill.Append(b)).ToList();

        var wrong = 0;
        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            if (!spill.Read(handles[i % blobs.Count]).AsSpan().SequenceEqual(blobs[i % blobs.Count]))
            {
                Interlocked.Increment(ref wrong);
            }
        });

        Assert.Equal(0, wrong);
    }

    [Fact]
    public void SpillFile_WhileOpen_IsPrivateToTheUser_AndIsGoneAfterDispose()
    {
        var spill = new SpillFile(_directory);
        spill.Append("x"u8);

        Assert.True(File.Exists(spill.Path));
        Assert.Equal(_directory, Path.GetDirectoryName(spill.Path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(spill.Path));
        }

        spill.Dispose();

        Assert.False(File.Exists(spill.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory));
    }

    [Fact]
    public void SpillFile_TwoInstances_HaveDifferentRandomNames()
    {
        using var one = new SpillFile(_directory);
        using var two = new SpillFile(_directory);

        Assert.NotEqual(one.Path, two.Path);
    }

    [Fact]
    public void File_HoldsNoPatientDataInPlain()
    {
        var patient = real.Patients.First(p => p.OfType<PathologyReported>().Any(r => r.FinalDiagnosis.Length > 20));
        var mrn = Encoding.UTF8.GetBytes(((IPatientFact)patient[0]).Mrn);
        var text = Encoding.UTF8.GetBytes(patient.OfType<PathologyReported>().First(r => r.FinalDiagnosis.Length > 20).FinalDiagnosis[..20]);
        var plain = PatientFactCodec.Write(patient);
        Assert.True(plain.AsSpan().IndexOf(mrn) >= 0 && plain.AsSpan().IndexOf(text) >= 0);
        using var spill = new SpillFile(_directory);

        spill.Append(plain);
        spill.Append(plain);

        var onDisk = File.ReadAllBytes(spill.Path);
        Assert.Equal(2 * (plain.Length + 28), onDisk.Length);
        Assert.True(onDisk.AsSpan().IndexOf(mrn) < 0);
        Assert.True(onDisk.AsSpan().IndexOf(text) < 0);
    }

    [Fact]
    public void Append_SamePlaintextTwice_WritesDifferentBytes()
    {
        using var spill = new SpillFile(_directory);
        var plain = Encoding.UTF8.GetBytes(new string('a', 200));

        var first = spill.Append(plain);
        var second = spill.Append(plain);

        var (a, b) = (RawBytes(spill, first), RawBytes(spill, second));
        Assert.NotEqual(a[..12], b[..12]);
        Assert.NotEqual(a[12..], b[12..]);
        Assert.Equal(plain, spill.Read(second));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(12)]
    [InlineData(100)]
    [InlineData(-1)]
    public void Read_ByteFlippedOnDisk_IsInvalidData_OtherBlobsStillRead(int at)
    {
        using var spill = new SpillFile(_directory);
        var before = spill.Append(new byte[150]);
        var target = spill.Append(Encoding.UTF8.GetBytes(new string('b', 150)));
        var after = spill.Append(new byte[150]);

        Corrupt(spill, target.Offset + (at < 0 ? target.Length - 1 : at), b => (byte)(b ^ 0x01));

        var error = Assert.Throws<InvalidDataException>(() => spill.Read(target));
        Assert.DoesNotContain("bbbb", error.Message, StringComparison.Ordinal);
        Assert.Equal(new byte[150], spill.Read(before));
        Assert.Equal(new byte[150], spill.Read(after));
    }

    [Fact]
    public void Read_BlobCopiedOverAnotherOfTheSameLength_IsInvalidData()
    {
        using var spill = new SpillFile(_directory);
        var first = spill.Append(Encoding.UTF8.GetBytes("first blob"));
        var second = spill.Append(Encoding.UTF8.GetBytes("other blob"));
        var copied = RawBytes(spill, first);
        using (var file = new FileStream(spill.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            file.Position = second.Offset;
            file.Write(copied);
        }

        Assert.Throws<InvalidDataException>(() => spill.Read(second));
        Assert.Equal("first blob"u8.ToArray(), spill.Read(first));
    }

    [Fact]
    public void Read_HandleCutShortOrFileTruncated_IsInvalidData()
    {
        using var spill = new SpillFile(_directory);
        var handle = spill.Append(new byte[64]);
        var last = spill.Append(new byte[64]);

        Assert.Throws<InvalidDataException>(() => spill.Read(handle with { Length = handle.Length - 1 }));
        using (var file = new FileStream(spill.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            file.SetLength(last.Offset + 40);
        }
        Assert.Throws<InvalidDataException>(() => spill.Read(last));
        Assert.Equal(new byte[64], spill.Read(handle));
    }

    [Fact]
    public void Read_RealPatientsThroughTheSpillFile_AreTheSameFacts()
    {
        using var spill = new SpillFile(_directory);
        var handles = real.Patients.Select(p => spill.Append(PatientFactCodec.Write(p))).ToList();

        for (var i = handles.Count - 1; i >= 0; i--)
        {
            Assert.Equal(real.Patients[i], PatientFactCodec.Read(spill.Read(handles[i])));
        }
    }
}
