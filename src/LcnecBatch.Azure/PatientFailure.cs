namespace LcnecBatch.Azure;

/// <summary>
/// A patient whose screening failed and is left for the next run: the others of the run go on. Kept until a run
/// screens the patient; <see cref="From"/> is the day its walk starts when it has no ledger yet (a ledger says
/// itself where to go on), <see cref="Through"/> the day the failed run wanted to reach.
/// </summary>
/// <param name="Reason">One of <see cref="PatientFailureReason"/>: a class, never an exception's text (which may carry data).</param>
public sealed record PatientFailure(string Pseudonym, string Reason, DateOnly From, DateOnly Through, int Attempts, DateTimeOffset FirstFailedAt, DateTimeOffset LastFailedAt);

/// <summary>Why a patient's screening failed, as recorded and logged.</summary>
public static class PatientFailureReason
{
    /// <summary>A stored timeline event (or raw file) of the patient no longer parses.</summary>
    public const string UnreadableStoredEvent = "unreadable-stored-event";

    /// <summary>A stored alert record of the patient no longer parses.</summary>
    public const string UnreadableStoredAlert = "unreadable-stored-alert";

    /// <summary>Every save found the patient's ledger changed by someone else.</summary>
    public const string SaveConflicts = "save-conflicts";

    /// <summary>One day of the walk changes more ledger rows than one transaction holds.</summary>
    public const string LedgerTooLarge = "ledger-too-large";

    /// <summary>Table Storage refused a call after the SDK's retries.</summary>
    public const string StorageError = "storage-error";

    /// <summary>Anything else: a defect to look into (the log has the pseudonym; re-running shows it again).</summary>
    public const string ScreeningError = "screening-error";
}

/// <summary>A patient's screening failed for a known reason; the message says the reason class only.</summary>
public sealed class PatientScreeningException : Exception
{
    public PatientScreeningException(string reason)
        : base($"patient screening failed: {reason}") => Reason = reason;

    public PatientScreeningException()
        : this(PatientFailureReason.ScreeningError)
    {
    }

    public PatientScreeningException(string message, Exception innerException)
        : base(message, innerException) => Reason = PatientFailureReason.ScreeningError;

    public string Reason { get; }
}
