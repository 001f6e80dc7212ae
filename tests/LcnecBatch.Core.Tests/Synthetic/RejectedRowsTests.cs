using System.Globalization;
using LcnecBatch.Core.Synthetic;

namespace LcnecBatch.Core.Tests.Synthetic;

/// <summary>
/// truth.json's rejectedRows against the files themselves, read back with Sep: every listed line starts a
/// record that is bad in the listed column, and no other record of the archive is bad.
/// </summary>
public sealed class RejectedRowsTests(DefaultArchiveFixture fixture) : IClassFixture<DefaultArchiveFixture>
{
    private static readonly Dictionary<string, string[]> Required = new(StringComparer.Ordinal)
    {
        ["patients.csv"] = ["mrn"],
        ["pathology_reports.csv"] = ["accession", "mrn", "report_date", "final_diagnosis"],
        ["ihc_results.csv"] = ["accession", "mrn", "result_date", "marker", "result"],
        ["molecular_results.csv"] = ["accession", "mrn", "result_date", "method", "gene", "result"],
    };

    private static readonly Dictionary<string, string[]> Words = new(StringComparer.Ordinal)
    {
        ["sex"] = ["F", "M", "U", "female", "male", "unknown"],
        ["smoking_status"] = ["never", "former", "current", "unknown"],
        ["ihc_results.csv:result"] = ["positive", "negative", "equivocal", "not_evaluable"],
        ["molecular_results.csv:result"] = ["detected", "not_detected", "indeterminate", "failed"],
        ["method"] = ["NGS", "FISH", "RT-PCR"],
    };

    private readonly GeneratedArchive _archive = fixture.Archive;

    [Fact]
    public void RejectedRows_EachPointsAtTheStartOfABadRecord()
    {
        var records = _archive.Records().ToDictionary(r => (r.Source, r.Line));

        Assert.All(_archive.Truth.RejectedRows, rejected =>
        {
            Assert.True(records.TryGetValue((rejected.Source, rejected.Line), out var record), $"no record starts at {rejected.Source}:{rejected.Line}");
            Assert.Equal(rejected.Column, BadColumn(record!));
        });
    }

    [Fact]
    public void RejectedRows_ListEveryBadRecordOfTheArchive()
    {
        var bad = _archive.Records().Select(r => (r.Source, r.Line, Column: BadColumn(r))).Where(r => r.Column is not null).ToList();

        Assert.Equal(
            _archive.Truth.RejectedRows.Select(r => $"{r.Source}:{r.Line}:{r.Column}"),
            bad.OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.Line).Select(r => $"{r.Source}:{r.Line}:{r.Column}"));
    }

    [Fact]
    public void RejectedRows_CoverEachKindOfBadRow()
    {
        var rejected = _archive.Truth.RejectedRows;

        Assert.Contains(rejected, r => r.Source.EndsWith("/patients.csv", StringComparison.Ordinal) && r.Column == "mrn");
        Assert.Contains(rejected, r => r.Source.EndsWith("/pathology_reports.csv", StringComparison.Ordinal) && r.Column == "report_date");
        Assert.Contains(rejected, r => r.Source.EndsWith("/ihc_results.csv", StringComparison.Ordinal) && r.Column == "result");
        Assert.Equal(2, rejected.Count(r => r.Column == "file"));
        Assert.Contains(rejected, r => r.Column == "method");
        Assert.Contains(rejected, r => r.Column == "gene");
        // Records before a bad pathology row hold multi-line diagnoses: its line is not its record number + 1.
        var pathology = rejected.Single(r => r.Column == "report_date");
        var index = _archive.Records().Where(r => r.Source == pathology.Source).ToList().FindIndex(r => r.Line == pathology.Line);
        Assert.True(pathology.Line > index + 2 || index == 0, $"line {pathology.Line}, record {index + 1}");
    }

    [Fact]
    public void RejectedRows_CarryNoFactOfAnLcnecPatient()
    {
        var lcnec = _archive.Truth.Cases.Where(c => c.Lcnec is LcnecLabel.Affirmed or LcnecLabel.Historical).Select(c => c.Mrn).ToHashSet();
        var records = _archive.Records().ToDictionary(r => (r.Source, r.Line));

        Assert.All(_archive.Truth.RejectedRows, r => Assert.DoesNotContain(records[(r.Source, r.Line)]["mrn"], lcnec));
    }

    /// <summary>The first column the record is bad in, in column order; a short record is blamed on the first column it lacks.</summary>
    private static string? BadColumn(CsvRecord record)
    {
        if (record.Fields < record.Header.Count)
        {
            return record.Header[record.Fields].ToLowerInvariant();
        }
        foreach (var column in record.Header.Select(h => h.ToLowerInvariant()))
        {
            var value = record[column];
            var bad = column switch
            {
                _ when Required[record.File].Contains(column) && value.Trim().Length == 0 => true,
                _ when value.Length == 0 => false,
                "birth_date" or "report_date" or "result_date" => !DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                "sex" or "smoking_status" or "method" => !Words[column].Contains(value),
                "result" => !Words[$"{record.File}:result"].Contains(value),
                "file" => value.StartsWith('/') || value.Split('/').Contains(".."),
                _ => false,
            };
            if (bad)
            {
                return column;
            }
        }
        return null;
    }
}
