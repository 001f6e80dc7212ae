using LcnecBatch.Core.Events;
using LcnecBatch.Core.Genomics;

namespace LcnecBatch.Core.Screening;

/// <summary>
/// A known ALK kinase-domain resistance mutation (the table of genomics.md, embedded as <c>alk-resistance.tsv</c>)
/// in a patient with an ALK fusion, from a signed-out molecular row or a raw VCF. One alert per accession the
/// mutations were found in, listing every mutation and the inhibitors each defeats. No window: it is raised the
/// day the mutation is known.
/// </summary>
/// <remarks>
/// "A patient with an ALK fusion": a signed-out ALK fusion (any accession), or a passing raw-file fusion call. An ALK
/// point mutation without any fusion (F1174L in neuroblastoma, say) is not a resistance finding. Filtered VCF records
/// do not count. Version 2: rows are read by the classifier (a fusion row is one it reads as fusion or rearrangement);
/// each mutation names the sources of its table row, and a row the table marks uncertain never yields "consider
/// switching to": it is referred to the molecular tumour board.
/// </remarks>
public sealed class AlkResistanceMutationRule : IScreeningRule
{
    public string Id => "ALK_RESISTANCE_MUTATION";

    public string Version => "2";

    /// <summary>No window: a resistance mutation is found the day it is known, so only a new fact changes the answer.</summary>
    public DateOnly? NextBoundary(PatientFacts facts) => null;

    public IEnumerable<Finding> Evaluate(PatientFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Diagnosis is not { } diagnosis)
        {
            yield break;
        }
        var timeline = facts.Timeline;
        var fusionRow = timeline.AlkMolecular.Where(AlkAlteration.ReportsFusion).OrderBy(m => m.ResultDate).FirstOrDefault();
        var fusionFile = timeline.RawFiles.FirstOrDefault(r => r.CountingFusions.Any());
        if (fusionRow is null && fusionFile is null)
        {
            yield break;
        }
        var found = new List<(string Accession, DateOnly Date, MutationDetail Mutation, Evidence Evidence)>();
        foreach (var row in timeline.AlkMolecular.Where(m => m.Result == MolecularResult.Detected))
        {
            found.AddRange(AlkAlteration.Read(row).ResistanceMutations
                .Select(e => (row.Accession, row.ResultDate, MutationDetail.From(e), RuleEvidence.Molecular(row))));
        }
        foreach (var raw in timeline.RawFiles)
        {
            found.AddRange(raw.PassingMutations.Select(m => (raw.Accession, raw.KnownOn, m, RuleEvidence.RawMutation(raw, m))));
        }
        foreach (var group in found.GroupBy(f => f.Accession, StringComparer.OrdinalIgnoreCase)
                     .OrderBy(g => g.Min(f => f.Date)).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            // A mutation read from the report and from the raw file is one mutation; the raw file knows its position.
            var mutations = group.GroupBy(f => f.Mutation.Protein, StringComparer.Ordinal)
                .Select(g => g.OrderBy(f => f.Mutation.Position is null ? 1 : 0).First().Mutation)
                .OrderBy(m => m.Protein, StringComparer.Ordinal)
                .ToList();
            var evidence = new List<Evidence> { RuleEvidence.Diagnosis(diagnosis) };
            evidence.Add(fusionRow is not null
                ? RuleEvidence.Molecular(fusionRow)
                : RuleEvidence.RawFusion(fusionFile!, AlkAlteration.Best(fusionFile!.CountingFusions)));
            evidence.AddRange(group.Select(f => f.Evidence).Distinct());
            yield return new Finding(
                Id,
                Version,
                Severity.High,
                group.First().Accession,
                null,
                "ALK resistance mutation found",
                Recommendation(mutations),
                evidence)
            { CareTeam = CareTeams.For(facts, group.First().Accession, diagnosis), Mutations = mutations };
        }
    }

    private static string Recommendation(List<MutationDetail> mutations)
    {
        var each = string.Join("; ", mutations.Select(m =>
            $"{m.Protein} is reported to confer resistance to {List(m.ResistantTo)}" + (m.SensitiveTo.Count > 0 ? $", and to remain sensitive to {List(m.SensitiveTo)}" : "")
            + (AlkResistance.Find(m.Protein) is { } row ? $" ({row.Source}{(row.IsUncertain ? "; uncertain" : "")})" : "")));
        var uncertain = mutations.Where(m => AlkResistance.Find(m.Protein) is { IsUncertain: true }).Select(m => m.Protein).ToList();
        var compound = mutations.Count > 1
            ? $" {mutations.Count} mutations together may be a compound mutation on one allele, which can defeat every ALK inhibitor including lorlatinib: consider clinical trials and re-biopsy."
            : "";
        var sensitive = mutations.Select(m => (IEnumerable<string>)m.SensitiveTo).Aggregate((a, b) => a.Intersect(b, StringComparer.OrdinalIgnoreCase)).ToList();
        var choose = uncertain.Count > 0
            ? $" The inhibitor profile of {string.Join(", ", uncertain)} is uncertain in the reference table: review with the molecular tumour board before changing the inhibitor."
            : mutations.Count == 1 && sensitive.Count > 0 ? $" Consider switching to {List(sensitive)}." : "";
        return $"ALK kinase-domain resistance mutation{(mutations.Count > 1 ? "s" : "")}: {each}.{choose}{compound} Review the ALK inhibitor with the thoracic oncology team.";
    }

    private static string List(IReadOnlyList<string> drugs) => drugs.Count == 0 ? "no listed inhibitor" : string.Join(", ", drugs);
}
