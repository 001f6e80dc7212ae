using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using LcnecBatch.Azure.CdsHooks;
using LcnecBatch.Azure.Tests.TestData;
using LcnecBatch.Core.Alerts;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;
using LcnecBatch.Core.Pipeline;
using LcnecBatch.Core.Screening;
using LcnecBatch.Functions;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using BlobsModels = global::Azure.Storage.Blobs.Models;

namespace LcnecBatch.Azure.Tests;

/// <summary>
/// <c>POST /api/alerts/{alertId}/responses</c> (cds-hooks.md "Inbox responses") through its function, on Azurite: the
/// Easy Auth principal and app role, the body checked by the archive's reader, the line written by the one response
/// writer, then ingested and applied by the next walk like any response blob.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class InboxResponsesTests(AzuriteFixture azurite)
{
    private const string Role = "Alerts.Respond";
    private const string ObjectId = "8c0f3c52-7d1e-4c4b-9a35-2f7f6c1d9e01";
    private const string Rule = "ALK_TEST_MISSING";
    private const string Lcnec = "Lung, right upper lobe, core biopsy:\n- Large cell neuroendocrine carcinoma.";
    private const string Reminded = "QX740001";
    private const string Answered = "QX740002";
    private static readonly DateOnly Day0 = new(2027, 1, 4);

    private static DateOnly Day(int n) => Day0.AddDays(n);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static readonly string ReminderAlert = Alert.IdentityOf(Rule, Reminded, "S27-00401");
    private static readonly string AnsweredAlert = Alert.IdentityOf(Rule, Answered, "S27-00402");

    [Fact]
    public async Task Post_WithoutAPrincipal_Is401_AndRecordsNothing()
    {
        await using var app = await StartAsync();

        var (status, text) = await app.PostAsync(AnsweredAlert, Declined(), principal: null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("unauthorized", Json(text).GetProperty("error").GetString());
        Assert.Empty(await app.ResponseBlobsAsync());
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("bm90IGpzb24=")] // "not json"
    [InlineData("eyJhdXRoX3R5cCI6ImFhZCJ9")] // {"auth_typ":"aad"}: no claims
    [InlineData("eyJjbGFpbXMiOltdfQ==")] // {"claims":[]}: no auth_typ
    [InlineData("eyJhdXRoX3R5cCI6ImFhZCIsImNsYWltcyI6W3sidHlwIjoicm9sZXMifV19")] // a claim without val
    public async Task Post_MalformedPrincipalHeader_Is401_AndRecordsNothing(string header)
    {
        await using var app = await StartAsync();

        var (status, _) = await app.PostAsync(AnsweredAlert, Declined(), header);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Empty(await app.ResponseBlobsAsync());
    }

    [Fact]
    public async Task Post_PrincipalWithoutTheAppRole_Is403_AndRecordsNothing()
    {
        await using var app = await StartAsync();

        var (status, text) = await app.PostAsync(AnsweredAlert, Declined(), Principal("Alerts.Read"));
        var (noRoles, _) = await app.PostAsync(AnsweredAlert, Declined(), Principal());

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(HttpStatusCode.Forbidden, noRoles);
        Assert.Equal("forbidden", Json(text).GetProperty("error").GetString());
        Assert.Empty(await app.ResponseBlobsAsync());
    }

    [Fact]
    public async Task Post_RoleUnderThePrincipalsRoleType_IsAccepted()
    {
        await using var app = await StartAsync();
        var header = Base64(new
        {
            auth_typ = "aad",
            name_typ = "name",
            role_typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
            claims = new[] { new { typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role", val = Role } },
        });

        var (status, _) = await app.PostAsync(AnsweredAlert, Declined(), header);

        Assert.Equal(HttpStatusCode.Created, status);
    }

    [Fact]
    public async Task Post_ForgedPrincipalWhileEasyAuthIsOff_Is401_AndRecordsNothing()
    {
        Assert.False(InboxResponses.PlatformAuthenticationEnabled); // this test process is not an App Service with Easy Auth
        await using var app = await StartAsync(trustHeader: false);

        var (status, text) = await app.PostAsync(AnsweredAlert, Declined(), Principal(Role));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("unauthorized", Json(text).GetProperty("error").GetString());
        Assert.Empty(await app.ResponseBlobsAsync());
    }

    [Fact]
    public async Task Post_UnknownOrMalformedAlertId_Is404_WithTheSameBody_AndRecordsNothing()
    {
        await using var app = await StartAsync();

        var unknown = await app.PostAsync(Alert.IdentityOf(Rule, "QX749999", "S27-09999"), Declined(), Principal(Role));
        var malformed = await app.PostAsync("not-an-alert-id", Declined(), Principal(Role));

        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(unknown, malformed); // no hint whether anything, or any patient, is behind the id
        Assert.Empty(await app.ResponseBlobsAsync());
    }

    [Fact]
    public async Task Post_BadBodies_Are400_NamingTheField_WithoutPatientData_AndRecordNothing()
    {
        await using var app = await StartAsync();
        (string Body, string? Field)[] cases =
        [
            ("not json", null),
            ("[]", null),
            ("{}", "kind"),
            ("""{"kind":"Declined"}""", "kind"),
            ("""{"kind":"notCandidate"}""", "reason"),
            ("""{"kind":"notCandidate","reason":"bored"}""", "reason"),
            ("""{"kind":"snoozed"}""", "until"),
            ($$$"""{"kind":"snoozed","respondedOn":"{{{Iso(Day(39))}}}","until":"{{{Iso(Day(38))}}}"}""", "until"),
            ("""{"kind":"disagree"}""", "disagreement"),
            ($$$"""{"kind":"declined","respondedOn":"{{{Iso(Day(41))}}}"}""", "respondedOn"),
            ("""{"kind":"declined","respondedOn":"2027-02-30"}""", "respondedOn"),
            ($$$"""{"kind":"declined","respondedOn":"{{{Iso(Day(-1))}}}"}""", "respondedOn"),
            ("""{"kind":"testedElsewhere"}""", "outsideTest"),
            ($$$"""{"kind":"testedElsewhere","outsideTest":{"lab":"Outside lab","date":"{{{Iso(Day(20))}}}","method":"ish","result":"negative"}}""", "outsideTest.method"),
            ($$$"""{"kind":"testedElsewhere","outsideTest":{"lab":"Outside lab","date":"{{{Iso(Day(45))}}}","method":"ihc","result":"negative"}}""", "outsideTest.date"),
            ($$$"""{"kind":"testedElsewhere","outsideTest":{"date":"{{{Iso(Day(20))}}}","method":"ihc","result":"negative"}}""", "outsideTest.lab"),
            ($$$"""{"kind":"declined","mrn":"{{{Reminded}}}"}""", "mrn"),
            ("""{"kind":"declined","by":"Dr Someone"}""", "by"),
            ("""{"kind":"declined","channel":"cds-hooks"}""", "channel"),
            ("""{"kind":"declined","responseId":"has spaces"}""", "responseId"),
            ("""{"kind":"declined","QX740002":"x"}""", null),
            ("""{"kind":"declined","respondedOn":20270210}""", "respondedOn"),
        ];

        foreach (var (body, field) in cases)
        {
            var (status, text) = await app.PostAsync(AnsweredAlert, Encoding.UTF8.GetBytes(body), Principal(Role));

            Assert.True(status == HttpStatusCode.BadRequest, $"{body}: {status}");
            var error = Json(text);
            Assert.Equal("invalidResponse", error.GetProperty("error").GetString());
            Assert.Equal(field, error.TryGetProperty("field", out var f) ? f.GetString() : null);
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("reason").GetString()));
            Assert.DoesNotContain(Answered, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Reminded, text, StringComparison.Ordinal);
        }
        Assert.Empty(await app.ResponseBlobsAsync());
    }

    [Fact]
    public async Task Post_TestedElsewhere_IsALineTheArchiveReaderAccepts_WithTheAlertsMrn_TheCallersId_AndTheInboxChannel()
    {
        await using var app = await StartAsync();
        var body = $$$"""{"responseId":"msg-0042","kind":"testedElsewhere","respondedOn":"{{{Iso(Day(39))}}}","outsideTest":{"lab":"Outside molecular lab","date":"{{{Iso(Day(20))}}}","method":"ihc","result":"negative"}}""";

        var (status, text) = await app.PostAsync(AnsweredAlert, Encoding.UTF8.GetBytes(body), Principal(Role));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(("inbox:msg-0042", "recorded"), (Json(text).GetProperty("responseId").GetString(), Json(text).GetProperty("status").GetString()));
        var name = Assert.Single(await app.ResponseBlobsAsync());
        Assert.StartsWith($"responses/{Iso(Day(40))}/inbox-", name, StringComparison.Ordinal);
        var response = Assert.Single(await app.ReadResponsesAsync());
        Assert.Equal(("inbox:msg-0042", Answered, AnsweredAlert, Day(39), ResponseKind.TestedElsewhere, $"entra-oid:{ObjectId}", "inbox"),
            (response.ResponseId, response.Mrn, response.AlertId, response.RespondedOn, response.Kind, response.By, response.Channel));
        Assert.Equal(new OutsideTest("Outside molecular lab", Day(20), OutsideTestMethod.Ihc, OutsideTestResult.Negative), response.OutsideTest);
        Assert.DoesNotContain("Dr Example", Encoding.UTF8.GetString(await app.Harness.DownloadAsync(app.Harness.Exports, name)), StringComparison.Ordinal); // a name is never kept
    }

    [Fact]
    public async Task Post_SameResponseIdTwice_EvenOnALaterDay_IsRecordedOnce()
    {
        await using var app = await StartAsync();
        var body = Encoding.UTF8.GetBytes("""{"responseId":"msg-0043","kind":"declined"}""");

        var first = await app.PostAsync(AnsweredAlert, body, Principal(Role));
        var again = await app.PostAsync(AnsweredAlert, body, Principal(Role));
        var header = await app.PostAsync(AnsweredAlert, Declined(), Principal(Role), idempotencyKey: "msg-0043");
        var nextDay = await app.PostAsync(AnsweredAlert, body, Principal(Role), today: Day(41));

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.All(new[] { again, header, nextDay }, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.All(new[] { first, again, header, nextDay }, r => Assert.Equal("inbox:msg-0043", Json(r.Text).GetProperty("responseId").GetString()));
        Assert.Equal("alreadyRecorded", Json(nextDay.Text).GetProperty("status").GetString());
        Assert.Single(await app.ResponseBlobsAsync());
    }

    [Fact]
    public async Task Post_WithoutAResponseId_DerivesTheSameIdForTheSameAnswer_AndAnotherForAnother()
    {
        await using var app = await StartAsync();

        var first = await app.PostAsync(AnsweredAlert, Declined(), Principal(Role));
        var again = await app.PostAsync(AnsweredAlert, Declined(), Principal(Role));
        var other = await app.PostAsync(AnsweredAlert, Encoding.UTF8.GetBytes("""{"kind":"acknowledged"}"""), Principal(Role));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Created), (first.Status, again.Status, other.Status));
        var id = Json(first.Text).GetProperty("responseId").GetString()!;
        Assert.Matches("^inbox:[0-9a-f]{32}$", id);
        Assert.Equal(id, Json(again.Text).GetProperty("responseId").GetString());
        Assert.NotEqual(id, Json(other.Text).GetProperty("responseId").GetString());
        Assert.Equal(2, (await app.ResponseBlobsAsync()).Count);
    }

    /// <summary>
    /// The care team of one patient answers "declined" through the inbox on day 40; the blob is ingested and the next
    /// batch's walk closes her alert (the broker gets <c>:closed</c>, then nothing more for her), while the unanswered
    /// alert is reminded and escalated. A replay of the archive with the blob in it gives the same messages.
    /// </summary>
    [Fact]
    public async Task Post_Declined_IsIngestedAndClosesTheAlertAtTheBroker_AsTheReplay()
    {
        using var archive = new TempFolder();
        WriteBatches(archive.Path);
        new BatchBuilder(Day(160)).Patient("QX740098", "F", "1981-01-01", "current").WriteTo(archive.Path);
        using var bus = new LoopbackServiceBus([LabExportHarness.Queue]);
        await using var app = await StartAsync(bus.ConnectionString(), archive.Path, deliverBefore: Day(160));
        var raised = await ReceivedAsync(bus, app.Harness.Token);

        var (status, _) = await app.PostAsync(AnsweredAlert, Declined(), Principal(Role));
        var name = Assert.Single(await app.ResponseBlobsAsync());
        await app.Harness.DeliverAsync(name);
        await app.Harness.DeliverAllAsync(await app.BlobsAsync(Iso(Day(160)) + "/"));
        var rest = await ReceivedAsync(bus, app.Harness.Token);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal([ReminderAlert, AnsweredAlert], raised.Select(m => m.MessageId));
        Assert.Equal(
            [$"{AnsweredAlert}:closed", $"{ReminderAlert}:r1", $"{ReminderAlert}:r2", $"{ReminderAlert}:r3", $"{ReminderAlert}:escalated"],
            rest.Select(m => m.MessageId));
        var closed = JsonDocument.Parse(rest[0].Body.ToMemory()).RootElement;
        Assert.Equal(("closed", "declined", Iso(Day(40))), (closed.GetProperty("event").GetString(), closed.GetProperty("closedReason").GetString(), closed.GetProperty("closedOn").GetString()));
        var recorded = await app.Harness.State.RecordedResponsesAsync(Day(40), app.Harness.Token);
        Assert.Equal([name[$"responses/{Iso(Day(40))}/".Length..]], recorded.Keys);

        // The archive with the inbox's blob in it replays to the same events, id for id.
        var local = Path.Combine(archive.Path, name.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        await File.WriteAllBytesAsync(local, await app.Harness.DownloadAsync(app.Harness.Exports, name));
        var replay = LocalRun.Screen(archive.Path, Day(160), new ScreeningOptions());
        Assert.Equal(AlertMessages.Expected(replay), AlertMessages.Of(raised.Concat(rest)));
    }

    private static void WriteBatches(string archiveRoot)
    {
        new BatchBuilder(Day(0))
            .Patient(Reminded, "F", "1961-05-01", "never").Report("S27-00401", Reminded, Day(0), Lcnec)
            .Patient(Answered, "M", "1955-03-02", "never").Report("S27-00402", Answered, Day(0), Lcnec)
            .WriteTo(archiveRoot);
        new BatchBuilder(Day(30)).Patient("QX740099", "M", "1980-01-01", "never").WriteTo(archiveRoot);
    }

    private static async Task<List<ServiceBusReceivedMessage>> ReceivedAsync(LoopbackServiceBus bus, CancellationToken cancellationToken) =>
        [.. (await AlertMessages.DrainAsync(bus.ConnectionString(), LabExportHarness.Queue, cancellationToken)).OrderBy(m => m.SequenceNumber)];

    private static byte[] Declined() => Encoding.UTF8.GetBytes("""{"kind":"declined"}""");

    /// <summary>An Easy Auth principal header (Entra ID) with these app roles and an object id.</summary>
    private static string Principal(params string[] roles) => Base64(new
    {
        auth_typ = "aad",
        name_typ = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
        role_typ = "roles",
        claims = roles.Select(r => new { typ = "roles", val = r })
            .Append(new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = ObjectId })
            .Append(new { typ = "name", val = "Dr Example Name" }),
    });

    private static string Base64(object principal) => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(principal));

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    /// <summary>A harness with the two patients' batches delivered (all of them, or those before a day), and the inbox on a fixed day.</summary>
    private async Task<App> StartAsync(string? serviceBus = null, string? archiveRoot = null, DateOnly? deliverBefore = null, bool trustHeader = true)
    {
        var table = $"cdshooks{Guid.NewGuid():N}";
        var harness = new LabExportHarness(azurite, serviceBus, configure: services => services.PostConfigure<CdsHooksOptions>(o => o.Table = table));
        using var own = archiveRoot is null ? new TempFolder() : null;
        var root = archiveRoot ?? own!.Path;
        if (archiveRoot is null)
        {
            WriteBatches(root);
        }
        var names = await harness.UploadAsync(root);
        await harness.DeliverAllAsync(names.Where(n => deliverBefore is not { } before || string.CompareOrdinal(n, Iso(before)) < 0));
        return new App(harness, table, new InboxOptions { TrustClientPrincipalHeader = trustHeader });
    }

    private sealed class App(LabExportHarness harness, string table, InboxOptions options) : IAsyncDisposable
    {
        public LabExportHarness Harness => harness;

        /// <summary>Calls the function as the host would, the inbox's clock on <paramref name="today"/> (day 40 unless told).</summary>
        public async Task<(HttpStatusCode Status, string Text)> PostAsync(string alertId, byte[] body, string? principal, string? idempotencyKey = null, DateOnly? today = null)
        {
            var inbox = ActivatorUtilities.CreateInstance<InboxResponses>(harness.Services, Options.Create(options), FixedClock.On(today ?? Day(40)));
            var request = new FakeHttpRequest($"https://lcnec.example.org/api/alerts/{alertId}/responses", "POST", body);
            if (principal is not null)
            {
                request.Headers.Add("X-MS-CLIENT-PRINCIPAL", principal);
            }
            if (idempotencyKey is not null)
            {
                request.Headers.Add("Idempotency-Key", idempotencyKey);
            }
            HttpResponseData response = await new AlertResponses(inbox).Run(request, alertId, harness.Token);
            Assert.Contains(response.Headers, h => h.Key == "Content-Type" && h.Value.Single().StartsWith("application/json", StringComparison.Ordinal));
            response.Body.Position = 0;
            using var reader = new StreamReader(response.Body);
            return (response.StatusCode, await reader.ReadToEndAsync());
        }

        public Task<List<string>> ResponseBlobsAsync() => BlobsAsync("responses/");

        public async Task<List<string>> BlobsAsync(string prefix)
        {
            var names = new List<string>();
            await foreach (var blob in harness.Exports.GetBlobsAsync(BlobsModels.BlobTraits.None, BlobsModels.BlobStates.None, prefix, harness.Token))
            {
                names.Add(blob.Name);
            }
            return names;
        }

        public async Task<List<AlertResponded>> ReadResponsesAsync()
        {
            var responses = new List<AlertResponded>();
            foreach (var name in await ResponseBlobsAsync())
            {
                var day = DateOnly.ParseExact(name.Split('/')[1], "yyyy-MM-dd", CultureInfo.InvariantCulture);
                using var content = new MemoryStream(await harness.DownloadAsync(harness.Exports, name));
                ResponseLines.Read(content, name, day, responses.Add, r => Assert.Fail($"rejected: {r.Column} {r.Reason}"));
            }
            return responses;
        }

        public async ValueTask DisposeAsync()
        {
            await harness.Tables.DeleteTableAsync(table, CancellationToken.None);
            await harness.DisposeAsync();
        }
    }
}
