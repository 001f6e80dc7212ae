using System.Security.Cryptography;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Core.Synthetic;

namespace LcnecBatch.Core.Tests.Synthetic;

/// <summary>
/// Issue 17, the generator's side: care-team responses written under <c>responses/</c> with what each should do in
/// truth.json, checked against the real pipeline by <see cref="ResponseScore"/>.
/// </summary>
public sealed class CareTeamResponseGenerationTests
{
    /// <summary>A year of 600 patients: every kind of answer the generator writes appears (checked below).</summary>
    private static readonly GeneratorOptions Year = new() { Patients = 600, Days = 365, Start = new DateOnly(2024, 1, 1), Seed = 11 };

    private static Dictionary<string, string> Hashes(GeneratedArchive archive) =>
        archive.Files().ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(archive.FullPath(f)))), StringComparer.Ordinal);

    [Fact]
    public void Generate_WithResponsesSameSeed_WritesSameResponseBytesAndTruth()
    {
        using var first = new GeneratedArchive(Year with { Days = 120 });
        using var second = new GeneratedArchive(Year with { Days = 120 });

        var hashes = Hashes(first);
        Assert.Contains(hashes.Keys, f => f.StartsWith("responses/", StringComparison.Ordinal));
        Assert.Equal(hashes, Hashes(second));
    }

    [Fact]
    public void Generate_NoResponses_WritesTheSameLabFilesAndNoResponseFolder()
    {
        using var with = new GeneratedArchive(Year with { Days = 120 });
        using var without = new GeneratedArchive(Year with { Days = 120, ResponseRate = 0 });

        var lab = Hashes(with).Where(f => !f.Key.StartsWith("responses/", StringComparison.Ordinal) && f.Key != TruthFile.FileName);
        Assert.Equal(lab, Hashes(without).Where(f => f.Key != TruthFile.FileName));
        Assert.False(Directory.Exists(without.FullPath("responses")));
        Assert.Empty(without.Truth.Responses);
        Assert.Equal(with.Truth.Cases.Select(c => c.Alerts.Count), without.Truth.Cases.Select(c => c.Alerts.Count));
    }

    [Fact]
    public void Generate_Responses_AreReadBackWhole_AndNameTheAlertIdsThePipelineRaises()
    {
        using var archive = new GeneratedArchive(Year);
        var read = new List<AlertResponded>();
        var rejected = new List<Rejection>();

        foreach (var file in archive.Files().Where(f => f.StartsWith("responses/", StringComparison.Ordinal)))
        {
            var day = DateOnly.ParseExact(file.Split('/')[1], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            using var stream = File.OpenRead(archive.FullPath(file));
            ResponseLines.Read(stream, file, day, read.Add, rejected.Add);
        }

        Assert.Empty(rejected);
        Assert.Equal(archive.Truth.Responses.Select(r => r.ResponseId).Order(StringComparer.Ordinal), read.Select(r => r.ResponseId).Order(StringComparer.Ordinal));
        var expectedIds = archive.Truth.Cases.SelectMany(c => c.Alerts.Select(a => Alert.IdentityOf(a.RuleId, c.Mrn, a.Subject))).ToHashSet(StringComparer.Ordinal);
        Assert.All(read, r => Assert.Contains(r.AlertId, expectedIds));
        Assert.All(read, r => Assert.Equal(r.KnownOn, r.RespondedOn));
    }

    [Fact]
    public void Generate_AYear_WritesEveryKindOfAnswerSomeAlertsNeverAnswered()
    {
        using var archive = new GeneratedArchive(Year);
        var responses = archive.Truth.Responses;
        var alerts = archive.Truth.Cases.Sum(c => c.Alerts.Count);

        Assert.Equal(
            ["acknowledged", "declined", "disagree:notLcnec", "notCandidate", "snoozed", "testedElsewhere"],
            responses.Select(r => r.Disagreement is { } d ? $"{r.Kind}:{d}" : r.Kind).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(responses, r => r.OutsideTest is { Result: "positive" } && r.ActionableSubject is not null);
        Assert.InRange(responses.Count, alerts / 3, alerts - 1);
        // Answered a realistic number of days after the alert: never the day it was raised, none past two months.
        var openFrom = archive.Truth.Cases.SelectMany(c => c.Alerts.Select(a => (Id: Alert.IdentityOf(a.RuleId, c.Mrn, a.Subject), a.OpenFrom)))
            .ToDictionary(a => a.Id, a => a.OpenFrom, StringComparer.Ordinal);
        Assert.All(responses, r => Assert.InRange(r.RespondedOn.DayNumber - openFrom[r.AlertId].DayNumber, 1, 60));
        // "Not LCNEC" only where the LCNEC was in truth withdrawn by an amended report.
        var labels = archive.Truth.Cases.ToDictionary(c => c.Mrn, c => c.Lcnec, StringComparer.Ordinal);
        Assert.All(responses.Where(r => r.Disagreement == "notLcnec"), r => Assert.Equal(LcnecLabel.Negated, labels[r.Mrn]));
    }

    [Fact]
    public void Screen_AYearWithResponses_EveryResponseHasTheEffectTruthGivesIt()
    {
        using var archive = new GeneratedArchive(Year);

        var run = LocalRun.Screen(archive.Root, null, new ScreeningOptions(), includeResolved: true);
        var score = ResponseScore.Of(archive.Truth, run.AlertEvents);

        Assert.True(score.Expected >= 15, $"only {score.Expected} responses");
        Assert.Empty(score.Misses);
        Assert.Equal(score.Expected, score.Met);
    }

    [Fact]
    public void Score_ResponsesRemovedFromTheArchive_MissesEveryClosingAndOutsideTest()
    {
        using var archive = new GeneratedArchive(Year);
        Directory.Delete(archive.FullPath("responses"), recursive: true);

        var run = LocalRun.Screen(archive.Root, null, new ScreeningOptions(), includeResolved: true);
        var score = ResponseScore.Of(archive.Truth, run.AlertEvents);

        var mustMiss = archive.Truth.Responses.Where(r => r.Effect is TruthResponse.Closes or TruthResponse.ClosesAsNotLcnec or TruthResponse.CountsAsTest).Select(r => r.ResponseId).ToList();
        Assert.NotEmpty(mustMiss);
        Assert.All(mustMiss, id => Assert.Contains(score.Misses, m => m.StartsWith(id + " ", StringComparison.Ordinal)));
        Assert.True(score.Met < score.Expected);
    }
}
