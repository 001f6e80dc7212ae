using System.Globalization;
using LcnecBatch.Core.Synthetic;
using nietras.SeparatedValues;

namespace LcnecBatch.Core.Tests.Synthetic;

/// <summary>An archive generated into a fresh temporary folder, deleted on dispose.</summary>
public sealed class GeneratedArchive : IDisposable
{
    public GeneratedArchive(GeneratorOptions options)
    {
        Root = Path.Combine(Path.GetTempPath(), $"lcnec-generate-{Guid.NewGuid():N}");
        Summary = ArchiveGenerator.Generate(options, Root);
        Truth = TruthFile.Load(Path.Combine(Root, TruthFile.FileName));
    }

    public string Root { get; }

    public GenerationSummary Summary { get; }

    public TruthFile Truth { get; }

    /// <summary>Every file, relative to the root with '/' separators, in ordinal order.</summary>
    public IReadOnlyList<string> Files() =>
        [.. Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    /// <summary>The batch folders (named by date): not <c>responses/</c>.</summary>
    public IReadOnlyList<string> BatchFolders() =>
        [.. Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>()
            .Where(n => DateOnly.TryParseExact(n, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)).Order(StringComparer.Ordinal)];

    public string FullPath(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Every CSV record of the archive as read back with Sep, in batch order.</summary>
    public IReadOnlyList<CsvRecord> Records()
    {
        var records = new List<CsvRecord>();
        foreach (var batch in BatchFolders())
        {
            var date = DateOnly.ParseExact(batch, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            foreach (var file in new[] { "patients.csv", "pathology_reports.csv", "ihc_results.csv", "molecular_results.csv" })
            {
                var path = FullPath($"{batch}/{file}");
                if (!File.Exists(path))
                {
                    continue;
                }
                using var reader = Sep.New(',').Reader(o => o with
                {
                    HasHeader = true,
                    Unescape = true,
                    DisableColCountCheck = true,
                    ColNameComparer = StringComparer.OrdinalIgnoreCase,
                }).FromFile(path);
                var header = reader.Header.ColNames.ToList();
                foreach (var row in reader)
                {
                    var cells = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    for (var i = 0; i < Math.Min(row.ColCount, header.Count); i++)
                    {
                        cells[header[i]] = row[i].ToString();
                    }
                    records.Add(new CsvRecord($"{batch}/{file}", file, date, row.LineNumberFrom, row.ColCount, header, cells));
                }
            }
        }
        return records;
    }

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

/// <summary>One CSV record read back from the archive; <see cref="Batch"/> is the date it became known.</summary>
public sealed record CsvRecord(string Source, string File, DateOnly Batch, int Line, int Fields, IReadOnlyList<string> Header, IReadOnlyDictionary<string, string> Cells)
{
    public string this[string column] => Cells.TryGetValue(column, out var value) ? value : "";

    public DateOnly Date(string column) => DateOnly.ParseExact(this[column], "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>The archive of the default options, generated once for the tests that only read it.</summary>
public sealed class DefaultArchiveFixture : IDisposable
{
    public GeneratedArchive Archive { get; } = new(new GeneratorOptions());

    public void Dispose() => Archive.Dispose();
}
