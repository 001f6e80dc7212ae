using System.CommandLine;
using System.Globalization;
using Azure;
using Azure.Identity;
using Azure.Messaging.ServiceBus;

namespace LcnecBatch.Cli;

/// <summary>
/// The <c>lcnec</c> command line of cli.md. Exit codes: 0 done; 1 done with rejected rows or files;
/// 2 usage error; 3 failure. Errors go to standard error, one line each.
/// </summary>
public static class LcnecCommand
{
    public const int Done = 0;
    public const int DoneWithRejections = 1;
    public const int UsageError = 2;
    public const int Failure = 3;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        var root = Build(stdout, stderr);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"lcnec: usage: {error.Message}");
            }
            return UsageError;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"lcnec: usage: {e.Message}");
            return UsageError;
        }
        catch (RequestFailedException e)
        {
            // Storage answers with a status and a code; its message (headers, request id) is left out.
            stderr.WriteLine($"lcnec: failure: storage: {e.Status} {e.ErrorCode ?? "request failed"}");
            return Failure;
        }
        catch (ServiceBusException e)
        {
            stderr.WriteLine($"lcnec: failure: service bus: {e.Reason}");
            return Failure;
        }
        catch (AuthenticationFailedException)
        {
            stderr.WriteLine("lcnec: failure: no Azure credential could sign in (az login, a managed identity or environment variables)");
            return Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            // Exception texts here never carry patient data: readers report positions and reasons only.
            stderr.WriteLine($"lcnec: failure: {e.Message}");
            return Failure;
        }
    }

    private static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("LcnecBatch: find pulmonary LCNEC in nightly lab exports and screen ALK testing.");
        root.Subcommands.Add(ScreenCommand.Build(stdout, stderr));
        root.Subcommands.Add(AuditCommand.Build(stdout, stderr));
        root.Subcommands.Add(GenerateCommand.Build(stdout));
        return root;
    }

    /// <summary>The earliest date an option may name: no lab export is older.</summary>
    internal static readonly DateOnly EarliestDate = new(1900, 1, 1);

    /// <summary>How far past the last batch a replay may run: every day is walked, so a far date is a mistake, not a wish.</summary>
    internal const int MaxDaysAfterLastBatch = 366;

    internal static DateOnly? ParseDate(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new UsageException($"{option} \"{Core.Formats.PrintableText.Escape(text, 40)}\" is not a date (expected yyyy-MM-dd)");
        }
        return date >= EarliestDate ? date : throw new UsageException($"{option} {text} is before {EarliestDate:yyyy-MM-dd}");
    }

    /// <summary>A replay end (<c>--as-of</c>, <c>--to</c>) must lie within <see cref="MaxDaysAfterLastBatch"/> days of the archive's last batch.</summary>
    internal static void CheckReplayEnd(DateOnly? end, string option, Core.Pipeline.IBatchArchive archive)
    {
        if (end is not { } date)
        {
            return;
        }
        var dates = archive.BatchDates();
        if (dates.Count > 0 && date > dates[^1].AddDays(MaxDaysAfterLastBatch))
        {
            throw new UsageException(
                $"{option} {date:yyyy-MM-dd} is more than {MaxDaysAfterLastBatch} days after the last batch ({dates[^1]:yyyy-MM-dd}): the replay walks every day up to it");
        }
    }
}

/// <summary>A mistake in how the command was called: exit code 2.</summary>
public sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
