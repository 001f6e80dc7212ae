using System.Text;
using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Formats.Csv;

/// <summary>Counts for one file: every row read is either accepted or rejected.</summary>
public sealed record CsvFileCounts(int Read, int Accepted, int Rejected);

/// <summary>
/// Reads one canonical CSV file of a batch, streaming (<see cref="CsvRecordReader"/>, RFC 4180): header names
/// matched case-insensitively in any order, BOM tolerated, quoted multi-line fields, unknown columns ignored. A bad
/// row becomes a <see cref="Rejection"/> and the rest go on; a file that cannot be read as a whole throws
/// <see cref="FileFormatException"/> (the caller quarantines it).
/// </summary>
public static class CsvExportReader
{
    // Invalid bytes decode to U+FFFD and the row holding them is rejected: one bad byte never costs a file.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <param name="sourcePath">The file's path relative to the archive root, as evidence will cite it.</param>
    /// <param name="batchDate">The batch that delivered the file; becomes <see cref="TimelineEvent.KnownOn"/>.</param>
    public static CsvFileCounts Read(
        ExportFileKind kind,
        Stream content,
        string sourcePath,
        DateOnly batchDate,
        Action<TimelineEvent> onEvent,
        Action<Rejection> onRejection)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(onEvent);
        ArgumentNullException.ThrowIfNull(onRejection);

        var read = 0;
        var rejected = 0;
        // The reader's buffers stay below the large object heap (see CsvRecordReader.BufferChars).
        using var text = new StreamReader(content, Utf8, detectEncodingFromByteOrderMarks: false, bufferSize: CsvRecordReader.BufferChars, leaveOpen: true);
        SkipBom(text);
        var records = new CsvRecordReader(text);
        CsvRow? rowReader = null;
        while (records.Read())
        {
            if (rowReader is null)
            {
                // The header is read as a row of its own, so that duplicated unknown columns are harmless and a
                // duplicated known one is reported in our words.
                rowReader = new CsvRow(ResolveHeader(kind, records), HeaderNames(records), sourcePath);
                continue;
            }
            if (IsBlank(records))
            {
                continue;
            }
            if (records.MultiLineQuoteLine > 0 && (records.StrayQuoteField >= 0 || records.FieldCount != rowReader.HeaderFields))
            {
                // A quote opened by mistake runs on to the next quote, lines later: the record it makes does not
                // fit the header, and the rows it swallowed (other patients') cannot be told apart from text.
                throw new FileFormatException(records.MultiLineQuoteLine, records.StrayQuoteField >= 0
                    ? "quoted field spans lines and text follows its closing quote: it may have swallowed other rows"
                    : $"quoted field spans lines and its row has {records.FieldCount} field(s) but the header has {rowReader.HeaderFields}: it may have swallowed other rows");
            }
            read++;
            rowReader.Reset(records);
            var fact = MapRow(kind, rowReader, batchDate);
            if (rowReader.Error is { } error)
            {
                rejected++;
                onRejection(error);
            }
            else if (fact is not null)
            {
                onEvent(fact);
            }
        }
        if (rowReader is null)
        {
            throw new FileFormatException(1, "file is empty: no header row");
        }
        return new CsvFileCounts(read, read - rejected, rejected);
    }

    private static void SkipBom(StreamReader text)
    {
        if (text.Peek() == '\uFEFF')
        {
            text.Read();
        }
    }

    private static bool IsBlank(CsvRecordReader record) => record.FieldCount == 1 && record[0].Trim().IsEmpty;

    private static string[] HeaderNames(CsvRecordReader header) =>
        [.. Enumerable.Range(0, header.FieldCount).Select(i => header[i].Trim().ToString())];

    private static Dictionary<string, int> ResolveHeader(ExportFileKind kind, CsvRecordReader header)
    {
        if (IsBlank(header))
        {
            throw new FileFormatException(header.LineFrom, "header row is empty");
        }
        var indexes = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.FieldCount; i++)
        {
            var name = header[i].Trim().ToString();
            if (name.Length > 0 && !indexes.TryAdd(name, i) && ExportFiles.Columns(kind).Any(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new FileFormatException(1, $"header names column \"{name.ToLowerInvariant()}\" twice");
            }
        }
        var missing = ExportFiles.Columns(kind).Where(c => c.Required && !indexes.ContainsKey(c.Name)).Select(c => c.Name).ToList();
        if (missing.Count > 0)
        {
            throw new FileFormatException(1, $"header lacks required column(s) {string.Join(", ", missing.Select(m => $"\"{m}\""))}");
        }
        return indexes;
    }

    private static TimelineEvent? MapRow(ExportFileKind kind, CsvRow row, DateOnly batchDate)
    {
        var source = new SourceRef(row.SourcePath, row.Line);
        switch (kind)
        {
            case ExportFileKind.Patients:
                {
                    var mrn = row.RequiredIdentifier("mrn");
                    var sex = row.Optional("sex", Vocabulary.Sex);
                    var birth = row.BirthDate("birth_date", batchDate);
                    var smoking = row.Optional("smoking_status", Vocabulary.Smoking);
                    var packYears = row.OptionalNumber("pack_years");
                    var careTeam = row.OptionalText("care_team");
                    return row.Error is not null ? null : new DemographicsRecorded
                    {
                        KnownOn = batchDate,
                        Source = source,
                        Mrn = mrn!,
                        Sex = sex,
                        BirthDate = birth,
                        Smoking = smoking,
                        PackYears = packYears,
                        CareTeam = careTeam,
                    };
                }
            case ExportFileKind.PathologyReports:
                {
                    var accession = row.RequiredAccession();
                    var mrn = row.RequiredIdentifier("mrn");
                    var date = row.SpecimenDate("report_date", batchDate);
                    var diagnosis = row.RequiredText("final_diagnosis");
                    var addendum = row.OptionalBoolean("addendum");
                    var status = row.Optional("report_status", Vocabulary.ReportStatus);
                    return row.Error is not null ? null : new PathologyReported
                    {
                        KnownOn = batchDate,
                        Source = source,
                        Accession = accession!,
                        Mrn = mrn!,
                        ReportDate = date,
                        FinalDiagnosis = diagnosis!,
                        SpecimenSite = row.OptionalText("specimen_site"),
                        Procedure = row.OptionalText("procedure"),
                        Morphology = row.OptionalText("icdo3_morphology"),
                        Topography = row.OptionalText("icdo3_topography"),
                        Stage = row.OptionalText("stage"),
                        Addendum = (addendum ?? false) || status == ReportStatus.Addendum,
                        Amends = status is ReportStatus.Amended or ReportStatus.Corrected,
                        CareTeam = row.OptionalText("care_team"),
                    };
                }
            case ExportFileKind.IhcResults:
                {
                    var accession = row.RequiredAccession();
                    var mrn = row.RequiredIdentifier("mrn");
                    var date = row.SpecimenDate("result_date", batchDate);
                    var marker = row.RequiredText("marker");
                    var result = row.Required("result", Vocabulary.Ihc);
                    var value = row.OptionalNumber("value");
                    return row.Error is not null ? null : new IhcResulted
                    {
                        KnownOn = batchDate,
                        Source = source,
                        Accession = accession!,
                        Mrn = mrn!,
                        ResultDate = date,
                        Marker = marker!.ToUpperInvariant(),
                        AntibodyClone = row.OptionalText("clone"),
                        Result = result,
                        Value = value,
                        Comment = row.OptionalText("comment"),
                    };
                }
            case ExportFileKind.MolecularResults:
                {
                    var accession = row.RequiredAccession();
                    var mrn = row.RequiredIdentifier("mrn");
                    var date = row.SpecimenDate("result_date", batchDate);
                    var method = row.Required("method", Vocabulary.Method);
                    var gene = row.RequiredText("gene");
                    var result = row.Required("result", Vocabulary.Molecular);
                    var file = row.OptionalBatchPath("file");
                    return row.Error is not null ? null : new MolecularResulted
                    {
                        KnownOn = batchDate,
                        Source = source,
                        Accession = accession!,
                        Mrn = mrn!,
                        ResultDate = date,
                        Method = method,
                        Gene = gene!.ToUpperInvariant(),
                        Result = result,
                        Alteration = row.OptionalText("alteration"),
                        File = file,
                    };
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }
}
