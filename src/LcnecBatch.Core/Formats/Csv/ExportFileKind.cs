namespace LcnecBatch.Core.Formats.Csv;

/// <summary>The canonical CSV files of a batch (<c>export-format.md</c>).</summary>
public enum ExportFileKind { Patients, PathologyReports, IhcResults, MolecularResults }

public static class ExportFiles
{
    public static bool TryGetKind(string fileName, out ExportFileKind kind)
    {
        switch (fileName.ToLowerInvariant())
        {
            case "patients.csv": kind = ExportFileKind.Patients; return true;
            case "pathology_reports.csv": kind = ExportFileKind.PathologyReports; return true;
            case "ihc_results.csv": kind = ExportFileKind.IhcResults; return true;
            case "molecular_results.csv": kind = ExportFileKind.MolecularResults; return true;
            default: kind = default; return false;
        }
    }

    /// <summary>Every column the reader knows for a kind, and whether a value is required.</summary>
    public static IReadOnlyList<(string Name, bool Required)> Columns(ExportFileKind kind) => kind switch
    {
        ExportFileKind.Patients =>
            [("mrn", true), ("sex", false), ("birth_date", false), ("smoking_status", false), ("pack_years", false), ("care_team", false)],
        ExportFileKind.PathologyReports =>
            [("accession", true), ("mrn", true), ("report_date", true), ("specimen_site", false), ("procedure", false),
             ("final_diagnosis", true), ("icdo3_morphology", false), ("icdo3_topography", false), ("stage", false),
             ("addendum", false), ("report_status", false), ("care_team", false)],
        ExportFileKind.IhcResults =>
            [("accession", true), ("mrn", true), ("result_date", true), ("marker", true), ("clone", false),
             ("result", true), ("value", false), ("comment", false)],
        ExportFileKind.MolecularResults =>
            [("accession", true), ("mrn", true), ("result_date", true), ("method", true), ("gene", true),
             ("result", true), ("alteration", false), ("file", false)],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
