using System.Globalization;
using System.Text;

namespace LcnecBatch.Core.Synthetic;

/// <summary>The canonical columns of export-format.md and the cells of each planned row, as written.</summary>
internal static class CsvCells
{
    public static readonly string[] PatientsHeader = ["mrn", "sex", "birth_date", "smoking_status", "pack_years", "care_team"];

    public static readonly string[] ReportsHeader =
        ["accession", "mrn", "report_date", "specimen_site", "procedure", "final_diagnosis", "icdo3_morphology", "icdo3_topography", "stage", "addendum", "care_team", "report_status"];

    public static readonly string[] IhcHeader = ["accession", "mrn", "result_date", "marker", "clone", "result", "value", "comment"];

    public static readonly string[] MolecularHeader = ["accession", "mrn", "result_date", "method", "gene", "result", "alteration", "file"];

    public static string[] Of(DemographicsRow r) =>
        [r.Mrn, r.Sex ?? "", Date(r.BirthDate), r.Smoking ?? "", r.PackYears?.ToString(CultureInfo.InvariantCulture) ?? "", r.CareTeam ?? ""];

    public static string[] Of(ReportRow r) =>
    [
        r.Specimen.Accession, r.Mrn, Date(r.Date), r.Site, r.Procedure, r.Diagnosis, r.Morphology ?? "", r.Topography ?? "", r.Stage ?? "",
        r.Addendum ? "true" : "", r.CareTeam ?? "", r.Status ?? "",
    ];

    public static string[] Of(IhcRow r) =>
        [r.Specimen.Accession, r.Mrn, Date(r.Date), r.Marker, r.Antibody ?? "", r.Result, r.Value?.ToString(CultureInfo.InvariantCulture) ?? "", r.Comment ?? ""];

    public static string[] Of(MolecularRow r) =>
        [r.Specimen.Accession, r.Mrn, Date(r.Date), r.Method, r.Gene, r.Result, r.Alteration ?? "", r.NamesFile ? RawFilePath(r.Specimen) : ""];

    public static string RawFilePath(Specimen specimen) => $"ngs/{specimen.Accession}.vcf";

    public static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    /// <summary>One RFC 4180 record without its line break: quoted when a cell holds a comma, quote or line break.</summary>
    public static void AppendRecord(StringBuilder text, IReadOnlyList<string> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }
            var cell = cells[i];
            if (cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (cell.Length > 0 && (char.IsWhiteSpace(cell[0]) || char.IsWhiteSpace(cell[^1]))))
            {
                text.Append('"').Append(cell.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                text.Append(cell);
            }
        }
    }
}
