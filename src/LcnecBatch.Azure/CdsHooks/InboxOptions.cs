using System.ComponentModel.DataAnnotations;

namespace LcnecBatch.Azure.CdsHooks;

/// <summary>The plain responses endpoint for inbox integrations (cds-hooks.md "Inbox responses"), bound from <c>Inbox</c>.</summary>
public sealed class InboxOptions
{
    public const string SectionName = "Inbox";

    /// <summary>The Entra ID app role a caller must hold (a <c>roles</c> claim, or a claim of the principal's <c>role_typ</c>).</summary>
    [Required]
    public string RequiredRole { get; set; } = "Alerts.Respond";

    /// <summary>
    /// Trust the <c>X-MS-CLIENT-PRINCIPAL</c> header although the platform does not say App Service Authentication is
    /// on (<c>WEBSITE_AUTH_ENABLED=True</c>). Only for tests and hosts known to put an authenticating proxy in front:
    /// without Easy Auth anyone can forge the header, so by default the endpoint then refuses every call (401).
    /// </summary>
    public bool TrustClientPrincipalHeader { get; set; }
}
