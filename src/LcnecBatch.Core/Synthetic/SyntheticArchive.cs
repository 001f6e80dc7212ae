using LcnecBatch.Core.Formats.Csv;

namespace LcnecBatch.Core.Synthetic;

/// <summary>A specimen; its accession is numbered once every specimen is known, in date order.</summary>
internal sealed class Specimen(char prefix, DateOnly date)
{
    public char Prefix { get; } = prefix;

    public DateOnly Date { get; } = date;

    public string Accession { get; set; } = "";
}

/// <summary>A patient as planned: the label and scenario come from the plan, not from the text.</summary>
internal sealed record SyntheticPatient(string Mrn, LcnecLabel Label, string Scenario, bool IsScenario);

internal sealed record DemographicsRow(string Mrn, DateOnly Batch, string? Sex, DateOnly? BirthDate, string? Smoking, decimal? PackYears, string? CareTeam);

/// <param name="AffirmsLcnec">The report was written to affirm pulmonary LCNEC (plainly or as history).</param>
/// <param name="Advanced">The report's stage column is stage III/IV, or it affirms LCNEC and says "metastatic".</param>
internal sealed record ReportRow(
    Specimen Specimen, string Mrn, DateOnly Date, DateOnly Batch, string Site, string Procedure, string Diagnosis,
    string? Morphology, string? Topography, string? Stage, bool Addendum, string? CareTeam, bool AffirmsLcnec, bool Advanced)
{
    /// <summary>The <c>report_status</c> column: null (not given), final, addendum, amended or corrected.</summary>
    public string? Status { get; init; }

    /// <summary>An amended or corrected version: it replaces what the accession's earlier versions diagnosed.</summary>
    public bool Supersedes => Status is "amended" or "corrected";
}

internal sealed record IhcRow(
    Specimen Specimen, string Mrn, DateOnly Date, DateOnly Batch, string Marker, string? Antibody, string Result, int? Value, string? Comment);

/// <param name="NamesFile">The row's <c>file</c> column points at the raw file delivered in the same batch.</param>
internal sealed record MolecularRow(
    Specimen Specimen, string Mrn, DateOnly Date, DateOnly Batch, string Method, string Gene, string Result, string? Alteration, bool NamesFile);

/// <summary>One small-variant call of a raw NGS file.</summary>
internal sealed record VcfCall(VcfVariant Variant, int Depth, int AltReads, int Quality, bool Passing);

/// <summary>
/// A raw NGS output file, delivered as <c>ngs/{accession}.vcf</c> (or <c>.arriba.tsv</c>, <c>.star-fusion.tsv</c> for
/// an RNA fusion caller's table) in batch <paramref name="Batch"/>.
/// </summary>
internal sealed record RawNgsFile(Specimen Specimen, DateOnly Batch, DateOnly SequencedOn, IReadOnlyList<VcfCall> Calls)
{
    /// <summary>vcf, arriba or star-fusion.</summary>
    public string Format { get; init; } = "vcf";

    /// <summary>For a fusion table: the EML4 exon the EML4–ALK junction ends on (13: v1, 6: v3a).</summary>
    public int Eml4Exon { get; init; } = 13;

    public string RelativePath => Format switch
    {
        "arriba" => $"ngs/{Specimen.Accession}.arriba.tsv",
        "star-fusion" => $"ngs/{Specimen.Accession}.star-fusion.tsv",
        _ => CsvCells.RawFilePath(Specimen),
    };

    /// <summary>Null: no ALK breakend. Otherwise an EML4–ALK v1 breakend pair with this FILTER ("PASS" counts).</summary>
    public string? AlkFusionFilter { get; init; }

    public bool PassingAlkFusion => AlkFusionFilter == "PASS";

    /// <summary>The file holds a passing ALK G1202R call (<see cref="VcfContent.AlkG1202R"/> among <see cref="Calls"/>).</summary>
    public bool HasG1202R => Calls.Any(c => c.Variant == VcfContent.AlkG1202R && c.Passing);
}

/// <summary>A row written bad on purpose, placed right after <paramref name="After"/> (or at the end of its file).</summary>
internal sealed record BadRow(ExportFileKind File, DateOnly Batch, object? After, Func<string[]> Cells, string Column);

/// <summary>Everything the generator decided, before a byte is written.</summary>
internal sealed class SyntheticArchive
{
    public List<SyntheticPatient> Patients { get; } = [];

    public List<Specimen> Specimens { get; } = [];

    public List<DemographicsRow> Demographics { get; } = [];

    public List<ReportRow> Reports { get; } = [];

    public List<IhcRow> Ihc { get; } = [];

    public List<MolecularRow> Molecular { get; } = [];

    public List<RawNgsFile> RawFiles { get; } = [];

    public List<BadRow> BadRows { get; } = [];
}
