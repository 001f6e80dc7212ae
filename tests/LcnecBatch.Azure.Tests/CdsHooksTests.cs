using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LcnecBatch.Azure.CdsHooks;
using LcnecBatch.Azure.Tests.TestData;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;
using LcnecBatch.Functions;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using BlobsModels = global::Azure.Storage.Blobs.Models;

namespace LcnecBatch.Azure.Tests;

/// <summary>The CDS Hooks service (cds-hooks.md) through its functions, on Azurite, with tokens signed here as an EHR would.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CdsHooksTests(AzuriteFixture azurite) : IDisposable
{
    private const string Issuer = "https://ehr.example.org";
    private const string BaseUrl = "https://lcnec.example.org/api/cds-services";
    private const string MrnSystem = "urn:oid:2.16.840.1.113883.3.9999.1";
    private const string ReasonSystem = "https://lcnec.example.org/fhir/CodeSystem/override-reason";
    private const string FeedbackUrl = BaseUrl + "/lcnec-alk-screening/feedback";

    private static readonly string[] ReasonCodes =
    [
        "acknowledged", "testedElsewhere", "declined", "notCandidate-hospice", "notCandidate-deceased", "notCandidate-comfortCare",
        "notCandidate-other", "snoozed-30d", "disagree-wrongPatient", "disagree-notLcnec", "disagree-other",
    ];

    private readonly RSA _ehrKey = RSA.Create(2048);
    private readonly string _table = $"cdshooks{Guid.NewGuid():N}";

    public void Dispose() => _ehrKey.Dispose();

    [Fact]
    public async Task Discovery_HasTheOnePatientViewServiceWithEveryRequiredField()
    {
        await using var app = await StartAsync(withAlerts: false);

        var (status, body) = await CallAsync(app, "CdsDiscovery", Token(BaseUrl));

        Assert.Equal(HttpStatusCode.OK, status);
        var service = Assert.Single(body.GetProperty("services").EnumerateArray());
        Assert.Equal("patient-view", service.GetProperty("hook").GetString());
        Assert.Equal("lcnec-alk-screening", service.GetProperty("id").GetString());
        Assert.False(string.IsNullOrWhiteSpace(service.GetProperty("description").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(service.GetProperty("title").GetString()));
        Assert.Equal("Patient/{{context.patientId}}", service.GetProperty("prefetch").GetProperty("patient").GetString());
    }

    [Fact]
    public async Task Discovery_ABlankIssuerSlotInTheSettings_TrustsNobody_AndTheConfiguredEhrStillGetsIn()
    {
        await using var app = await StartAsync(withAlerts: false, blankIssuerSlot: true);

        var (ehr, _) = await CallAsync(app, "CdsDiscovery", Token(BaseUrl));
        var (blank, _) = await CallRawAsync(app, "CdsDiscovery", Token(BaseUrl, d => d.Issuer = ""));

        Assert.Equal(HttpStatusCode.OK, ehr);
        Assert.Equal(HttpStatusCode.Unauthorized, blank);
    }

    [Fact]
    public async Task PatientView_PatientWithAnOpenAlert_GetsACardPerOpenAlert_WithEveryRequiredFieldAndTheOverrideReasons()
    {
        await using var app = await StartAsync();
        var open = await OpenAlertIdsAsync(app, SampleBatches.Mrns[0]);
        Assert.NotEmpty(open);

        var (status, body) = await CallAsync(app, "CdsPatientView", Token(BaseUrl + "/lcnec-alk-screening"), HookRequest(SampleBatches.Mrns[0]));

        Assert.Equal(HttpStatusCode.OK, status);
        var cards = body.GetProperty("cards").EnumerateArray().ToList();
        Assert.Equal(open.Order(StringComparer.Ordinal), cards.Select(c => c.GetProperty("uuid").GetString()!).Order(StringComparer.Ordinal));
        foreach (var card in cards)
        {
            var summary = card.GetProperty("summary").GetString()!;
            Assert.InRange(summary.Length, 1, 139);
            Assert.All(SampleBatches.Mrns, mrn => Assert.DoesNotContain(mrn, summary, StringComparison.Ordinal));
            Assert.Contains(card.GetProperty("indicator").GetString(), new[] { "info", "warning", "critical" });
            Assert.Equal("LcnecBatch ALK screening", card.GetProperty("source").GetProperty("label").GetString());
            Assert.False(string.IsNullOrWhiteSpace(card.GetProperty("detail").GetString()));
            var reasons = card.GetProperty("overrideReasons").EnumerateArray().ToList();
            Assert.Equal(ReasonCodes, reasons.Select(r => r.GetProperty("code").GetString()));
            Assert.All(reasons, r => Assert.Equal(ReasonSystem, r.GetProperty("system").GetString()));
            Assert.All(reasons, r => Assert.False(string.IsNullOrWhiteSpace(r.GetProperty("display").GetString())));
        }
    }

    [Fact]
    public async Task PatientView_NoIdentifierOfTheMrnSystem_HasNoCards_AndWithoutPrefetchIs412()
    {
        await using var app = await StartAsync();

        var (status, body) = await CallAsync(app, "CdsPatientView", Token(BaseUrl + "/lcnec-alk-screening"), HookRequest(SampleBatches.Mrns[0], system: "urn:other"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(body.GetProperty("cards").EnumerateArray());

        var noPrefetch = Encoding.UTF8.GetBytes("""{"hook":"patient-view","hookInstance":"h1","context":{"userId":"Practitioner/1","patientId":"p1"}}""");
        (status, _) = await CallAsync(app, "CdsPatientView", Token(BaseUrl + "/lcnec-alk-screening"), noPrefetch);
        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
    }

    [Fact]
    public async Task Feedback_OverriddenWithASignedToken_IsRecordedAsAResponseLineTheArchiveReaderAccepts()
    {
        await using var app = await StartAsync();
        var card = await FirstCardAsync(app);
        var at = new DateTimeOffset(2026, 12, 5, 23, 30, 0, TimeSpan.FromHours(-5)); // 2026-12-06 in UTC

        var (status, body) = await CallAsync(app, "CdsFeedback", Token(FeedbackUrl), FeedbackRequest(card, "notCandidate-hospice", at));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body.GetProperty("recorded").GetInt32());
        var name = Assert.Single(await ResponseBlobsAsync(app));
        Assert.StartsWith("responses/2026-12-06/cds-", name, StringComparison.Ordinal);
        var responses = new List<AlertResponded>();
        var rejections = new List<Rejection>();
        using (var content = new MemoryStream(await app.Harness.DownloadAsync(app.Harness.Exports, name)))
        {
            Assert.Equal((1, 1), ResponseLines.Read(content, name, new DateOnly(2026, 12, 6), responses.Add, rejections.Add));
        }
        Assert.Empty(rejections);
        var response = Assert.Single(responses);
        Assert.Equal((card, ResponseKind.NotCandidate, NotCandidateReason.Hospice, SampleBatches.Mrns[0], "cds-hooks", new DateOnly(2026, 12, 6)),
            (response.AlertId, response.Kind, response.Reason, response.Mrn, response.Channel, response.RespondedOn));

        // The same feedback again (a new token) is the same response: same blob, nothing added.
        (status, _) = await CallAsync(app, "CdsFeedback", Token(FeedbackUrl), FeedbackRequest(card, "notCandidate-hospice", at));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([name], await ResponseBlobsAsync(app));
    }

    [Fact]
    public async Task Feedback_AcceptedAndSnoozed_RecordAcknowledgedAndASnoozeOf30Days()
    {
        await using var app = await StartAsync();
        var card = await FirstCardAsync(app);
        var day = new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
        var accepted = Encoding.UTF8.GetBytes($$"""{"feedback":[{"card":"{{card}}","outcome":"accepted","outcomeTimestamp":"{{day:O}}"}]}""");

        Assert.Equal(HttpStatusCode.OK, (await CallAsync(app, "CdsFeedback", Token(FeedbackUrl), accepted)).Status);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(app, "CdsFeedback", Token(FeedbackUrl), FeedbackRequest(card, "snoozed-30d", day.AddMinutes(1)))).Status);

        var responses = await ReadResponsesAsync(app);
        Assert.Equal(2, responses.Count);
        Assert.Contains(responses, r => r.Kind == ResponseKind.Acknowledged && r.AlertId == card);
        Assert.Contains(responses, r => r.Kind == ResponseKind.Snoozed && r.Until == new DateOnly(2027, 1, 5));
    }

    [Fact]
    public async Task Feedback_AboutACardNeverServed_RecordsNothing_AndABadReasonIs400()
    {
        await using var app = await StartAsync();
        var card = await FirstCardAsync(app);
        var at = new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

        var (status, body) = await CallAsync(app, "CdsFeedback", Token(FeedbackUrl), FeedbackRequest(new string('a', 32), "declined", at));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((0, 1), (body.GetProperty("recorded").GetInt32(), body.GetProperty("unknownCards").GetInt32()));

        (status, _) = await CallAsync(app, "CdsFeedback", Token(FeedbackUrl), FeedbackRequest(card, "declined", at, system: "urn:someone-else"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Empty(await ResponseBlobsAsync(app));
    }

    [Theory]
    [InlineData("none", "no bearer token")]
    [InlineData("unsigned", "bad signature")]
    [InlineData("expired", "token expired or not yet valid")]
    [InlineData("wrongIssuer", "untrusted issuer")]
    [InlineData("wrongAudience", "wrong audience")]
    [InlineData("otherKey", "bad signature")]
    [InlineData("noJti", "no jti")]
    [InlineData("notAJwt", "malformed token")]
    public async Task Feedback_WithABadToken_Is401_RecordsNothing_AndTheBodyHasNoPatientData(string bad, string reason)
    {
        await using var app = await StartAsync();
        var card = await FirstCardAsync(app);
        using var otherKey = RSA.Create(2048);
        var now = DateTimeOffset.UtcNow;
        var token = bad switch
        {
            "none" => null,
            "unsigned" => new JsonWebTokenHandler().CreateToken(Descriptor(FeedbackUrl, signed: false)),
            "expired" => Token(FeedbackUrl, d => (d.IssuedAt, d.NotBefore, d.Expires) = (now.AddMinutes(-10).UtcDateTime, now.AddMinutes(-10).UtcDateTime, now.AddMinutes(-5).UtcDateTime)),
            "wrongIssuer" => Token(FeedbackUrl, d => d.Issuer = "https://not-the-ehr.example.org"),
            "wrongAudience" => Token(FeedbackUrl, d => d.Audience = "https://lcnec.example.org/api/cds-services/another-service"),
            "otherKey" => Token(FeedbackUrl, d => d.SigningCredentials = new SigningCredentials(new RsaSecurityKey(otherKey) { KeyId = "ehr-1" }, SecurityAlgorithms.RsaSha384)),
            "noJti" => Token(FeedbackUrl, d => d.Claims.Remove("jti")),
            _ => "not.a.jwt",
        };

        var (status, text) = await CallRawAsync(app, "CdsFeedback", token, FeedbackRequest(card, "declined", now));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Empty(await ResponseBlobsAsync(app));
        Assert.All(SampleBatches.Mrns, mrn => Assert.DoesNotContain(mrn, text, StringComparison.Ordinal));
        Assert.DoesNotContain(card, text, StringComparison.Ordinal);
        Assert.Equal(("unauthorized", reason), (JsonDocument.Parse(text).RootElement.GetProperty("error").GetString(), JsonDocument.Parse(text).RootElement.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Feedback_ReplayedToken_IsRefusedTheSecondTime_AndRecordsNothingMore()
    {
        await using var app = await StartAsync();
        var card = await FirstCardAsync(app);
        var token = Token(FeedbackUrl);
        var at = new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal(HttpStatusCode.OK, (await CallAsync(app, "CdsFeedback", token, FeedbackRequest(card, "declined", at))).Status);
        var (status, text) = await CallRawAsync(app, "CdsFeedback", token, FeedbackRequest(card, "disagree-notLcnec", at.AddMinutes(1)));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("replayed jti", JsonDocument.Parse(text).RootElement.GetProperty("reason").GetString());
        Assert.Single(await ResponseBlobsAsync(app));
        Assert.All(SampleBatches.Mrns, mrn => Assert.DoesNotContain(mrn, text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PatientView_TokenForTheFeedbackEndpoint_IsTheWrongAudience()
    {
        await using var app = await StartAsync();

        var (status, text) = await CallRawAsync(app, "CdsPatientView", Token(FeedbackUrl), HookRequest(SampleBatches.Mrns[0]));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("wrong audience", JsonDocument.Parse(text).RootElement.GetProperty("reason").GetString());
        Assert.DoesNotContain(SampleBatches.Mrns[0], text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*bold* _x_", @"\*bold\* \_x\_")]
    [InlineData("[link](http://x) #h <b>", @"\[link\]\(http\://x\) \#h \<b\>")]
    [InlineData("line one\n# heading", @"line one \# heading")]
    public void Markdown_ReportText_IsEscapedToLiteralCharacters(string text, string expected) =>
        Assert.Equal(expected, CdsHooksService.Markdown(text));

    private sealed class App(LabExportHarness harness, CdsServices functions, string table) : IAsyncDisposable
    {
        public LabExportHarness Harness => harness;

        public CdsServices Functions => functions;

        public async ValueTask DisposeAsync()
        {
            await harness.Tables.DeleteTableAsync(table, CancellationToken.None);
            await harness.DisposeAsync();
        }
    }

    private async Task<App> StartAsync(bool withAlerts = true, bool blankIssuerSlot = false)
    {
        var jwks = JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new { kty = "RSA", kid = "ehr-1", use = "sig", alg = "RS384", n = Base64UrlEncoder.Encode(_ehrKey.ExportParameters(false).Modulus), e = Base64UrlEncoder.Encode(_ehrKey.ExportParameters(false).Exponent) },
            },
        });
        var harness = new LabExportHarness(azurite, configure: services => services.PostConfigure<CdsHooksOptions>(o =>
        {
            o.BaseUrl = BaseUrl;
            o.MrnIdentifierSystem = MrnSystem;
            o.OverrideReasonSystem = ReasonSystem;
            o.Table = _table;
            o.Issuers.Add(new TrustedIssuer { Issuer = Issuer, JwksJson = jwks });
            if (blankIssuerSlot)
            {
                // As the deployment's app settings give it before an EHR is configured (CdsHooks__Issuers__0__* empty).
                o.Issuers.Add(new TrustedIssuer());
            }
        }));
        if (withAlerts)
        {
            using var archive = new TempFolder();
            SampleBatches.First().WriteTo(archive.Path);
            await harness.DeliverAllAsync(await harness.UploadAsync(archive.Path));
        }
        else
        {
            await harness.Exports.CreateIfNotExistsAsync(cancellationToken: harness.Token);
        }
        return new App(harness, ActivatorUtilities.CreateInstance<CdsServices>(harness.Services), _table);
    }

    private static async Task<List<string>> OpenAlertIdsAsync(App app, string mrn)
    {
        var alerts = await app.Harness.State.AlertsAsync(app.Harness.Pseudonym.Of(mrn), app.Harness.Token);
        return [.. alerts.Records.Where(r => r.IsOpen).Select(r => r.Last.AlertId)];
    }

    /// <summary>Opens the chart of the first sample patient and returns its first card's uuid.</summary>
    private async Task<string> FirstCardAsync(App app)
    {
        var (status, body) = await CallAsync(app, "CdsPatientView", Token(BaseUrl + "/lcnec-alk-screening"), HookRequest(SampleBatches.Mrns[0]));
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("cards").EnumerateArray().First().GetProperty("uuid").GetString()!;
    }

    private static async Task<List<string>> ResponseBlobsAsync(App app)
    {
        var names = new List<string>();
        await foreach (var blob in app.Harness.Exports.GetBlobsAsync(BlobsModels.BlobTraits.None, BlobsModels.BlobStates.None, "responses/", app.Harness.Token))
        {
            names.Add(blob.Name);
        }
        return names;
    }

    private static async Task<List<AlertResponded>> ReadResponsesAsync(App app)
    {
        var responses = new List<AlertResponded>();
        foreach (var name in await ResponseBlobsAsync(app))
        {
            var day = DateOnly.ParseExact(name.Split('/')[1], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            using var content = new MemoryStream(await app.Harness.DownloadAsync(app.Harness.Exports, name));
            ResponseLines.Read(content, name, day, responses.Add, r => Assert.Fail($"rejected: {r.Reason}"));
        }
        return responses;
    }

    private static byte[] HookRequest(string mrn, string system = MrnSystem) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        hook = "patient-view",
        hookInstance = "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        context = new { userId = "Practitioner/example", patientId = "pat-1" },
        prefetch = new { patient = new { resourceType = "Patient", id = "pat-1", identifier = new[] { new { system, value = mrn } } } },
    }));

    private static byte[] FeedbackRequest(string card, string code, DateTimeOffset at, string system = ReasonSystem) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        feedback = new[]
        {
            new
            {
                card,
                outcome = "overridden",
                overrideReason = new { reason = new { code, system, display = "as shown" }, userComment = "free text the service does not keep" },
                outcomeTimestamp = at.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            },
        },
    }));

    private SecurityTokenDescriptor Descriptor(string audience, bool signed = true) => new()
    {
        Issuer = Issuer,
        Audience = audience,
        IssuedAt = DateTime.UtcNow,
        NotBefore = DateTime.UtcNow,
        Expires = DateTime.UtcNow.AddMinutes(5),
        Claims = new Dictionary<string, object> { ["jti"] = Guid.NewGuid().ToString(), ["sub"] = "ehr-client" },
        SigningCredentials = signed ? new SigningCredentials(new RsaSecurityKey(_ehrKey) { KeyId = "ehr-1" }, SecurityAlgorithms.RsaSha384) : null,
    };

    private string Token(string audience, Action<SecurityTokenDescriptor>? change = null)
    {
        var descriptor = Descriptor(audience);
        change?.Invoke(descriptor);
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> CallAsync(App app, string function, string? token, byte[]? body = null)
    {
        var (status, text) = await CallRawAsync(app, function, token, body);
        return (status, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static async Task<(HttpStatusCode Status, string Text)> CallRawAsync(App app, string function, string? token, byte[]? body = null)
    {
        var url = function switch
        {
            "CdsDiscovery" => BaseUrl,
            "CdsPatientView" => BaseUrl + "/lcnec-alk-screening",
            _ => FeedbackUrl,
        };
        var request = new FakeHttpRequest(url, function == "CdsDiscovery" ? "GET" : "POST", body);
        if (token is not null)
        {
            request.Headers.Add("Authorization", $"Bearer {token}");
        }
        HttpResponseData response = function switch
        {
            "CdsDiscovery" => await app.Functions.Discovery(request, app.Harness.Token),
            "CdsPatientView" => await app.Functions.PatientViewService(request, app.Harness.Token),
            _ => await app.Functions.FeedbackService(request, app.Harness.Token),
        };
        Assert.Contains(response.Headers, h => h.Key == "Content-Type" && h.Value.Single().StartsWith("application/json", StringComparison.Ordinal));
        response.Body.Position = 0;
        using var reader = new StreamReader(response.Body);
        return (response.StatusCode, await reader.ReadToEndAsync());
    }
}
