namespace LcnecBatch.Core.Formats;

/// <summary>
/// Dates no fact can carry, whatever brought it (CSV, HL7 v2, FHIR): a report or result signed out after the night
/// that exported it, or before 1900; a birth date after the export night, or before 1900. Believing such a date
/// moves a diagnosis, silences a window, or makes a patient "young", so the row is rejected with the reason.
/// </summary>
public static class FactDates
{
    public static readonly DateOnly Earliest = new(1900, 1, 1);

    /// <summary>Why a report or result date cannot be right for a fact exported on <paramref name="batchDate"/>; null when it can.</summary>
    public static string? WhyNotSpecimenDate(DateOnly date, DateOnly batchDate) =>
        date > batchDate ? "date is after the batch that delivered it (a result cannot be signed out after its export)"
        : date < Earliest ? "date is before 1900-01-01"
        : null;

    /// <summary>Why a birth date cannot be right for a patient exported on <paramref name="batchDate"/>; null when it can.</summary>
    public static string? WhyNotBirthDate(DateOnly birth, DateOnly batchDate) =>
        birth > batchDate ? "birth date is after the batch that delivered it"
        : birth < Earliest ? "birth date is before 1900-01-01"
        : null;
}
