namespace LcnecBatch.Core.Genomics;

/// <summary>The sub-fields of a pipe-separated annotation (SnpEff ANN, VEP CSQ) that matter here, by header position.</summary>
internal sealed record VcfAnnotationFormat(string Key, int Allele, int Gene, int Protein, int Feature)
{
    /// <summary>The positions of the allele, gene, protein-change and transcript sub-fields; null when there is no gene sub-field.</summary>
    public static VcfAnnotationFormat? From(string key, IReadOnlyList<string> fields, string gene, string protein, string feature)
    {
        var list = fields.ToList();
        var g = list.IndexOf(gene);
        return g < 0 ? null : new VcfAnnotationFormat(key, list.IndexOf("Allele"), g, list.IndexOf(protein), list.IndexOf(feature));
    }

    public IEnumerable<(string? Allele, string? Gene, string? Protein, string? Feature)> Split(string value)
    {
        foreach (var annotation in value.Split(','))
        {
            var f = annotation.Split('|');
            string? At(int i) => i >= 0 && i < f.Length && f[i].Length > 0 ? f[i] : null;
            yield return (At(Allele), At(Gene), At(Protein), At(Feature));
        }
    }
}
