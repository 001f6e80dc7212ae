namespace LcnecBatch.Infra.Tests;

/// <summary>
/// App Service Authentication (Easy Auth, Entra ID) in front of the inbox responses endpoint, the app settings of the
/// CDS Hooks service and the inbox, and the escalations' subscription (cds-hooks.md, alerts.md).
/// </summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class AuthenticationTests(CompiledInfra infra)
{
    private const string AuthSettings = "Microsoft.Web/sites/config";

    [Fact]
    public void EasyAuth_RequiresAnEntraIdTokenOfTheRegistration_Returns401_AndKeepsNoTokens()
    {
        var auth = infra.Single(AuthSettings);
        Assert.EndsWith("'authsettingsV2')]", auth.Json.GetProperty("name").GetString());
        var properties = auth.Properties;
        Assert.True(properties.GetProperty("platform").GetProperty("enabled").GetBoolean());
        var validation = properties.GetProperty("globalValidation");
        Assert.True(validation.GetProperty("requireAuthentication").GetBoolean());
        Assert.Equal("Return401", validation.GetProperty("unauthenticatedClientAction").GetString());
        Assert.False(properties.GetProperty("login").GetProperty("tokenStore").GetProperty("enabled").GetBoolean());
        Assert.True(properties.GetProperty("httpSettings").GetProperty("requireHttps").GetBoolean());

        var entra = properties.GetProperty("identityProviders").GetProperty("azureActiveDirectory");
        Assert.True(entra.GetProperty("enabled").GetBoolean());
        var registration = entra.GetProperty("registration");
        Assert.Equal("(parameters('entraClientId'))", auth.Resolve(registration.GetProperty("clientId")));
        // Issuer and audiences come from parameters, by default the deployment tenant's issuer and api://{clientId}: no tenant or id in a file.
        var issuer = auth.Resolve(registration.GetProperty("openIdIssuer"));
        Assert.Contains("parameters('entraOpenIdIssuer')", issuer, StringComparison.Ordinal);
        Assert.Contains("tenant().tenantId", issuer, StringComparison.Ordinal);
        var audiences = auth.Resolve(entra.GetProperty("validation").GetProperty("allowedAudiences"));
        Assert.Contains("parameters('entraAllowedAudiences')", audiences, StringComparison.Ordinal);
        Assert.Contains("format('api://{0}', (parameters('entraClientId')))", audiences, StringComparison.Ordinal);
    }

    [Fact]
    public void EasyAuth_IsDeployedOnlyWithAnAppRegistration_WhichNoFileHardCodes()
    {
        var auth = infra.Single(AuthSettings);
        Assert.Contains("entraClientId", auth.Resolve(auth.Json.GetProperty("condition")), StringComparison.Ordinal);
        var parameters = infra.Main.Template.GetProperty("parameters");
        Assert.Equal("", parameters.GetProperty("entraClientId").GetProperty("defaultValue").GetString());
        Assert.Equal("", parameters.GetProperty("entraOpenIdIssuer").GetProperty("defaultValue").GetString());
        Assert.Equal("Alerts.Respond", parameters.GetProperty("inboxRequiredRole").GetProperty("defaultValue").GetString());
        Assert.False(infra.ParametersFile.GetProperty("parameters").TryGetProperty("entraClientId", out _));
    }

    [Fact]
    public void EasyAuth_ExcludesTheRoutesThatAuthenticateOtherwise_ButNotTheInboxEndpoint()
    {
        var excluded = infra.Single(AuthSettings).Properties.GetProperty("globalValidation").GetProperty("excludedPaths")
            .EnumerateArray().Select(p => p.GetString()!).ToList();

        // CDS Hooks calls carry the EHR's JWT (no Entra token), the probe and Event Grid's webhook use keys.
        Assert.Equal(
            ["/api/cds-services", "/api/cds-services/lcnec-alk-screening", "/api/cds-services/lcnec-alk-screening/feedback", "/api/health", "/runtime/webhooks/blobs"],
            excluded);
        Assert.DoesNotContain(excluded, p => p.StartsWith("/api/alerts", StringComparison.Ordinal) || p == "/" || p == "/api");
    }

    [Fact]
    public void AppSettings_CdsHooksAndInbox_ComeFromParameters_AndNeverTrustTheHeaderWithoutEasyAuth()
    {
        var settings = AppSettings();
        foreach (var (setting, parameter) in new[]
        {
            ("CdsHooks__BaseUrl", "cdsHooksBaseUrl"),
            ("CdsHooks__MrnIdentifierSystem", "cdsHooksMrnIdentifierSystem"),
            ("CdsHooks__Issuers__0__Issuer", "cdsHooksIssuer"),
            ("CdsHooks__Issuers__0__JwksJson", "cdsHooksJwksJson"),
            ("Inbox__RequiredRole", "inboxRequiredRole"),
        })
        {
            Assert.Equal($"(parameters('{parameter}'))", settings[setting]);
        }
        Assert.DoesNotContain(settings.Keys, k => k.StartsWith("Inbox__TrustClientPrincipalHeader", StringComparison.Ordinal));
    }

    [Fact]
    public void EscalationSubscription_ReceivesOnlyMessagesWhoseEscalationPropertyIsTheStringTrue()
    {
        var rule = Assert.Single(infra.OfType("Microsoft.ServiceBus/namespaces/topics/subscriptions/rules"), r => r.Symbol == "escalationRule");
        Assert.Contains("tumour-board-escalations", rule.Resolve(rule.Json.GetProperty("name")), StringComparison.Ordinal);
        Assert.EndsWith(", '$Default')]", rule.Json.GetProperty("name").GetString());
        Assert.Equal("SqlFilter", rule.Properties.GetProperty("filterType").GetString());
        // ServiceBusAlertSink sets escalation = "true" (a string) on escalations only.
        Assert.Equal("escalation = 'true'", rule.Properties.GetProperty("sqlFilter").GetProperty("sqlExpression").GetString());
        var subscription = Assert.Single(infra.OfType("Microsoft.ServiceBus/namespaces/topics/subscriptions"), s => s.Symbol == "escalation");
        Assert.Contains("tumour-board-escalations", subscription.Resolve(subscription.Json.GetProperty("name")), StringComparison.Ordinal);
    }

    private Dictionary<string, string> AppSettings()
    {
        var site = infra.Single("Microsoft.Web/sites");
        return site.Properties.GetProperty("siteConfig").GetProperty("appSettings").EnumerateArray().ToDictionary(
            s => s.GetProperty("name").GetString()!,
            s => site.Resolve(s.GetProperty("value")));
    }
}
