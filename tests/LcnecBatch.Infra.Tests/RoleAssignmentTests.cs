using System.Text.RegularExpressions;

namespace LcnecBatch.Infra.Tests;

/// <summary>The app's identity gets the least roles, each on the one resource it is about.</summary>
[Collection(CompiledInfraCollection.Name)]
public sealed partial class RoleAssignmentTests(CompiledInfra infra)
{
    private const string RoleAssignment = "Microsoft.Authorization/roleAssignments";

    [Fact]
    public void RoleAssignments_EachHasServicePrincipalTypeAndAResourceScope()
    {
        var assignments = infra.OfType(RoleAssignment).ToList();
        Assert.NotEmpty(assignments);
        foreach (var assignment in assignments)
        {
            var principalType = assignment.Properties.TryGetProperty("principalType", out var type) ? type.GetString() : null;
            Assert.True(principalType == "ServicePrincipal", $"{assignment.Symbol}: principalType is {principalType ?? "missing"}");

            // No scope means the resource group the deployment targets.
            var scope = assignment.ScopeResourceType();
            Assert.True(scope is not null, $"{assignment.Symbol}: scope is not a resource: {assignment.Json.GetRawText()}");
            Assert.False(scope.StartsWith("Microsoft.Resources/", StringComparison.OrdinalIgnoreCase), $"{assignment.Symbol}: scope is {scope}");
        }
    }

    [Fact]
    public void RoleAssignments_HaveDeterministicNamesFromScopePrincipalAndRole()
    {
        foreach (var assignment in infra.OfType(RoleAssignment))
        {
            var name = assignment.Resolve(assignment.Json.GetProperty("name"));
            Assert.StartsWith("guid(", name);
            Assert.Contains(RoleOf(assignment), name);
            Assert.Contains("principalId", name);
        }
    }

    [Fact]
    public void RoleAssignments_AreExactlyWhatTheBlobTriggerStateAlertsKeyTelemetryAndDeadLettersNeed()
    {
        var granted = infra.OfType(RoleAssignment)
            .Select(a => $"{a.ScopeResourceType()} {RoleOf(a)}")
            .Order(StringComparer.Ordinal)
            .ToList();
        string[] expected =
        [
            $"Microsoft.Insights/components {BuiltInRoles.MonitoringMetricsPublisher}",
            $"Microsoft.KeyVault/vaults/secrets {BuiltInRoles.KeyVaultSecretsUser}",
            $"Microsoft.ServiceBus/namespaces/topics {BuiltInRoles.ServiceBusDataSender}",
            $"Microsoft.Storage/storageAccounts {BuiltInRoles.StorageBlobDataContributor}",
            $"Microsoft.Storage/storageAccounts {BuiltInRoles.StorageBlobDataOwner}",
            $"Microsoft.Storage/storageAccounts {BuiltInRoles.StorageQueueDataContributor}",
            $"Microsoft.Storage/storageAccounts {BuiltInRoles.StorageTableDataContributor}",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), granted);
    }

    [Fact]
    public void ServiceBus_GrantsDataSenderOnly()
    {
        var onServiceBus = infra.OfType(RoleAssignment)
            .Where(a => a.ScopeResourceType()?.StartsWith("Microsoft.ServiceBus/", StringComparison.OrdinalIgnoreCase) == true)
            .ToList();
        var sender = Assert.Single(onServiceBus);
        Assert.Equal(BuiltInRoles.ServiceBusDataSender, RoleOf(sender));

        // Nor a Service Bus (or all-powerful) role anywhere else, whatever its scope.
        var roles = infra.OfType(RoleAssignment).Select(RoleOf).ToList();
        Assert.DoesNotContain(BuiltInRoles.ServiceBusDataReceiver, roles);
        Assert.DoesNotContain(BuiltInRoles.ServiceBusDataOwner, roles);
        Assert.DoesNotContain(BuiltInRoles.Owner, roles);
        Assert.DoesNotContain(BuiltInRoles.Contributor, roles);
    }

    /// <summary>The role definition id (a GUID) an assignment grants.</summary>
    private static string RoleOf(ArmResource assignment)
    {
        var roleDefinitionId = assignment.Resolve(assignment.Properties.GetProperty("roleDefinitionId"));
        var guids = Guid().Matches(roleDefinitionId).Select(m => m.Value.ToLowerInvariant()).Distinct().ToList();
        Assert.True(guids.Count == 1, $"{assignment.Symbol}: expected one role GUID in {roleDefinitionId}");
        return guids[0];
    }

    [GeneratedRegex(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Guid();
}
