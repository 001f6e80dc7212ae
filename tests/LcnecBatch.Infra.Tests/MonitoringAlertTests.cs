using System.Text.Json;
using System.Text.RegularExpressions;

namespace LcnecBatch.Infra.Tests;

/// <summary>
/// Azure Monitor of the compiled template: the four alert rules on the pipeline's signals, the action group they
/// notify with e-mail receivers taken from the deployment's parameter only, and the 30-day workbook.
/// </summary>
[Collection(CompiledInfraCollection.Name)]
public sealed partial class MonitoringAlertTests(CompiledInfra infra)
{
    private const string ActionGroups = "Microsoft.Insights/actionGroups";
    private const string Rules = "Microsoft.Insights/scheduledQueryRules";

    /// <summary>Each rule's name and the signal its query must read (a metric of docs/spec/metrics.md, or the function invocations).</summary>
    public static TheoryData<string, string> ExpectedRules => new()
    {
        { "export-late", "\"lcnec.export.lateness\"" },
        { "alert-send-failures", "\"lcnec.alerts.send_failures\"" },
        { "poison-entries", "\"lcnec.poison.entries\"" },
        { "function-failures", "AppRequests | where Success == false" },
    };

    [Fact]
    public void AlertRules_AreExactlyTheFourNamedRules_OneResourcePerRule()
    {
        var rules = infra.Single(Rules);
        Assert.Equal("[length(variables('rules'))]", rules.Json.GetProperty("copy").GetProperty("count").GetString());
        Assert.Contains("variables('rules')[copyIndex()].name", rules.Json.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.Equal(ExpectedRules.Select(r => (string)r[0]).Order(StringComparer.Ordinal), RuleVariables(rules).Select(r => r.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ExpectedRules))]
    public void AlertRule_QueriesItsSignal_AndNotifiesTheActionGroup(string name, string signal)
    {
        var resource = infra.Single(Rules);
        var rule = RuleVariables(resource).Single(r => r.GetProperty("name").GetString() == name);

        Assert.Contains(signal, rule.GetProperty("query").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(rule.GetProperty("description").GetString()));
        var properties = resource.Properties;
        Assert.Equal(JsonValueKind.True, properties.GetProperty("enabled").ValueKind);
        Assert.Contains("Microsoft.OperationalInsights/workspaces", properties.GetProperty("scopes")[0].GetString(), StringComparison.Ordinal);
        var actionGroup = Assert.Single(properties.GetProperty("actions").GetProperty("actionGroups").EnumerateArray());
        Assert.Contains($"resourceId('{ActionGroups}'", actionGroup.GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ActionGroup_EmailReceivers_ComeOnlyFromTheAlertEmailAddressesParameter()
    {
        var group = infra.Single(ActionGroups);
        var receivers = Assert.Single(group.Json.GetProperty("properties").GetProperty("copy").EnumerateArray());
        Assert.Equal("emailReceivers", receivers.GetProperty("name").GetString());
        Assert.Contains("parameters('alertEmailAddresses')", group.Resolve(receivers.GetProperty("count")), StringComparison.Ordinal);
        Assert.Contains("parameters('alertEmailAddresses')", group.Resolve(receivers.GetProperty("input").GetProperty("emailAddress")), StringComparison.Ordinal);
        Assert.False(group.Json.GetProperty("properties").TryGetProperty("emailReceivers", out _), "no e-mail receiver outside the parameter's loop");

        var parameter = infra.Main.Template.GetProperty("parameters").GetProperty("alertEmailAddresses");
        Assert.False(parameter.TryGetProperty("defaultValue", out _), "no default address");
        Assert.Equal(1, parameter.GetProperty("minLength").GetInt32());
    }

    [Fact]
    public void TemplateAndParametersFile_HoldNoEmailAddress()
    {
        Assert.Empty(EmailAddress().Matches(infra.Text));
        Assert.Empty(EmailAddress().Matches(infra.ParametersFile.GetRawText()));
        Assert.False(infra.ParametersFile.GetProperty("parameters").TryGetProperty("alertEmailAddresses", out _));
    }

    [Fact]
    public void EmailAddressPattern_FindsAPlantedAddress()
    {
        Assert.Single(EmailAddress().Matches("{\"emailAddress\": \"oncall.lab@hospital.example\"}"));
        Assert.Empty(EmailAddress().Matches("[parameters('alertEmailAddresses')[copyIndex('emailReceivers')]]"));
    }

    [Fact]
    public void Workbook_ShowsThePipelineMetricsOverThirtyDays()
    {
        var workbook = infra.Single("Microsoft.Insights/workbooks");
        using var data = JsonDocument.Parse(workbook.Deployment.ResolveElement(workbook.Properties.GetProperty("serializedData")).GetString()!);
        Assert.Equal("Notebook/1.0", data.RootElement.GetProperty("version").GetString());
        var queries = data.RootElement.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("type").GetInt32() == 3).Select(i => i.GetProperty("content")).ToList();
        Assert.NotEmpty(queries);
        Assert.All(queries, q => Assert.Equal(TimeSpan.FromDays(30).TotalMilliseconds, q.GetProperty("timeContext").GetProperty("durationMs").GetDouble()));
        var text = string.Join('\n', queries.Select(q => q.GetProperty("query").GetString()));
        Assert.All(
            ["lcnec.batches.ingested", "lcnec.export.lateness", "lcnec.rows.read", "lcnec.rows.rejected", "lcnec.files.quarantined",
             "lcnec.ngs.files_scanned", "lcnec.ngs.bytes_scanned", "lcnec.alerts.sent", "lcnec.alerts.send_failures", "lcnec.poison.entries", "lcnec.screening.duration"],
            metric => Assert.Contains($"\"{metric}\"", text, StringComparison.Ordinal));
    }

    private static List<JsonElement> RuleVariables(ArmResource rules) =>
        [.. rules.Deployment.Template.GetProperty("variables").GetProperty("rules").EnumerateArray()];

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")]
    private static partial Regex EmailAddress();
}
