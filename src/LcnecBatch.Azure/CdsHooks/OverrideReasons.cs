using LcnecBatch.Core.Events;

namespace LcnecBatch.Azure.CdsHooks;

/// <summary>One override reason a card offers, and the response (issue 17) it records when the clinician picks it.</summary>
public sealed record OverrideReason(string Code, string Display, ResponseKind Kind)
{
    public NotCandidateReason? Reason { get; init; }

    public Disagreement? Disagreement { get; init; }

    /// <summary>Snoozed: the days from the response to the end of the snooze.</summary>
    public int? SnoozeDays { get; init; }
}

/// <summary>The override reasons of every card (cds-hooks.md), in the order the EHR shows them.</summary>
public static class OverrideReasons
{
    /// <summary>The code recorded for <c>accepted</c> feedback.</summary>
    public static OverrideReason Accepted { get; } = new("acknowledged", "Seen: will act on it", ResponseKind.Acknowledged);

    public static IReadOnlyList<OverrideReason> All { get; } =
    [
        Accepted,
        // The feedback carries no lab, date, method or result, which an archive testedElsewhere line requires: it is
        // recorded as an acknowledgement (with cdsReason testedElsewhere); the outside result comes through the inbox.
        new("testedElsewhere", "ALK already tested at an outside laboratory", ResponseKind.Acknowledged),
        new("declined", "Patient declined testing or treatment", ResponseKind.Declined),
        new("notCandidate-hospice", "Not a candidate: hospice", ResponseKind.NotCandidate) { Reason = NotCandidateReason.Hospice },
        new("notCandidate-deceased", "Not a candidate: deceased", ResponseKind.NotCandidate) { Reason = NotCandidateReason.Deceased },
        new("notCandidate-comfortCare", "Not a candidate: comfort care only", ResponseKind.NotCandidate) { Reason = NotCandidateReason.ComfortCare },
        new("notCandidate-other", "Not a candidate: other reason", ResponseKind.NotCandidate) { Reason = NotCandidateReason.Other },
        new("snoozed-30d", "Remind me in 30 days", ResponseKind.Snoozed) { SnoozeDays = 30 },
        new("disagree-wrongPatient", "Disagree: wrong patient", ResponseKind.Disagree) { Disagreement = Core.Events.Disagreement.WrongPatient },
        new("disagree-notLcnec", "Disagree: not LCNEC", ResponseKind.Disagree) { Disagreement = Core.Events.Disagreement.NotLcnec },
        new("disagree-other", "Disagree: other reason", ResponseKind.Disagree) { Disagreement = Core.Events.Disagreement.Other },
    ];

    public static OverrideReason? Find(string code) => All.FirstOrDefault(r => string.Equals(r.Code, code, StringComparison.Ordinal));
}
