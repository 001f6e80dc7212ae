using System.Text;
using LcnecBatch.Core.Genomics;
using LcnecBatch.Core.Tests.Formats.Vcf;
using LcnecBatch.Core.Tests.TestData;

namespace LcnecBatch.Core.Tests.Genomics;

/// <summary>
/// Real caller outputs (the genomics corpus and the sample archive's own ngs files), mutated a few hundred times
/// each with fixed seeds, read through <see cref="AlkNgsScanner.Scan"/> as plain text, gzip and BGZF. Whatever the
/// bytes, the scan returns: a failure with a line and a reason, or a result; the same bytes give the same answer.
/// </summary>
public class NgsFuzzTests
{
    private const int MutationsPerFile = 240;

    public static TheoryData<string> SeedFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Seeds())
        {
            data.Add(file);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SeedFiles))]
    public void Scan_MutatedRealFile_ReturnsAFailureWithPositionOrAResultAndReadsAlikeTwice(string seedFile)
    {
        var original = File.ReadAllBytes(Resolve(seedFile));
        var fileName = FileNameFor(original);
        // STAR-Fusion before 1.x has no FFPM column: read with the filter off, or every mutation fails at the header.
        var options = fileName.EndsWith(".star-fusion.tsv", StringComparison.Ordinal) && original.AsSpan().IndexOf("\tFFPM\t"u8) < 0
            ? new NgsScanOptions { StarFusionMinimumFfpm = 0 }
            : NgsScanOptions.Default;
        var random = new Random(StableSeed(seedFile));
        var failures = 0;
        for (var i = 0; i < MutationsPerFile; i++)
        {
            var (operation, mutated) = NgsMutator.Mutate(random, original);
            var (packing, bytes) = NgsMutator.Pack(random, mutated);
            var context = $"{seedFile}, mutation {i}: {operation}, {packing}";
            var first = ScanOrFail(bytes, fileName, options, context);
            var second = ScanOrFail(bytes, fileName, options, context);

            Assert.True(NgsInputs.Describe(first) == NgsInputs.Describe(second), $"{context}: two reads differ");
            if (first.Failure is { } failure)
            {
                failures++;
                Assert.True(failure.Line is >= 1, $"{context}: failure without a line: {failure.Reason}");
                Assert.False(string.IsNullOrWhiteSpace(failure.Reason), context);
                Assert.Empty(first.Fusions);
                Assert.Empty(first.Mutations);
            }
            else if (first.Format is not NgsFileFormat.Vcf)
            {
                // A fusion-table row is at most one call, kept or dropped.
                Assert.True(first.Fusions.Count + first.CallsFilteredOut <= first.RecordsRead, context);
            }
        }
        // Some mutations must be harmless and some fatal, or the mutator is not exercising the readers.
        Assert.InRange(failures, 1, MutationsPerFile - 1);
    }

    private static AlkNgsScan ScanOrFail(byte[] bytes, string fileName, NgsScanOptions options, string context)
    {
        try
        {
            return AlkNgsScanner.Scan(new MemoryStream(bytes), fileName, options);
        }
        catch (Exception e)
        {
            Assert.Fail($"{context}: {e}");
            throw;
        }
    }

    // The corpus files (when ../shared is present) and one file of each kind from the sample archive.
    private static IEnumerable<string> Seeds()
    {
        string[] corpus =
        [
            "arriba_test/fusions.tsv",
            "arriba_RNAsum_testdata/fusions.tsv",
            "star-fusion_benchmarking_H2228/star-fusion.fusion_candidates.final.abridged",
            "fusioncatcher_test/final-list_candidate-fusion-genes.vcf",
        ];
        if (GenomicsCorpus.Root is not null)
        {
            foreach (var file in corpus)
            {
                yield return "corpus:" + file;
            }
        }
        var archive = Directory.EnumerateFiles(RepositoryRoot.SampleArchive, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == "ngs")
            .Select(f => Path.GetRelativePath(RepositoryRoot.SampleArchive, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var kind in new[] { ".vcf", ".arriba.tsv", ".star-fusion.tsv" })
        {
            foreach (var file in archive.Where(f => f.EndsWith(kind, StringComparison.Ordinal)).Take(2))
            {
                yield return "samples:" + file;
            }
        }
    }

    private static string Resolve(string seedFile) =>
        seedFile.StartsWith("corpus:", StringComparison.Ordinal)
            ? GenomicsCorpus.File(seedFile["corpus:".Length..])
            : Path.Combine(RepositoryRoot.SampleArchive, seedFile["samples:".Length..]);

    private static string FileNameFor(byte[] content) =>
        content.AsSpan().StartsWith("##fileformat=VCF"u8) ? "S26-00001.vcf"
        : content.AsSpan().StartsWith("#gene1"u8) ? "S26-00001.arriba.tsv"
        : "S26-00001.star-fusion.tsv";

    // string.GetHashCode is randomised per process; the seed must not be.
    private static int StableSeed(string text)
    {
        var hash = 17;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash * 31) + b);
        }
        return hash;
    }
}

/// <summary>The mutations of <see cref="NgsFuzzTests"/>: each returns new bytes and says what it did.</summary>
internal static class NgsMutator
{
    private static readonly byte[] Inserted = [(byte)'\t', (byte)'\n', (byte)'\r', 0, 0xFF];

    private static readonly string[] NumberReplacements =
        ["99999999999999999999999", "-1", "0", "1e400", "N", ".", "NaN", "inf", "-inf", "", "9223372036854775807", "2147483648"];

    public static (string Operation, byte[] Bytes) Mutate(Random random, byte[] original)
    {
        var bytes = (byte[])original.Clone();
        var operations = 1 + random.Next(3);
        var done = new List<string>();
        for (var o = 0; o < operations; o++)
        {
            var (name, next) = random.Next(9) switch
            {
                0 => FlipBit(random, bytes),
                1 => Insert(random, bytes),
                2 => DeleteRange(random, bytes),
                3 => Truncate(random, bytes),
                4 => DuplicateLine(random, bytes),
                5 => DeleteHeaderLine(random, bytes),
                6 => ReplaceNumber(random, bytes),
                7 => CutField(random, bytes),
                _ => ReplaceField(random, bytes),
            };
            done.Add(name);
            bytes = next;
        }
        return (string.Join(", ", done), bytes);
    }

    /// <summary>Plain, gzip or BGZF; the compressed forms are sometimes cut short or hit in a compressed byte.</summary>
    public static (string Packing, byte[] Bytes) Pack(Random random, byte[] content)
    {
        var kind = random.Next(3);
        if (kind == 0 || content.Length == 0)
        {
            return ("plain", content);
        }
        var packed = kind == 1 ? NgsInputs.Gzip(content) : NgsInputs.Bgzf(content, content.Length / 2);
        var name = kind == 1 ? "gzip" : "bgzf";
        switch (random.Next(4))
        {
            case 0:
                var at = random.Next(packed.Length);
                return ($"{name} cut at {at}", packed[..at]);
            case 1:
                var flip = random.Next(packed.Length);
                packed[flip] ^= (byte)(1 << random.Next(8));
                return ($"{name} byte {flip} flipped", packed);
            default:
                return (name, packed);
        }
    }

    private static (string, byte[]) FlipBit(Random random, byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return ("flip (empty)", bytes);
        }
        var at = random.Next(bytes.Length);
        var copy = (byte[])bytes.Clone();
        copy[at] ^= (byte)(1 << random.Next(8));
        return ($"flip at {at}", copy);
    }

    private static (string, byte[]) Insert(Random random, byte[] bytes)
    {
        var at = random.Next(bytes.Length + 1);
        var value = Inserted[random.Next(Inserted.Length)];
        return ($"insert 0x{value:X2} at {at}", [.. bytes[..at], value, .. bytes[at..]]);
    }

    private static (string, byte[]) DeleteRange(Random random, byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return ("delete (empty)", bytes);
        }
        var at = random.Next(bytes.Length);
        var length = 1 + random.Next(Math.Min(64, bytes.Length - at));
        return ($"delete {length} at {at}", [.. bytes[..at], .. bytes[(at + length)..]]);
    }

    private static (string, byte[]) Truncate(Random random, byte[] bytes)
    {
        var at = random.Next(bytes.Length + 1);
        return ($"truncate at {at}", bytes[..at]);
    }

    private static (string, byte[]) DuplicateLine(Random random, byte[] bytes)
    {
        var lines = Lines(bytes);
        if (lines.Count == 0)
        {
            return ("duplicate (no line)", bytes);
        }
        var (start, end) = lines[random.Next(lines.Count)];
        var times = 1 + random.Next(3);
        var copies = Enumerable.Repeat(bytes[start..end], times).SelectMany(b => b).ToArray();
        return ($"duplicate line at {start} x{times}", [.. bytes[..end], .. copies, .. bytes[end..]]);
    }

    private static (string, byte[]) DeleteHeaderLine(Random random, byte[] bytes)
    {
        var header = Lines(bytes).Where(l => bytes[l.Start] == (byte)'#').ToList();
        if (header.Count == 0)
        {
            return ("delete header line (none)", bytes);
        }
        var (start, end) = header[random.Next(header.Count)];
        return ($"delete header line at {start}", [.. bytes[..start], .. bytes[end..]]);
    }

    // A run of digits becomes a huge number, a negative one, "N", ".", NaN, an infinity or nothing.
    private static (string, byte[]) ReplaceNumber(Random random, byte[] bytes)
    {
        var runs = new List<(int Start, int End)>();
        for (var i = 0; i < bytes.Length; i++)
        {
            if (char.IsAsciiDigit((char)bytes[i]))
            {
                var start = i;
                while (i < bytes.Length && char.IsAsciiDigit((char)bytes[i]))
                {
                    i++;
                }
                runs.Add((start, i));
            }
        }
        if (runs.Count == 0)
        {
            return ("number (none)", bytes);
        }
        var (s, e) = runs[random.Next(runs.Count)];
        var replacement = NumberReplacements[random.Next(NumberReplacements.Length)];
        return ($"number at {s} -> \"{replacement}\"", [.. bytes[..s], .. Encoding.ASCII.GetBytes(replacement), .. bytes[e..]]);
    }

    // A whole tab-separated field of a data line becomes one of the replacements.
    private static (string, byte[]) ReplaceField(Random random, byte[] bytes)
    {
        var data = Lines(bytes).Where(l => bytes[l.Start] != (byte)'#').ToList();
        if (data.Count == 0)
        {
            return ("field (no data line)", bytes);
        }
        var (start, end) = data[random.Next(data.Count)];
        var fields = Encoding.UTF8.GetString(bytes, start, end - start).TrimEnd('\n').Split('\t');
        var column = random.Next(fields.Length);
        fields[column] = NumberReplacements[random.Next(NumberReplacements.Length)];
        var line = Encoding.UTF8.GetBytes(string.Join('\t', fields) + (bytes[end - 1] == (byte)'\n' ? "\n" : string.Empty));
        return ($"field {column + 1} of line at {start}", [.. bytes[..start], .. line, .. bytes[end..]]);
    }

    // A tab-separated field of a data line cut short: "T]chr2:29224000]" becomes "T]chr2:2" or "T]".
    private static (string, byte[]) CutField(Random random, byte[] bytes)
    {
        var data = Lines(bytes).Where(l => bytes[l.Start] != (byte)'#').ToList();
        if (data.Count == 0)
        {
            return ("cut field (no data line)", bytes);
        }
        var (start, end) = data[random.Next(data.Count)];
        var tabs = Enumerable.Range(start, end - start).Where(i => bytes[i] is (byte)'\t' or (byte)'\n').Prepend(start - 1).ToList();
        var field = random.Next(tabs.Count - 1);
        var (from, to) = (tabs[field] + 1, tabs[field + 1]);
        var keep = from + random.Next(Math.Max(1, to - from));
        return ($"cut field {field + 1} of line at {start} to {keep - from} bytes", [.. bytes[..keep], .. bytes[to..]]);
    }

    // Lines as (start, end) with end past the '\n'; non-empty only.
    private static List<(int Start, int End)> Lines(byte[] bytes)
    {
        var lines = new List<(int, int)>();
        var start = 0;
        while (start < bytes.Length)
        {
            var newline = Array.IndexOf(bytes, (byte)'\n', start);
            var end = newline < 0 ? bytes.Length : newline + 1;
            lines.Add((start, end));
            start = end;
        }
        return lines;
    }
}
