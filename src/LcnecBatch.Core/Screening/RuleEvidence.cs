using LcnecBatch.Core.CaseFinding;
using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Screening;

/// <summary>Evidence items the rules cite, built the same way by every rule.</summary>
public static class RuleEvidence
{
    private const int MaxTextLength = 300;

    public static Evidence Diagnosis(LcnecDiagnosis diagnosis)
    {
        ArgumentNullException.ThrowIfNull(diagnosis);
        var report = diagnosis.Report;
        var finding = diagnosis.Finding;
        var text = finding.Mention is { } mention ? SentenceAround(report.FinalDiagnosis, mention.Start, mention.Length) : finding.Evidence;
        return new Evidence("diagnosis", report.Source, report.ReportDate, text)
        {
            Accession = report.Accession,
            Assertion = finding.Assertion.ToWire(),
            Cue = finding.Cue,
            Section = finding.Mention?.Where,
            Span = finding.Mention is { } m ? (m.Start, m.Length) : null,
        };
    }

    public static Evidence Ihc(IhcResulted ihc)
    {
        ArgumentNullException.ThrowIfNull(ihc);
        var clone = ihc.AntibodyClone is null ? "" : $" ({ihc.AntibodyClone})";
        return new Evidence("ihc", ihc.Source, ihc.ResultDate, $"{ihc.Marker}{clone} {Word(ihc.Result)}") { Accession = ihc.Accession };
    }

    public static Evidence Molecular(MolecularResulted molecular)
    {
        ArgumentNullException.ThrowIfNull(molecular);
        var alteration = molecular.Alteration is null ? "" : $": {molecular.Alteration}";
        return new Evidence("molecular", molecular.Source, molecular.ResultDate,
            $"{molecular.Gene} {MethodWord(molecular.Method)} {Word(molecular.Result)}{alteration}")
        { Accession = molecular.Accession };
    }

    /// <summary>A raw NGS file and the call in it a rule used (its line), or the file alone.</summary>
    public static Evidence RawFusion(RawNgsFileArrived raw, FusionDetail? fusion)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var text = fusion is null
            ? $"raw NGS file ({KindWord(raw.Kind)}) with no ALK fusion call"
            : $"{fusion.Describe()} at {string.Join(" / ", fusion.Breakpoints)}{(fusion.Build is null ? "" : $" ({fusion.Build})")}, called by {fusion.Caller ?? "an unnamed caller"}";
        return new Evidence("ngs", Line(raw, fusion?.Line ?? 0), raw.KnownOn, text + MismatchNote(raw)) { Accession = raw.Accession };
    }

    public static Evidence RawMutation(RawNgsFileArrived raw, MutationDetail mutation)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(mutation);
        var where = mutation.Position is null ? "" : $" at {mutation.Position}{(mutation.Build is null ? "" : $" ({mutation.Build})")}";
        return new Evidence("ngs", Line(raw, mutation.Line), raw.KnownOn, $"ALK {mutation.Protein}{where} in the raw VCF" + MismatchNote(raw))
        { Accession = raw.Accession };
    }

    private static SourceRef Line(RawNgsFileArrived raw, long line) =>
        line is > 0 and <= int.MaxValue ? raw.Source with { Line = (int)line } : raw.Source;

    private static string MismatchNote(RawNgsFileArrived raw) =>
        raw.SampleMismatch ? "; the file's sample column does not name this accession: check it belongs to this specimen" : "";

    private static string KindWord(RawNgsKind kind) => kind switch
    {
        RawNgsKind.Arriba => "Arriba",
        RawNgsKind.StarFusion => "STAR-Fusion",
        _ => "VCF",
    };

    public static Evidence? Patient(PatientFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var source = facts.Timeline.Demographics.Source;
        return source is null || !facts.IsHighPrior ? null : new Evidence("patient", source, null, facts.DescribeHighPrior());
    }

    public static string Word(IhcResult result) => result switch
    {
        IhcResult.Positive => "positive",
        IhcResult.Negative => "negative",
        IhcResult.Equivocal => "equivocal",
        _ => "not evaluable",
    };

    public static string Word(MolecularResult result) => result switch
    {
        MolecularResult.Detected => "detected",
        MolecularResult.NotDetected => "not detected",
        MolecularResult.Indeterminate => "indeterminate",
        _ => "failed",
    };

    public static string MethodWord(MolecularMethod method) => method switch
    {
        MolecularMethod.Ngs => "NGS",
        MolecularMethod.Fish => "FISH",
        _ => "RT-PCR",
    };

    /// <summary>The sentence or list item that holds a mention, trimmed to a readable length.</summary>
    private static string SentenceAround(string text, int start, int length)
    {
        foreach (var (s, e) in LcnecFinder.Segments(text))
        {
            if (start >= s && start + length <= e)
            {
                // A clause after a semicolon reads badly alone ("the morphology ... are diagnostic of LCNEC"): show
                // its line from the start, within bounds, so the reviewer sees the diagnosis as written.
                var from = s;
                var lineStart = text.LastIndexOf('\n', Math.Max(0, s - 1)) + 1;
                if (lineStart < s && s - lineStart <= MaxTextLength / 2 && text.AsSpan(lineStart, s - lineStart).Contains(';'))
                {
                    from = lineStart;
                }
                var sentence = text[from..e].Trim().TrimStart('-', '•', '*', ' ');
                sentence = string.Join(' ', sentence.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
                return sentence.Length <= MaxTextLength ? sentence : sentence[..MaxTextLength] + "…";
            }
        }
        return text.Substring(start, length);
    }
}
