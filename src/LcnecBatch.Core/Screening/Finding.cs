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

    /// <summary>
    /// The first day after <see cref="PatientFacts.AsOf"/> on which <see cref="Evaluate"/> could answer otherwise with no
    /// new fact (a grace or report window ending, a future-dated result coming into its window); null when only a new
    /// fact can change it. The event-driven walk screens a patient on its fact days and on this boundary only, so a
    /// rule that does not know says the next day (the day-by-day walk), which is never wrong, only slower.
    /// </summary>
    DateOnly? NextBoundary(PatientFacts facts) => facts?.AsOf.AddDays(1);
}

/// <summary>Helpers for <see cref="IScreeningRule.NextBoundary"/>.</summary>
public static class Boundaries
{
    /// <summary>The earlier of two boundaries, either of which may be none.</summary>
    public static DateOnly? Earliest(DateOnly? a, DateOnly? b) => a is null ? b : b is null ? a : (a < b ? a : b);

    /// <summary>The day a window that runs through <paramref name="due"/> (findings start the day after) ends, if it has not yet.</summary>
    public static DateOnly? After(DateOnly due, DateOnly asOf) => asOf <= due ? due.AddDays(1) : null;
}
