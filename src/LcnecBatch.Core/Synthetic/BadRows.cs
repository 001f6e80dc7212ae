using LcnecBatch.Core.Formats.Csv;

namespace LcnecBatch.Core.Synthetic;

/// <summary>
/// Rows written bad on purpose, one per kind of rejection in export-format.md. Each is a damaged re-send of
/// a row of a patient without LCNEC, placed right after the good original, so no fact the truth depends on
/// is carried by a bad row alone.
/// </summary>
internal static class BadRows
{
    public static void Plan(ArchiveBuilder b)
    {
        var archive = b.Archive;
        var plain = archive.Patients.Where(p => p.Label == LcnecLabel.None).Select(p => p.Mrn).ToHashSet(StringComparer.Ordinal);
        var fallbackMrn = archive.Patients.FirstOrDefault(p => p.Label == LcnecLabel.None)?.Mrn ?? archive.Patients[0].Mrn;
        var year = b.Options.Start.Year;

        // patients.csv: the mrn was lost on the way.
        var demographics = Candidates(b, archive.Demographics.Where(r => plain.Contains(r.Mrn) && r.Sex is not null), 1);
        Add(b, ExportFileKind.Patients, demographics.FirstOrDefault(), r => r.Batch, CsvCells.Of, cells => cells[0] = "", "mrn",
            () => ["", "M", "1950-01-01", "former", "30", "pulmonology"]);

        // pathology_reports.csv: a month that does not exist.
        var badDate = $"{year}-13-01";
        var report = Candidates(b, archive.Reports.Where(r => plain.Contains(r.Mrn) && !r.Addendum), 1).FirstOrDefault();
        var spare = report is null ? b.NewSpecimen('S', b.Options.Start) : null;
        Add(b, ExportFileKind.PathologyReports, report, r => r.Batch, CsvCells.Of, cells => cells[2] = badDate, "report_date",
            () => [spare!.Accession, fallbackMrn, badDate, "Lung, right lower lobe", "CT-guided core biopsy",
                "1. Lung, right lower lobe, CT-guided core biopsy:\n   - Benign lung parenchyma.", "", "", "", "", "", ""]);

        // ihc_results.csv: a result word outside the vocabulary.
        var ihc = Candidates(b, archive.Ihc.Where(r => plain.Contains(r.Mrn) && r.Marker != "ALK"), 1).FirstOrDefault();
        var spareBlock = ihc is null ? b.NewSpecimen('S', b.Options.Start) : null;
        Add(b, ExportFileKind.IhcResults, ihc, r => r.Batch, CsvCells.Of, cells => cells[5] = "pos?", "result",
            () => [spareBlock!.Accession, fallbackMrn, CsvCells.Date(b.Options.Start), "TTF1", "8G7G3/1", "pos?", "", ""]);

        // molecular_results.csv: cut short, a path that leaves the batch, an absolute path, an unknown method.
        var molecular = Candidates(b, archive.Molecular.Where(r => plain.Contains(r.Mrn) && r.Gene != "ALK"), 4);
        var spareRun = molecular.Count < 4 ? b.NewSpecimen('M', b.Options.Start) : null;
        string[] Fabricated() => [spareRun!.Accession, fallbackMrn, CsvCells.Date(b.Options.Start), "NGS", "EGFR", "not_detected", "", ""];
        Add(b, ExportFileKind.MolecularResults, molecular.ElementAtOrDefault(0), r => r.Batch, r => CsvCells.Of(r)[..4], _ => { }, "gene",
            () => Fabricated()[..4]);
        Add(b, ExportFileKind.MolecularResults, molecular.ElementAtOrDefault(1), r => r.Batch, CsvCells.Of,
            cells => cells[7] = $"../{CsvCells.Date(b.Options.Start)}/ngs/{cells[0]}.vcf", "file", Fabricated);
        Add(b, ExportFileKind.MolecularResults, molecular.ElementAtOrDefault(2), r => r.Batch, CsvCells.Of,
            cells => cells[7] = $"/mnt/lis/ngs/{cells[0]}.vcf", "file", Fabricated);
        Add(b, ExportFileKind.MolecularResults, molecular.ElementAtOrDefault(3), r => r.Batch, CsvCells.Of,
            cells => cells[3] = "NanoString", "method", Fabricated);
    }

    /// <summary>Up to <paramref name="count"/> distinct rows, drawn in a fixed order.</summary>
    private static List<T> Candidates<T>(ArchiveBuilder b, IEnumerable<T> rows, int count)
    {
        var pool = rows.ToList();
        var picked = new List<T>();
        while (picked.Count < count && pool.Count > 0)
        {
            var i = b.Next(0, pool.Count);
            picked.Add(pool[i]);
            pool.RemoveAt(i);
        }
        return picked;
    }

    /// <summary>
    /// A damaged copy of <paramref name="source"/> right after it; without a source (tiny archives), a made-up row
    /// at the end of the first batch's file. Cells are made when written, once accessions are numbered.
    /// </summary>
    private static void Add<T>(ArchiveBuilder b, ExportFileKind file, T? source, Func<T, DateOnly> batch, Func<T, string[]> cells,
        Action<string[]> damage, string column, Func<string[]> fabricate) where T : class
    {
        if (source is null)
        {
            string[]? made = null;
            b.Archive.BadRows.Add(new BadRow(file, b.Options.Start, null, () => made ??= Damaged(fabricate(), damage), column));
            return;
        }
        b.Archive.BadRows.Add(new BadRow(file, batch(source), source, () => Damaged(cells(source), damage), column));
    }

    private static string[] Damaged(string[] cells, Action<string[]> damage)
    {
        damage(cells);
        return cells;
    }
}
