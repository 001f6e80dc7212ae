using Microsoft.Extensions.Logging;

namespace LcnecBatch.Azure;

/// <summary>The log lines of the screening lease and the sweep's waits.</summary>
internal static partial class LabExportLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "The sweep found the screening lease busy; try {Attempt} of {Tries} in {Delay}")]
    public static partial void SweepWaitingForLease(this ILogger logger, int attempt, int tries, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the screening lease failed (it holds until {Until:o}); trying again")]
    public static partial void LeaseRenewalFailed(this ILogger logger, Exception exception, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Error, Message = "The screening lease was lost to another run; this run stops its work")]
    public static partial void LeaseLost(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Batch {BatchDate:yyyy-MM-dd} is incomplete and its first file arrived {Age} ago (less than {MinimumAge}): left for a later run")]
    public static partial void BatchTooYoung(this ILogger logger, DateOnly batchDate, TimeSpan age, TimeSpan minimumAge);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Batch {BatchDate:yyyy-MM-dd} is complete but the lab's batch of {Missing:yyyy-MM-dd}, an export day before it, has not come: left for that batch or the sweep")]
    public static partial void WaitingForEarlierBatch(this ILogger logger, DateOnly batchDate, DateOnly missing);
}
