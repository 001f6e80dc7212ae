using System.ComponentModel.DataAnnotations;

namespace LcnecBatch.Azure.CdsHooks;

/// <summary>An EHR trusted to call the CDS Hooks service: its <c>iss</c> and the public keys it signs with.</summary>
public sealed class TrustedIssuer
{
    /// <summary>The token's <c>iss</c>, compared exactly.</summary>
    [Required]
    public string Issuer { get; set; } = "";

    /// <summary>The issuer's JSON Web Key Set (<c>{"keys":[...]}</c>), inline; RS384 or ES384 keys.</summary>
    [Required]
    public string JwksJson { get; set; } = "";
}

/// <summary>The CDS Hooks service (docs/spec/cds-hooks.md), bound from <c>CdsHooks</c>.</summary>
public sealed class CdsHooksOptions
{
    public const string SectionName = "CdsHooks";

    /// <summary>
    /// The public URL of the discovery endpoint as the EHR calls it (e.g. <c>https://lcnec.example.org/api/cds-services</c>);
    /// a token's <c>aud</c> must be the URL of the endpoint it calls under it. Empty: the service refuses every call (401).
    /// </summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>The FHIR identifier system of the lab's MRN in <c>Patient.identifier</c> (compared exactly).</summary>
    public string MrnIdentifierSystem { get; set; } = "";

    /// <summary>The code system of the override reasons offered on cards and accepted as feedback.</summary>
    [Required]
    public string OverrideReasonSystem { get; set; } = "urn:lcnec-batch:cds-hooks:override-reason";

    /// <summary>The card source's label (shown by the EHR) and an optional link about it.</summary>
    [Required]
    public string SourceLabel { get; set; } = "LcnecBatch ALK screening";

    public string? SourceUrl { get; set; }

    /// <summary>The EHRs allowed to call; none: every call is refused (401).</summary>
    public IList<TrustedIssuer> Issuers { get; } = [];

    /// <summary>Tolerance for the token's <c>exp</c> (and <c>nbf</c>) against this clock.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The table of seen token ids (replay cache) and the card index (alert id → patient pseudonym) for feedback.</summary>
    [Required]
    public string Table { get; set; } = "cdshooks";
}
