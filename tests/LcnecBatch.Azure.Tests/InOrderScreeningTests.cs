using LcnecBatch.Azure.Tests.TestData;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using Microsoft.Extensions.DependencyInjection;

namespace LcnecBatch.Azure.Tests;

/// <summary>
/// Batches delivered out of date order: a later batch must not be screened before an earlier one, or the earlier
/// batch's facts count from the day they arrived instead of the day they belong to (here an ALK result that came
/// before the LCNEC diagnosis would leave an "untested" alert the replay never raises).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class InOrderScreeningTests(AzuriteFixture azurite)
{
    private const string Mrn = "QZ7000101";
    private static readonly DateOnly Day1 = new(2026, 11, 2);
    private static readonly DateOnly Day2 = new(2026, 11, 3);

    [Fact]
    public async Task LaterBatchCompleteBeforeAnyFileOfTheEarlierOne_WaitsForIt_WhenTheLabExportsDaily_AndTheAlertsAreTheReplays()
    {
        using var archive = TestedBeforeDiagnosed();
        await using var harness = new LabExportHarness(azurite, configure: services => services.PostConfigure<LabExportOptions>(o =>
        {
            foreach (var day in Enum.GetValues<DayOfWeek>())
            {
                o.ExportDays.Add(day);
            }
            o.ExportsSince = Day1;
        }));
        var names = await harness.UploadAsync(archive.Path);

        await harness.DeliverAllAsync(names.Where(n => n.StartsWith("2026-11-03/", StringComparison.Ordinal)));
        Assert.Equal([Day2], (await harness.State.PendingBatchesAsync(harness.Token)).Select(b => b.Date));
        Assert.Contains(harness.Logs.Lines, l => l.Contains("has not come: left for that batch or the sweep", StringComparison.Ordinal));
        await harness.DeliverAllAsync(names.Where(n => n.StartsWith("2026-11-02/", StringComparison.Ordinal)));

        var replay = LocalRun.Screen(archive.Path, Day2, new ScreeningOptions(), includeResolved: true);
        Assert.Empty(replay.AlertEvents); // tested before the diagnosis was signed out: nothing to say
        Assert.Equal(AlertMessages.Expected(replay), AlertMessages.Of(harness.Sink.Sent));
        Assert.Empty(await harness.State.PendingBatchesAsync(harness.Token));
    }

    [Fact]
    public async Task EarlierBatchStillArriving_HoldsBackALaterCompleteOne_UntilItCompletes()
    {
        using var archive = TestedBeforeDiagnosed();
        await using var harness = new LabExportHarness(azurite);
        var names = await harness.UploadAsync(archive.Path);
        var day1Manifest = "2026-11-02/manifest.json";

        await harness.DeliverAllAsync(names.Where(n => n != day1Manifest));
        Assert.Equal([Day1, Day2], (await harness.State.PendingBatchesAsync(harness.Token)).Select(b => b.Date));
        Assert.Empty(harness.Sink.Sent);
        await harness.DeliverAsync(day1Manifest);

        var replay = LocalRun.Screen(archive.Path, Day2, new ScreeningOptions(), includeResolved: true);
        Assert.Equal(AlertMessages.Expected(replay), AlertMessages.Of(harness.Sink.Sent));
        Assert.Empty(await harness.State.PendingBatchesAsync(harness.Token));
    }

    /// <summary>Day 1: the patient and a negative ALK NGS result of the specimen; day 2: that specimen's LCNEC report.</summary>
    private static TempFolder TestedBeforeDiagnosed()
    {
        var archive = new TempFolder();
        new BatchBuilder(Day1)
            .Patient(Mrn, "F", "1958-03-14", "former")
            .Molecular("S26-70001", Mrn, new(2026, 11, 1), "not_detected")
            .WriteTo(archive.Path);
        new BatchBuilder(Day2)
            .Report("S26-70001", Mrn, new(2026, 10, 28), "Lung, left upper lobe, core biopsy:\n- Large cell neuroendocrine carcinoma.", "IVB")
            .WriteTo(archive.Path);
        return archive;
    }
}
