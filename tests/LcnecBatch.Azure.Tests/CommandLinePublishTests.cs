using System.Globalization;
using System.Text.Json;
using LcnecBatch.Azure.Tests.TestData;
using LcnecBatch.Cli;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Pipeline;

namespace LcnecBatch.Azure.Tests;

/// <summary>
/// <c>lcnec screen --publish</c> run every day keeps a publish ledger beside the alerts file: each run sends the events
/// of its replay that the ledger does not list, so each event reaches the broker once, reminders included.
/// </summary>
public sealed class CommandLinePublishTests : IDisposable
{
    private const string Entity = "care-team-alerts";
    private static readonly DateOnly Day0 = new(2027, 2, 1);

    private readonly TempFolder _archive = new();
    private readonly TempFolder _out = new();

    public void Dispose()
    {
        _archive.Dispose();
        _out.Dispose();
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static (int Code, string Out, string Err) Lcnec(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = LcnecCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// Two untested advanced LCNEC: a woman who never smoked (high severity, reminded every 2 days by the settings) and
    /// a man who smokes (medium), whose ALK IHC arrives on day 16. Days 15 to 19: raises, a resolution, two reminders.
    /// </summary>
    [Fact]
    public async Task ScreenPublish_FiveConsecutiveDays_SendsEachEventOnce_AndARerunOfTheSameDaySendsNothing()
    {
        new BatchBuilder(Day0)
            .Patient("QX730001", "F", "1966-03-03", "never").Report("S27-00401", "QX730001", Day0, "Large cell neuroendocrine carcinoma.")
            .Patient("QX730002", "M", "1950-02-20", "current").Report("S27-00402", "QX730002", Day0, "Large cell neuroendocrine carcinoma.")
            .WriteTo(_archive.Path);
        new BatchBuilder(Day0.AddDays(16)).Ihc("S27-00402", "QX730002", Day0.AddDays(16), "negative").WriteTo(_archive.Path);
        var config = Path.Combine(_out.Path, "settings.json");
        File.WriteAllText(config, """{ "Screening": { "ReminderDays": 2 } }""");
        var alerts = Path.Combine(_out.Path, "alerts.jsonl");
        using var bus = new LoopbackServiceBus([Entity]);
        (int Code, string Out, string Err) Day(int n) =>
            Lcnec("screen", _archive.Path, "--as-of", Iso(Day0.AddDays(n)), "--alerts", alerts, "--config", config, "--publish", bus.ConnectionString(), "--entity", Entity);

        var runs = Enumerable.Range(15, 5).Select(Day).ToList();
        var received = await AlertMessages.DrainAsync(bus.ConnectionString(), Entity, CancellationToken.None);
        var rerun = Day(19);

        Assert.All(runs.Append(rerun), r => Assert.Equal((0, ""), (r.Code, r.Err)));
        var replay = LocalRun.Screen(_archive.Path, Day0.AddDays(19), ScreenCommand.LoadOptions(config));
        var (woman, man) = (Alert.IdentityOf("ALK_TEST_MISSING", "QX730001", "S27-00401"), Alert.IdentityOf("ALK_TEST_MISSING", "QX730002", "S27-00402"));
        string[] expected = [woman, man, $"{man}:resolved", $"{woman}:r1", $"{woman}:r2"];
        Assert.Equal(expected, replay.AlertEvents.Select(e => e.MessageId));
        Assert.Equal(expected, received.OrderBy(m => m.SequenceNumber).Select(m => m.MessageId));
        Assert.Equal(AlertMessages.Expected(replay), AlertMessages.Of(received));
        Assert.Equal(["raised", "raised", "resolved", "reminder", "reminder"], received.OrderBy(m => m.SequenceNumber).Select(m => m.ApplicationProperties["event"]));
        Assert.Equal([2, 1, 1, 0, 1], runs.Select(r => SentCount(r.Out)));
        Assert.Equal(0, SentCount(rerun.Out));
        Assert.Contains($"(5 listed in {alerts}.published.jsonl before)", rerun.Out, StringComparison.Ordinal);
        var ledger = File.ReadAllLines(alerts + ".published.jsonl");
        Assert.Equal(expected, ledger.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("messageId").GetString()));
        Assert.Equal(
            $"{{\"messageId\":\"{woman}:r2\",\"event\":\"reminder\",\"on\":\"{Iso(Day0.AddDays(19))}\"}}",
            ledger[^1]);
    }

    private static int SentCount(string output)
    {
        const string Prefix = $"alert events sent to Service Bus entity {Entity}: ";
        var line = output.Split('\n').Single(l => l.StartsWith(Prefix, StringComparison.Ordinal));
        return int.Parse(line[Prefix.Length..line.IndexOf(' ', Prefix.Length)], CultureInfo.InvariantCulture);
    }
}
