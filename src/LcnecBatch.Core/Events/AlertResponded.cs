namespace LcnecBatch.Core.Events;

/// <summary>What a care team answered to an alert (issue 17): CDS Hooks feedback override reasons and inbox answers.</summary>
public enum ResponseKind
{
    /// <summary>Seen and being acted on: reminders slow to the escalation cadence.</summary>
    Acknowledged,

    /// <summary>ALK was tested outside (<see cref="AlertResponded.OutsideTest"/>): counts as an ALK test of that method from its date.</summary>
    TestedElsewhere,

    /// <summary>The patient declined testing or treatment: the alert closes with this reason.</summary>
    Declined,

    /// <summary>Not a candidate (<see cref="AlertResponded.Reason"/>: hospice, deceased, comfort care, other): the alert closes.</summary>
    NotCandidate,

    /// <summary>No reminders until <see cref="AlertResponded.Until"/>.</summary>
    Snoozed,

    /// <summary>The care team disagrees (<see cref="AlertResponded.Disagreement"/>): wrong patient, not LCNEC, other.</summary>
    Disagree,
}

/// <summary>Why a patient is not a candidate (a reason code, never free text about the patient).</summary>
public enum NotCandidateReason { Hospice, Deceased, ComfortCare, Other }

public enum Disagreement { WrongPatient, NotLcnec, Other }

/// <summary>An ALK test done at another laboratory, as the care team reported it.</summary>
public sealed record OutsideTest(string Lab, DateOnly Date, OutsideTestMethod Method, OutsideTestResult Result, string? Alteration = null);

public enum OutsideTestMethod { Ihc, Fish, Ngs, Pcr }

public enum OutsideTestResult { Positive, Negative, Equivocal, Failed }

/// <summary>
/// One care-team response to one alert: a dated, immutable fact of the patient's timeline, replayed like every
/// other fact (<see cref="TimelineEvent.KnownOn"/> = the day it was recorded). <see cref="ResponseId"/> is the
/// responder system's id (a CDS Hooks feedback's card id + time, an inbox message id): the same response
/// delivered twice is one fact.
/// </summary>
public sealed record AlertResponded : TimelineEvent, IPatientFact
{
    public required string ResponseId { get; init; }
    public required string Mrn { get; init; }
    public required string AlertId { get; init; }
    public required DateOnly RespondedOn { get; init; }
    public required ResponseKind Kind { get; init; }
    public NotCandidateReason? Reason { get; init; }
    public Disagreement? Disagreement { get; init; }

    /// <summary>Snoozed: no reminders before this date.</summary>
    public DateOnly? Until { get; init; }

    /// <summary>Tested elsewhere: the outside test.</summary>
    public OutsideTest? OutsideTest { get; init; }

    /// <summary>Who answered, as a role or system id (never a name); where from (cds-hooks, inbox, file).</summary>
    public string? By { get; init; }

    public string? Channel { get; init; }

    protected override IEnumerable<string?> IdentityFields() =>
        [ResponseId, Mrn, AlertId, Iso(RespondedOn), Kind.ToString(), Reason?.ToString(), Disagreement?.ToString(), Iso(Until),
         OutsideTest?.Lab, Iso(OutsideTest?.Date), OutsideTest?.Method.ToString(), OutsideTest?.Result.ToString(), OutsideTest?.Alteration, By, Channel];
}
