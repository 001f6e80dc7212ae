using System.Text;
using LcnecBatch.Core.Events;
using nietras.SeparatedValues;

namespace LcnecBatch.Core.Formats.Csv;

/// <summary>Counts for one file: every row read is either accepted or rejected.</summary>
public sealed record CsvFileCounts(int Read, int Accepted, int Rejected);

/// <summary>
/// Reads one canonical CSV file of a batch, streaming, with Sep: header names matched case-insensitively in
/// any order, BOM tolerated, quoted multi-line fields, unknown columns ignored. A bad row becomes a
/// <see cref="Rejection"/> and the rest go on; a file that cannot be read as a whole throws
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
        var lastLine = 1;
        try
        {
            using var text = new StreamReader(content, Utf8, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
            SkipBom(text);
            // The header is read as a row of its own, so that duplicated unknown columns are harmless and a
            // duplicated known one is reported in our words.
            using var reader = Sep.New(',').Reader(o => o with
            {
                HasHeader = false,
                Unescape = true,
                DisableColCountCheck = true,
            }).From(text);

            CsvRow? rowReader = null;
            foreach (var row in reader)
            {
                lastLine = row.LineNumberFrom;
                if (row.Span.Count('"') % 2 != 0)
                {
                    // An unterminated quote swallows every later line into one cell: the file cannot be trusted.
                    throw new FileFormatException(lastLine, "quoted field is never closed");
                }
                if (rowReader is null)
                {
                    rowReader = new CsvRow(ResolveHeader(kind, row), sourcePath);
                    continue;
                }
                if (IsBlank(row))
                {
                    continue;
                }
                read++;
                rowReader.Reset(row);
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
        }
        catch (InvalidDataException e)
        {
            // Sep reports structural damage (for instance an unterminated quote at end of file) this way.
            throw new FileFormatException(lastLine, "file is not valid CSV (unterminated quoted field or broken structure)", e);
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

    private static bool IsBlank(SepReader.Row row) => row.ColCount == 1 && row[0].Span.Trim().IsEmpty;

    private static Dictionary<string, int> ResolveHeader(ExportFileKind kind, SepReader.Row header)
    {
        if (IsBlank(header))
        {
            throw new FileFormatException(header.LineNumberFrom, "header row is empty");
        }
        var indexes = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.ColCount; i++)
        {
            var name = header[i].ToString().Trim();
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
                    var birth = row.OptionalDate("birth_date", echo: false);
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
                    var date = row.RequiredDate("report_date");
                    var diagnosis = row.RequiredText("final_diagnosis");
                    var addendum = row.OptionalBoolean("addendum");
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
                        Addendum = addendum ?? false,
                        CareTeam = row.OptionalText("care_team"),
                    };
                }
            case ExportFileKind.IhcResults:
                {
                    var accession = row.RequiredAccession();
                    var mrn = row.RequiredIdentifier("mrn");
                    var date = row.RequiredDate("result_date");
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
                    var date = row.RequiredDate("result_date");
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
