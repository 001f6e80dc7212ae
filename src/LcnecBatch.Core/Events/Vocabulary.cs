namespace LcnecBatch.Core.Events;

public enum Sex { Female, Male, Unknown }

public enum SmokingStatus { Never, Former, Current, Unknown }

public enum IhcResult { Positive, Negative, Equivocal, NotEvaluable }

public enum MolecularMethod { Ngs, Fish, RtPcr }

public enum MolecularResult { Detected, NotDetected, Indeterminate, Failed }

/// <summary>Which version of a report a row is (<c>report_status</c>): amended and corrected supersede, an addendum adds.</summary>
public enum ReportStatus { Final, Preliminary, Addendum, Amended, Corrected }

/// <summary>
/// The controlled words of <c>export-format.md</c> and the synonyms labs actually write.
/// Matching ignores case, and treats spaces, hyphens and underscores alike.
/// </summary>
public static class Vocabulary
{
    public static readonly VocabularyTable<Sex> Sex = new("F, M, U", new()
    {
        ["f"] = Events.Sex.Female,
        ["female"] = Events.Sex.Female,
        ["w"] = Events.Sex.Female,
        ["m"] = Events.Sex.Male,
        ["male"] = Events.Sex.Male,
        ["u"] = Events.Sex.Unknown,
        ["unknown"] = Events.Sex.Unknown,
    });

    public static readonly VocabularyTable<ReportStatus> ReportStatus = new("final, addendum, amended, corrected", new()
    {
        ["final"] = Events.ReportStatus.Final,
        ["f"] = Events.ReportStatus.Final,
        ["signed_out"] = Events.ReportStatus.Final,
        ["preliminary"] = Events.ReportStatus.Preliminary,
        ["p"] = Events.ReportStatus.Preliminary,
        ["addendum"] = Events.ReportStatus.Addendum,
        ["appended"] = Events.ReportStatus.Addendum,
        ["amended"] = Events.ReportStatus.Amended,
        ["amendment"] = Events.ReportStatus.Amended,
        ["revised"] = Events.ReportStatus.Amended,
        ["corrected"] = Events.ReportStatus.Corrected,
        ["correction"] = Events.ReportStatus.Corrected,
        ["c"] = Events.ReportStatus.Corrected,
    });

    public static readonly VocabularyTable<SmokingStatus> Smoking = new("never, former, current, unknown", new()
    {
        ["never"] = SmokingStatus.Never,
        ["never_smoker"] = SmokingStatus.Never,
        ["non_smoker"] = SmokingStatus.Never,
        ["nonsmoker"] = SmokingStatus.Never,
        ["lifelong_never"] = SmokingStatus.Never,
        ["former"] = SmokingStatus.Former,
        ["former_smoker"] = SmokingStatus.Former,
        ["ex_smoker"] = SmokingStatus.Former,
        ["ex"] = SmokingStatus.Former,
        ["quit"] = SmokingStatus.Former,
        ["current"] = SmokingStatus.Current,
        ["current_smoker"] = SmokingStatus.Current,
        ["smoker"] = SmokingStatus.Current,
        ["unknown"] = SmokingStatus.Unknown,
    });

    public static readonly VocabularyTable<IhcResult> Ihc = new("positive, negative, equivocal, not_evaluable", new()
    {
        ["positive"] = IhcResult.Positive,
        ["pos"] = IhcResult.Positive,
        ["+"] = IhcResult.Positive,
        ["negative"] = IhcResult.Negative,
        ["neg"] = IhcResult.Negative,
        ["-"] = IhcResult.Negative,
        ["equivocal"] = IhcResult.Equivocal,
        ["indeterminate"] = IhcResult.Equivocal,
        ["not_evaluable"] = IhcResult.NotEvaluable,
        ["notevaluable"] = IhcResult.NotEvaluable,
        ["non_evaluable"] = IhcResult.NotEvaluable,
        ["unevaluable"] = IhcResult.NotEvaluable,
        ["inadequate"] = IhcResult.NotEvaluable,
    });

    public static readonly VocabularyTable<MolecularMethod> Method = new("NGS, FISH, RT-PCR", new()
    {
        ["ngs"] = MolecularMethod.Ngs,
        ["next_generation_sequencing"] = MolecularMethod.Ngs,
        ["fish"] = MolecularMethod.Fish,
        ["rt_pcr"] = MolecularMethod.RtPcr,
        ["rtpcr"] = MolecularMethod.RtPcr,
        ["qrt_pcr"] = MolecularMethod.RtPcr,
    });

    public static readonly VocabularyTable<MolecularResult> Molecular = new("detected, not_detected, indeterminate, failed", new()
    {
        ["detected"] = MolecularResult.Detected,
        ["positive"] = MolecularResult.Detected,
        ["not_detected"] = MolecularResult.NotDetected,
        ["notdetected"] = MolecularResult.NotDetected,
        ["negative"] = MolecularResult.NotDetected,
        ["none_detected"] = MolecularResult.NotDetected,
        ["indeterminate"] = MolecularResult.Indeterminate,
        ["inconclusive"] = MolecularResult.Indeterminate,
        ["equivocal"] = MolecularResult.Indeterminate,
        ["failed"] = MolecularResult.Failed,
        ["fail"] = MolecularResult.Failed,
        ["qns"] = MolecularResult.Failed,
    });

    /// <summary>Lower case, with runs of spaces, hyphens and underscores folded to one underscore.</summary>
    public static string Normalize(ReadOnlySpan<char> word)
    {
        Span<char> buffer = word.Length <= 128 ? stackalloc char[word.Length] : new char[word.Length];
        var n = 0;
        var pendingSeparator = false;
        foreach (var c in word.Trim())
        {
            if (c is ' ' or '-' or '_' or '\t')
            {
                pendingSeparator = n > 0;
                continue;
            }
            if (pendingSeparator)
            {
                buffer[n++] = '_';
                pendingSeparator = false;
            }
            buffer[n++] = char.ToLowerInvariant(c);
        }
        // A lone "-" or "+" is a word in its own right (IHC shorthand).
        return n == 0 && word.Trim().Length > 0 ? word.Trim()[..1].ToString() : new string(buffer[..n]);
    }
}

public sealed class VocabularyTable<T>(string expected, Dictionary<string, T> words) where T : struct, Enum
{
    /// <summary>The canonical words, for rejection messages.</summary>
    public string Expected { get; } = expected;

    public bool TryParse(ReadOnlySpan<char> text, out T value) => words.TryGetValue(Vocabulary.Normalize(text), out value);
}
