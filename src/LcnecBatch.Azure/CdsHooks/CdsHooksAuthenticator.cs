using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LcnecBatch.Azure.CdsHooks;

/// <summary>
/// CDS Hooks 2.0 authentication: <c>Authorization: Bearer {JWT}</c> signed (RS384 or ES384) by a configured EHR
/// issuer with one of the keys of its JWKS, <c>aud</c> = the endpoint called, <c>exp</c> not passed (with
/// <see cref="CdsHooksOptions.ClockSkew"/>), and a <c>jti</c> never accepted before. The replay cache is written
/// last, so a token refused for any other reason leaves nothing behind.
/// </summary>
public sealed class CdsHooksAuthenticator
{
    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha384, SecurityAlgorithms.EcdsaSha384];

    private readonly JsonWebTokenHandler _handler = new();
    private readonly Dictionary<string, IReadOnlyList<SecurityKey>> _issuers = new(StringComparer.Ordinal);
    private readonly CdsHooksOptions _options;
    private readonly CdsHooksTable _table;
    private readonly TimeProvider _time;
    private readonly ILogger<CdsHooksAuthenticator> _logger;

    public CdsHooksAuthenticator(IOptions<CdsHooksOptions> options, CdsHooksTable table, TimeProvider time, ILogger<CdsHooksAuthenticator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _table = table;
        _time = time;
        _logger = logger;
        // A slot the deployment left blank (infra passes one issuer's settings, empty until an EHR is configured) trusts nobody.
        foreach (var issuer in _options.Issuers.Where(i => !string.IsNullOrWhiteSpace(i.Issuer) && !string.IsNullOrWhiteSpace(i.JwksJson)))
        {
            _issuers[issuer.Issuer] = [.. new JsonWebKeySet(issuer.JwksJson).GetSigningKeys()];
        }
    }

    /// <summary>The endpoint URL a token for <paramref name="path"/> (relative to the discovery URL, "" for discovery) must name as <c>aud</c>.</summary>
    public string AudienceOf(string path) => path.Length == 0 ? _options.BaseUrl.TrimEnd('/') : $"{_options.BaseUrl.TrimEnd('/')}/{path}";

    /// <summary>Null when the request may proceed, else why not (a word for the log and the 401 body, never token content).</summary>
    public async Task<string?> AuthenticateAsync(string? authorization, IReadOnlyList<string> audiences, CancellationToken cancellationToken)
    {
        var failure = await CheckAsync(authorization, audiences, cancellationToken);
        if (failure is not null)
        {
            _logger.LogWarning("CDS Hooks request refused: {Failure}", failure);
        }
        return failure;
    }

    private bool Current(DateTime? notBefore, DateTime? expires)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return expires is { } until && now <= until.ToUniversalTime() + _options.ClockSkew
            && (notBefore is not { } from || now + _options.ClockSkew >= from.ToUniversalTime());
    }

    private async Task<string?> CheckAsync(string? authorization, IReadOnlyList<string> audiences, CancellationToken cancellationToken)
    {
        if (_options.BaseUrl.Length == 0 || _issuers.Count == 0)
        {
            return "not configured";
        }
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return "no bearer token";
        }
        var raw = authorization[scheme.Length..].Trim();
        if (!_handler.CanReadToken(raw))
        {
            return "malformed token";
        }
        JsonWebToken token;
        try
        {
            token = _handler.ReadJsonWebToken(raw);
        }
        catch (ArgumentException)
        {
            return "malformed token";
        }
        if (!_issuers.TryGetValue(token.Issuer ?? "", out var keys))
        {
            return "untrusted issuer";
        }
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = token.Issuer,
            ValidAudiences = audiences,
            IssuerSigningKeys = keys,
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            RequireAudience = true,
            ValidateLifetime = true,
            ClockSkew = _options.ClockSkew,
            // exp and nbf against the app's clock (TimeProvider), with the configured skew.
            LifetimeValidator = (notBefore, expires, _, _) => Current(notBefore, expires),
        };
        var result = await _handler.ValidateTokenAsync(raw, parameters);
        if (!result.IsValid)
        {
            return result.Exception switch
            {
                SecurityTokenInvalidLifetimeException => "token expired or not yet valid",
                SecurityTokenInvalidAudienceException => "wrong audience",
                SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "bad signature",
                _ => "invalid token",
            };
        }
        if (string.IsNullOrEmpty(token.Id))
        {
            return "no jti";
        }
        return await _table.TryRecordTokenAsync(token.Issuer!, token.Id, token.ValidTo == DateTime.MinValue ? _time.GetUtcNow() : new DateTimeOffset(token.ValidTo, TimeSpan.Zero), cancellationToken)
            ? null
            : "replayed jti";
    }
}
