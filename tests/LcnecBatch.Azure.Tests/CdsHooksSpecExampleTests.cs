using LcnecBatch.Azure.CdsHooks;
using LcnecBatch.Azure.Tests.TestData;
using Microsoft.Extensions.DependencyInjection;

namespace LcnecBatch.Azure.Tests;

/// <summary>
/// The authenticator against material the team did not write: the example JWT and its ES384 public key from the CDS Hooks
/// specification ("Trusting CDS Clients", cds-hooks/docs docs/specification/current.md, commit 0036280). The token was
/// signed by the specification's authors; it is current between its iat (2011-07-21) and exp (2015-01-29).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CdsHooksSpecExampleTests(AzuriteFixture azurite)
{
    private const string SpecIssuer = "https://fhir-ehr.example.com/";
    private const string SpecBaseUrl = "https://cds.example.org/cds-services";

    private const string SpecJwks = """
        {"keys":[{"kty":"EC","use":"sig","crv":"P-384","kid":"example-kid","x":"46SDH7Znh821wblCBglA61sNE9ZrHYKKt3qRtRTmSXyOI_FIGBLWrWa0GPUkDCEk","y":"XMcRuuoGW7CXjQdy-F5i3FeBE0x9hPLdeFdSoDd3ELmx404tLX0VRRcqzAsPhXcI","alg":"ES384"}]}
        """;

    private const string SpecToken =
        "eyJhbGciOiJFUzM4NCIsInR5cCI6IkpXVCIsImtpZCI6ImV4YW1wbGUta2lkIiwiamt1IjoiaHR0cHM6Ly9maGlyLWVoci5leGFtcGxlLmNvbS9qd2tfdXJpIn0"
        + ".eyJpc3MiOiJodHRwczovL2ZoaXItZWhyLmV4YW1wbGUuY29tLyIsInN1YiI6ImNsaWVudF9pZCIsImF1ZCI6Imh0dHBzOi8vY2RzLmV4YW1wbGUub3JnL2Nkcy1zZXJ2aWNlcy9zb21lLXNlcnZpY2UiLCJleHAiOjE0MjI1Njg4NjAsImlhdCI6MTMxMTI4MDk3MCwianRpIjoiZWUyMmIwMjEtZTFiNy00NjExLWJhNWItOGVlYzZhMzNhYzFlIiwidGVuYW50IjoiMmRkZDZjM2EtOGU5YS00NGM2LWEzMDUtNTIxMTFhZDMwMmEyIn0"
        + ".CUFPkplnWd6YGIvzoHolWCQBDsCL8QtTWKGg_QFpS169WrqDGzktRi-_we6-6rVzbjerU27ZKww_SW0-b9RTz-dPJNcqsueMio8r6EqXUXhbLm_ch3XFSbDlGHDl_tqo";

    [Fact]
    public async Task SpecificationsExampleToken_WhileCurrent_IsAcceptedOnce_ThenReplayed_AndRefusedOnceExpired()
    {
        var clock = new ManualClock(new DateTimeOffset(2014, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var table = $"cdshooks{Guid.NewGuid():N}";
        await using var harness = new LabExportHarness(azurite, configure: services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.PostConfigure<CdsHooksOptions>(o =>
            {
                o.BaseUrl = SpecBaseUrl;
                o.Table = table;
                o.Issuers.Add(new TrustedIssuer { Issuer = SpecIssuer, JwksJson = SpecJwks });
            });
        });
        var authenticator = harness.Services.GetRequiredService<CdsHooksAuthenticator>();
        string[] audience = [authenticator.AudienceOf("some-service")];

        // One byte of the specification's signature changed: the key no longer verifies it.
        var forged = await authenticator.AuthenticateAsync("Bearer " + SpecToken[..^2] + (SpecToken[^2] == 'A' ? "B" : "A") + SpecToken[^1], audience, harness.Token);
        var first = await authenticator.AuthenticateAsync("Bearer " + SpecToken, audience, harness.Token);
        var again = await authenticator.AuthenticateAsync("Bearer " + SpecToken, audience, harness.Token);
        var otherService = await authenticator.AuthenticateAsync("Bearer " + SpecToken, [authenticator.AudienceOf("lcnec-alk-screening")], harness.Token);
        clock.Advance(TimeSpan.FromDays(365 * 12));
        var expired = await authenticator.AuthenticateAsync("Bearer " + SpecToken, audience, harness.Token);

        Assert.Equal("bad signature", forged);
        Assert.Null(first);
        Assert.Equal("replayed jti", again);
        Assert.Equal("wrong audience", otherService);
        Assert.Equal("token expired or not yet valid", expired);
        await harness.Tables.DeleteTableAsync(table, CancellationToken.None);
    }
}
