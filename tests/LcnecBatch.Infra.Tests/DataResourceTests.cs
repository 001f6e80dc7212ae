using System.Text.Json;

namespace LcnecBatch.Infra.Tests;

/// <summary>Storage, the alerts topic, the key vault and the parameters of the compiled template.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class DataResourceTests(CompiledInfra infra)
{
    [Fact]
    public void Storage_RefusesSharedKeysAndPublicBlobsAndOldTls()
    {
        var properties = infra.Single("Microsoft.Storage/storageAccounts").Properties;
        Assert.Equal(JsonValueKind.False, properties.GetProperty("allowSharedKeyAccess").ValueKind);
        Assert.Equal(JsonValueKind.False, properties.GetProperty("allowBlobPublicAccess").ValueKind);
        Assert.Equal("TLS1_2", properties.GetProperty("minimumTlsVersion").GetString());
    }

    [Fact]
    public void Storage_HasTheStateTablesAndMovesExportsToCoolAfterTheConfiguredDays()
    {
        var tables = infra.Single("Microsoft.Storage/storageAccounts/tableServices/tables");
        var tableNames = tables.Resolve(tables.Json.GetProperty("copy").GetProperty("count"));
        foreach (var table in new[] { "timelineevents", "ingestionledger", "alertledger", "pendingrawfiles" })
        {
            Assert.Contains(table, tableNames);
        }

        var policy = infra.Single("Microsoft.Storage/storageAccounts/managementPolicies");
        var rule = Assert.Single(policy.Properties.GetProperty("policy").GetProperty("rules").EnumerateArray(), r => r.GetProperty("name").GetString() == "lab-exports-to-cool");
        var definition = rule.GetProperty("definition");
        Assert.Contains("lab-exports", policy.Resolve(definition.GetProperty("filters").GetProperty("prefixMatch")));
        var days = definition.GetProperty("actions").GetProperty("baseBlob").GetProperty("tierToCool").GetProperty("daysAfterModificationGreaterThan");
        Assert.Equal("(parameters('coolAfterDays'))", policy.Resolve(days));
    }

    [Fact]
    public void AlertsTopic_DetectsDuplicatesInTheWindowOfAParameter()
    {
        var topic = infra.Single("Microsoft.ServiceBus/namespaces/topics");
        Assert.Contains("care-team-alerts", topic.Resolve(topic.Json.GetProperty("name")));
        Assert.Equal(JsonValueKind.True, topic.Properties.GetProperty("requiresDuplicateDetection").ValueKind);
        Assert.Equal("(parameters('duplicateDetectionWindow'))", topic.Resolve(topic.Properties.GetProperty("duplicateDetectionHistoryTimeWindow")));
    }

    [Fact]
    public void ServiceBus_AcceptsEntraIdOnly()
    {
        var properties = infra.Single("Microsoft.ServiceBus/namespaces").Properties;
        Assert.Equal(JsonValueKind.True, properties.GetProperty("disableLocalAuth").ValueKind);
        Assert.Equal("Standard", infra.Single("Microsoft.ServiceBus/namespaces").Json.GetProperty("sku").GetProperty("name").GetString());
    }

    [Fact]
    public void CareTeamSubscriptions_ReplaceTheDefaultRuleWithACareTeamFilter()
    {
        var rules = Assert.Single(infra.OfType("Microsoft.ServiceBus/namespaces/topics/subscriptions/rules"), r => r.Json.TryGetProperty("copy", out _));
        // One rule per care team of the parameter, each the $Default rule of its subscription.
        Assert.Equal("length((parameters('careTeams')))", rules.Resolve(rules.Json.GetProperty("copy").GetProperty("count")));
        Assert.EndsWith(", '$Default')]", rules.Json.GetProperty("name").GetString());
        Assert.Equal("SqlFilter", rules.Properties.GetProperty("filterType").GetString());
        Assert.StartsWith("format('careTeam = ''{0}''', ", rules.Resolve(rules.Properties.GetProperty("sqlFilter").GetProperty("sqlExpression")));
    }

    [Fact]
    public void OperationsMessages_ReachOnlyTheOperationsSubscription_NeverACareTeamsOrTheCatchAll()
    {
        var rules = infra.OfType("Microsoft.ServiceBus/namespaces/topics/subscriptions/rules").ToList();
        var filters = rules.Where(r => !r.Json.TryGetProperty("copy", out _))
            .ToDictionary(r => r.Resolve(r.Json.GetProperty("name")), r => r.Resolve(r.Properties.GetProperty("sqlFilter").GetProperty("sqlExpression")));

        // The operations subscription takes only channel = 'operations' (ExportWatchdog's messages, which carry no careTeam),
        // the catch-all only messages without a channel; a care team's rule matches careTeam alone, which they never carry;
        // the escalations' rule matches escalation = 'true', which only an escalated alert carries.
        Assert.Equal(3, filters.Count);
        Assert.Contains(filters, f => f.Key.Contains("tumour-board-escalations", StringComparison.Ordinal) && f.Value == "escalation = 'true'");
        Assert.Contains(filters, f => f.Key.Contains("operationsSubscriptionName", StringComparison.Ordinal) && f.Value == "channel = 'operations'");
        Assert.Contains(filters, f => f.Key.Contains("all-alerts", StringComparison.Ordinal) && f.Value == "channel IS NULL");
        var team = Assert.Single(rules, r => r.Json.TryGetProperty("copy", out _));
        Assert.DoesNotContain("channel", team.Resolve(team.Properties.GetProperty("sqlFilter").GetProperty("sqlExpression")), StringComparison.Ordinal);
    }

    [Fact]
    public void Subscriptions_DeadLetterExpiredAlertsAndFilterErrors_AndOneCatchesAll()
    {
        var subscriptions = infra.OfType("Microsoft.ServiceBus/namespaces/topics/subscriptions").ToList();
        Assert.Equal(4, subscriptions.Count); // the care teams' (a copy loop), the catch-all, operations and the escalations'
        Assert.Equal(3, subscriptions.Count(s => !s.Json.TryGetProperty("copy", out _)));
        foreach (var subscription in subscriptions)
        {
            Assert.Equal(JsonValueKind.True, subscription.Properties.GetProperty("deadLetteringOnMessageExpiration").ValueKind);
            Assert.Equal(JsonValueKind.True, subscription.Properties.GetProperty("deadLetteringOnFilterEvaluationExceptions").ValueKind);
        }
    }

    [Fact]
    public void KeyVault_UsesRbacAndPurgeProtection_AndThePseudonymKeyComesFromASecureParameter()
    {
        var vault = infra.Single("Microsoft.KeyVault/vaults").Properties;
        Assert.Equal(JsonValueKind.True, vault.GetProperty("enableRbacAuthorization").ValueKind);
        Assert.Equal(JsonValueKind.True, vault.GetProperty("enablePurgeProtection").ValueKind);
        Assert.Equal(JsonValueKind.True, vault.GetProperty("enableSoftDelete").ValueKind);

        var secret = infra.Single("Microsoft.KeyVault/vaults/secrets");
        Assert.Equal("(parameters('pseudonymKey'))", secret.Resolve(secret.Properties.GetProperty("value")));
        var parameter = infra.Main.Template.GetProperty("parameters").GetProperty("pseudonymKey");
        Assert.Equal("securestring", parameter.GetProperty("type").GetString());
        Assert.False(parameter.TryGetProperty("defaultValue", out _), "the pseudonym key must have no default");
    }

    [Fact]
    public void ParametersFile_SetsOnlyTemplateParameters_AllRequiredButThePseudonymKeyAndTheAlertAddresses()
    {
        var declared = infra.Main.Template.GetProperty("parameters").EnumerateObject().ToList();
        var given = infra.ParametersFile.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToList();

        Assert.All(given, name => Assert.Contains(declared, p => p.Name == name));
        var required = declared.Where(p => !p.Value.TryGetProperty("defaultValue", out _)).Select(p => p.Name);
        // Both given at deployment: the key is a secret, the on-call addresses are staff's personal data.
        Assert.Equal(["alertEmailAddresses", "pseudonymKey"], required.Except(given).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("pseudonymKey", given);
    }
}
