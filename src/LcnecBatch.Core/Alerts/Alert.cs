using System.Security.Cryptography;
using System.Text;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Screening;

namespace LcnecBatch.Core.Alerts;

public enum AlertStatus { Open, Resolved, Closed }

/// <summary>The patient block of an alert: what the care team needs to recognise the case.</summary>
public sealed record AlertPatient(string Mrn, Sex? Sex, int? AgeAtDiagnosis, SmokingStatus? SmokingStatus);

/// <summary>One alert in the shape of alerts.md: a finding about a patient, as of a date.</summary>
public sealed record Alert(
    string AlertId,
    Finding Finding,
    AlertStatus Status,
    DateOnly AsOf,
    AlertPatient Patient,
    string? CareTeam)
{
    public DateOnly? ResolvedOn { get; init; }

    /// <summary>The day the care team closed the alert, and why (alerts.md <c>closedOn</c>, <c>closedReason</c>).</summary>
    public DateOnly? ClosedOn { get; init; }

    public AlertClosedReason? ClosedReason { get; init; }

    public string RuleId => Finding.RuleId;

    public string Subject => Finding.Subject;

    /// <summary>
    /// Deterministic identity: SHA-256 of rule id, mrn and subject (first 128 bits, hex). Replays, retries and
    /// re-deliveries produce the same id, so Service Bus duplicate detection and the alert ledger agree.
    /// </summary>
    public static string IdentityOf(string ruleId, string mrn, string subject) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{ruleId}\n{mrn}\n{subject}")))[..32];

    /// <summary>The stable order of alerts.jsonl: as-of date, mrn, rule id, then subject.</summary>
    public static IComparer<Alert> StableOrder { get; } = Comparer<Alert>.Create((a, b) =>
    {
        var c = a.AsOf.CompareTo(b.AsOf);
        if (c == 0)
        {
            c = string.CompareOrdinal(a.Patient.Mrn, b.Patient.Mrn);
        }
        if (c == 0)
        {
            c = string.CompareOrdinal(a.RuleId, b.RuleId);
        }
        return c != 0 ? c : string.CompareOrdinal(a.Subject, b.Subject);
    });
}
