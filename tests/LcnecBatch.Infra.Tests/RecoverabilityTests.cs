using System.Text.Json;
using System.Text.RegularExpressions;

namespace LcnecBatch.Infra.Tests;

/// <summary>
/// Nothing the lab sends is lost or unrecoverable: the exports (the only copy) on zone-redundant, versioned,
/// soft-deleted storage; a re-sent alert dropped for a week; Blob-created events that cannot be delivered kept in a
/// dead-letter container; and infra/README.md saying why.
/// </summary>
[Collection(CompiledInfraCollection.Name)]
public sealed partial class RecoverabilityTests(CompiledInfra infra)
{
    private const string DeadLetterContainer = "lab-exports-deadletter";
    private const string EventSubscription = "Microsoft.EventGrid/systemTopics/eventSubscriptions";

    [Fact]
    public void DuplicateDetectionWindow_IsSevenDays_ByDefaultAndInTheParametersFile()
    {
        Assert.Equal("P7D", Default("duplicateDetectionWindow").GetString());
        Assert.Equal("P7D", Given("duplicateDetectionWindow").GetString());
    }

    [Fact]
    public void StorageReplication_IsZoneRedundant_ByDefaultAndInTheParametersFile()
    {
        string[] zoneRedundant = ["Standard_ZRS", "Standard_GZRS", "Standard_RAGZRS"];
        Assert.Contains(Default("storageSku").GetString(), zoneRedundant);
        Assert.Contains(Given("storageSku").GetString(), zoneRedundant);
        var account = infra.Single("Microsoft.Storage/storageAccounts");
        Assert.Equal("(parameters('storageSku'))", account.Resolve(account.Json.GetProperty("sku").GetProperty("name")));
    }

    [Fact]
    public void Blobs_AreVersioned_AndDeletedBlobsContainersAndOldVersionsKeptThirtyDays()
    {
        var service = infra.Single("Microsoft.Storage/storageAccounts/blobServices").Properties;
        Assert.Equal(JsonValueKind.True, service.GetProperty("isVersioningEnabled").ValueKind);
        foreach (var policy in new[] { "deleteRetentionPolicy", "containerDeleteRetentionPolicy" })
        {
            var retention = service.GetProperty(policy);
            Assert.Equal(JsonValueKind.True, retention.GetProperty("enabled").ValueKind);
            Assert.Equal("(parameters('deleteRetentionDays'))", Resolved("Microsoft.Storage/storageAccounts/blobServices", retention.GetProperty("days")));
        }
        Assert.True(Default("deleteRetentionDays").GetInt32() >= 30);
        Assert.True(Given("deleteRetentionDays").GetInt32() >= 30);

        // Previous versions go no sooner than a deleted blob would: an overwrite is as recoverable as a delete.
        var lifecycle = infra.Single("Microsoft.Storage/storageAccounts/managementPolicies");
        var versions = Assert.Single(lifecycle.Properties.GetProperty("policy").GetProperty("rules").EnumerateArray(),
            r => r.GetProperty("definition").GetProperty("actions").TryGetProperty("version", out _));
        var days = versions.GetProperty("definition").GetProperty("actions").GetProperty("version").GetProperty("delete").GetProperty("daysAfterCreationGreaterThan");
        Assert.Equal("(parameters('deleteRetentionDays'))", lifecycle.Resolve(days));
    }

    [Fact]
    public void Storage_HasTheDeadLetterContainer()
    {
        var containers = infra.Single("Microsoft.Storage/storageAccounts/blobServices/containers");
        var names = containers.Resolve(containers.Json.GetProperty("copy").GetProperty("count"));
        Assert.Contains($"({DeadLetterContainer})", names);
    }

    [Fact]
    public void EventSubscription_IsDeployedOnlyWithAnEndpoint_GivenAsASecureParameter()
    {
        var parameter = infra.Main.Template.GetProperty("parameters").GetProperty("eventGridSubscriptionEndpoint");
        Assert.Equal("securestring", parameter.GetProperty("type").GetString());
        Assert.Equal("", parameter.GetProperty("defaultValue").GetString());
        var module = Assert.Single(infra.Main.AllResources(), r => r.Type == "Microsoft.Resources/deployments" && r.Json.TryGetProperty("condition", out _));
        Assert.Equal("[not(empty(parameters('eventGridSubscriptionEndpoint')))]", module.Json.GetProperty("condition").GetString());
        var subscription = infra.Single(EventSubscription);
        Assert.Equal("(parameters('eventGridSubscriptionEndpoint'))",
            subscription.Resolve(subscription.Properties.GetProperty("destination").GetProperty("properties").GetProperty("endpointUrl")));
    }

    [Fact]
    public void EventSubscription_RetriesThirtyTimesInADay_ThenDeadLettersToTheContainerWithTheTopicsIdentity()
    {
        var subscription = infra.Single(EventSubscription);
        var properties = subscription.Properties;
        var retry = properties.GetProperty("retryPolicy");
        Assert.Equal(30, retry.GetProperty("maxDeliveryAttempts").GetInt32());
        Assert.Equal(1440, retry.GetProperty("eventTimeToLiveInMinutes").GetInt32());
        Assert.Contains("Microsoft.Storage.BlobCreated", properties.GetProperty("filter").GetProperty("includedEventTypes").EnumerateArray().Select(t => t.GetString()));

        Assert.False(properties.TryGetProperty("deadLetterDestination", out _), "with shared keys off, dead letters need the identity");
        var deadLetters = properties.GetProperty("deadLetterWithResourceIdentity");
        Assert.Equal("SystemAssigned", deadLetters.GetProperty("identity").GetProperty("type").GetString());
        var destination = deadLetters.GetProperty("deadLetterDestination");
        Assert.Equal("StorageBlob", destination.GetProperty("endpointType").GetString());
        Assert.Contains($"({DeadLetterContainer})", subscription.Resolve(destination.GetProperty("properties").GetProperty("blobContainerName")));
        Assert.Contains("reference('storage').outputs.id.value", subscription.Resolve(destination.GetProperty("properties").GetProperty("resourceId")));

        var topic = infra.Single("Microsoft.EventGrid/systemTopics");
        Assert.Equal("SystemAssigned", topic.Json.GetProperty("identity").GetProperty("type").GetString());
    }

    [Fact]
    public void EventGridTopicIdentity_MayWriteBlobsOfTheStorageAccount_AndNothingElse()
    {
        var byTopic = infra.OfType("Microsoft.Authorization/roleAssignments")
            .Where(a => a.Resolve(a.Properties.GetProperty("principalId")).Contains("reference('eventGrid')", StringComparison.Ordinal))
            .ToList();
        var assignment = Assert.Single(byTopic);
        Assert.Equal("Microsoft.Storage/storageAccounts", assignment.ScopeResourceType());
        Assert.Contains(BuiltInRoles.StorageBlobDataContributor, assignment.Resolve(assignment.Properties.GetProperty("roleDefinitionId")));
    }

    [Fact]
    public void SubscriptionScript_DeploysTheSameModule_WithExactlyItsParameters_FromOutputsMainHas()
    {
        var script = File.ReadAllText(Path.Combine(infra.RepositoryRoot, "infra", "scripts", "create-eventgrid-subscription.sh"));
        Assert.Contains("modules/eventgrid-subscription.bicep", script);
        Assert.DoesNotContain("az eventgrid", script, StringComparison.Ordinal);

        var module = Assert.Single(infra.Main.AllResources(), r => r.Symbol == "eventGridSubscription");
        var declared = module.Properties.GetProperty("template").GetProperty("parameters").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        var passed = ScriptParameter().Matches(script).Select(m => m.Groups["name"].Value).Order(StringComparer.Ordinal);
        Assert.Equal(declared, passed);

        var outputs = infra.Main.Template.GetProperty("outputs");
        var read = ScriptOutput().Matches(script).Select(m => m.Groups["name"].Value).ToList();
        Assert.NotEmpty(read);
        Assert.All(read, name => Assert.True(outputs.TryGetProperty(name, out _), $"main.bicep has no output {name}"));
    }

    [Fact]
    public void Readme_ExplainsTheWindowTheReplicationVersioningSoftDeleteAndDeadLetters()
    {
        var readme = File.ReadAllText(Path.Combine(infra.RepositoryRoot, "infra", "README.md"));
        foreach (var term in new[] { "P7D", "Standard_GZRS", "versioning", "soft delete", DeadLetterContainer, "maxDeliveryAttempts", "eventGridSubscriptionEndpoint", "only copy" })
        {
            Assert.Contains(term, readme, StringComparison.Ordinal);
        }
    }

    private JsonElement Default(string parameter) =>
        infra.Main.Template.GetProperty("parameters").GetProperty(parameter).GetProperty("defaultValue");

    private JsonElement Given(string parameter) =>
        infra.ParametersFile.GetProperty("parameters").GetProperty(parameter).GetProperty("value");

    private string Resolved(string type, JsonElement value) => infra.Single(type).Resolve(value);

    /// <summary>A parameter of the script's parameters file: <c>"name": { "value": ...</c>.</summary>
    [GeneratedRegex("\"(?<name>[A-Za-z]+)\": \\{ \"value\"")]
    private static partial Regex ScriptParameter();

    /// <summary>A deployment output the script reads: <c>$(output name)</c>.</summary>
    [GeneratedRegex(@"\$\(output (?<name>[A-Za-z]+)\)")]
    private static partial Regex ScriptOutput();
}
