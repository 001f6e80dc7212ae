namespace LcnecBatch.Core.Screening;

/// <summary>Where an alert goes: the care team of its subject's report when that report names one.</summary>
internal static class CareTeams
{
    /// <summary>
    /// The care team the report of the subject accession names (its latest version that names one); otherwise the
    /// diagnosing report's, which falls back to the patient's. An IHC, molecular or raw-file accession with no pathology
    /// report of its own goes where the diagnosis goes.
    /// </summary>
    public static string? For(PatientFacts facts, string subject, LcnecDiagnosis diagnosis)
    {
        var own = facts.Timeline.Reports
            .Where(r => r.CareTeam is not null && string.Equals(r.Accession, subject, StringComparison.OrdinalIgnoreCase))
            .OrderBy(r => r.KnownOn).ThenBy(r => r.ReportDate).ThenBy(r => r.Source.Line)
            .LastOrDefault();
        return own?.CareTeam ?? facts.CareTeamFor(diagnosis.Report);
    }
}
