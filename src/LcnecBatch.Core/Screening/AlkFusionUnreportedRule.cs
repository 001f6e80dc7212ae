using LcnecBatch.Core.Events;
using LcnecBatch.Core.Genomics;

namespace LcnecBatch.Core.Screening;

/// <summary>
/// A raw NGS file of an LCNEC patient holds a passing ALK fusion call (kinase domain kept), and no signed-out
/// molecular row for that accession reports an ALK fusion detected, <c>ReportGraceDays</c> after the file arrived:
/// the fusion may be missing from the report. One alert per accession, whichever of its files carry the call.
/// </summary>
/// <remarks>
/// Only a row the classifier reads as a fusion or rearrangement reports the fusion: a signed-out point mutation,
/// amplification or expression neither reports nor denies it. A row of another accession does not report it either
/// (the same tumour may have been sequenced twice, but the report of this run is what is missing).
/// </remarks>
public sealed class AlkFusionUnreportedRule : IScreeningRule
{
    public string Id => "ALK_FUSION_UNREPORTED";

    public string Version => "2";

    public IEnumerable<Finding> Evaluate(PatientFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Diagnosis is not { } diagnosis)
        {
            yield break;
        }
        var byAccession = facts.Timeline.RawFiles
            .Where(r => r.CountingFusions.Any())
            .GroupBy(r => r.Accession, StringComparer.Ordinal)
            .OrderBy(g => g.Min(r => r.KnownOn)).ThenBy(g => g.Key, StringComparer.Ordinal);
        foreach (var files in byAccession)
        {
            var accession = files.Key;
            var signedOut = facts.Timeline.AlkMolecular.Where(m => string.Equals(m.Accession, accession, StringComparison.OrdinalIgnoreCase)).ToList();
            if (signedOut.Any(AlkAlteration.ReportsFusion))
            {
                continue;
            }
            var first = files.OrderBy(r => r.KnownOn).ThenBy(r => r.Source.File, StringComparer.Ordinal).First();
            var due = first.KnownOn.AddDays(facts.Options.ReportGraceDays);
            if (facts.AsOf <= due)
            {
                continue;
            }
            var fusion = AlkAlteration.Best(files.OrderBy(r => r.KnownOn).SelectMany(r => r.CountingFusions))!;
            var report = signedOut.Count == 0
                ? $"no signed-out molecular report for accession {accession} has arrived"
                : $"the signed-out report for accession {accession} says ALK {string.Join(", ", signedOut.Select(Says).Distinct(StringComparer.Ordinal))}";
            var evidence = new List<Evidence> { RuleEvidence.Diagnosis(diagnosis) };
            evidence.AddRange(files.OrderBy(r => r.KnownOn).ThenBy(r => r.Source.File, StringComparer.Ordinal)
                .Select(r => RuleEvidence.RawFusion(r, AlkAlteration.Best(r.CountingFusions))));
            evidence.AddRange(signedOut.Select(RuleEvidence.Molecular));
            yield return new Finding(
                Id,
                Version,
                Severity.High,
                accession,
                due,
                "ALK fusion in raw NGS output, missing from the signed-out report",
                $"The raw NGS output of accession {accession} holds a passing {fusion.Describe()} call ({fusion.Caller ?? "caller unknown"}, {string.Join(" / ", fusion.Breakpoints)}), but {report} more than {facts.Options.ReportGraceDays} days after the file arrived ({first.KnownOn:yyyy-MM-dd}). Review the run with the molecular pathologist and amend the report if the fusion is real: an ALK fusion makes the patient eligible for a first-line ALK inhibitor.",
                evidence)
            { CareTeam = CareTeams.For(facts, accession, diagnosis), Fusion = fusion };
        }
    }

    /// <summary>The end of the next report grace period still running after a raw file with a passing fusion call.</summary>
    public DateOnly? NextBoundary(PatientFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Diagnosis is null)
        {
            return null;
        }
        DateOnly? next = null;
        foreach (var files in facts.Timeline.RawFiles.Where(r => r.CountingFusions.Any()).GroupBy(r => r.Accession, StringComparer.Ordinal))
        {
            next = Boundaries.Earliest(next, Boundaries.After(files.Min(r => r.KnownOn).AddDays(facts.Options.ReportGraceDays), facts.AsOf));
        }
        return next;
    }

    /// <summary>What a signed-out row that does not report the fusion says: "not detected", "detected, but only a point mutation (G1202R), no fusion".</summary>
    private static string Says(MolecularResulted row)
    {
        var finding = AlkAlteration.Read(row);
        if (row.Result != MolecularResult.Detected)
        {
            return RuleEvidence.Word(row.Result);
        }
        return finding.Kind switch
        {
            AlkAlterationKind.PointMutation => $"detected, but only a point mutation ({string.Join(", ", finding.Mutations.Select(m => m.Name))}), no fusion",
            AlkAlterationKind.CopyNumberGain => "detected, but only a copy-number gain, no fusion",
            AlkAlterationKind.ExpressionOnly => "detected, but only expression, no fusion",
            _ => "detected, but names no fusion",
        };
    }
}
