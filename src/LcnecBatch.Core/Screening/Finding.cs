using LcnecBatch.Core.Events;

namespace LcnecBatch.Core.Screening;

public enum Severity { High, Medium, Info }

/// <summary>One fact a rule used, with where it was read.</summary>
public sealed record Evidence(string Kind, SourceRef Source, DateOnly? Date, string Text)
{
    public string? Accession { get; init; }

    /// <summary>For diagnosis evidence: affirmed, historical, ... (alerts.md).</summary>
    public string? Assertion { get; init; }

    /// <summary>The trigger phrase that decided the assertion, when one did.</summary>
    public string? Cue { get; init; }

    /// <summary>Where in the report the deciding mention stands: "FINAL DIAGNOSIS, part A" (null for a report without headers).</summary>
    public string? Section { get; init; }

    /// <summary>Offset and length of the mention inside the cited report text.</summary>
    public (int Start, int Length)? Span { get; init; }
}

/// <summary>What a rule concluded for one patient and subject as of a date.</summary>
public sealed record Finding(
    string RuleId,
    string RuleVersion,
    Severity Severity,
    string Subject,
    DateOnly? DueSince,
    string Title,
    string Recommendation,
    IReadOnlyList<Evidence> Evidence)
{
    /// <summary>Overrides the patient's care team (a report's own care_team).</summary>
    public string? CareTeam { get; init; }

    /// <summary>The fusion the alert is about, when it is about one (alerts.md <c>fusion</c>).</summary>
    public FusionDetail? Fusion { get; init; }

    /// <summary>The resistance mutations found, when the alert is about them (alerts.md <c>mutations</c>).</summary>
    public IReadOnlyList<MutationDetail>? Mutations { get; init; }
}

/// <summary>A screening rule of screening.md section 2: pure, evaluated as of the facts' date.</summary>
public interface IScreeningRule
{
    string Id { get; }

    /// <summary>Bumped whenever the rule's logic changes.</summary>
    string Version { get; }

    IEnumerable<Finding> Evaluate(PatientFacts facts);
}
