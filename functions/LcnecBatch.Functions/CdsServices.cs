using System.Net;
using LcnecBatch.Azure.CdsHooks;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace LcnecBatch.Functions;

/// <summary>
/// The CDS Hooks 2.0 service (docs/spec/cds-hooks.md): discovery, the <c>lcnec-alk-screening</c> patient-view
/// service and its feedback. Anonymous to the host: every call carries the EHR's signed JWT, checked by
/// <see cref="CdsHooksAuthenticator"/> before anything is read; a refused call is 401 with no patient data.
/// </summary>
public sealed class CdsServices(CdsHooksAuthenticator authenticator, CdsHooksService service)
{
    private const string PatientView = CdsHooksService.ServiceId;
    private const string Feedback = CdsHooksService.ServiceId + "/feedback";

    [Function("CdsDiscovery")]
    public async Task<HttpResponseData> Discovery(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cds-services")] HttpRequestData request,
        CancellationToken cancellationToken) =>
        await RespondAsync(request, [authenticator.AudienceOf("")], _ => Task.FromResult(new CdsReply(HttpStatusCode.OK, CdsHooksService.Discovery())), cancellationToken);

    [Function("CdsPatientView")]
    public async Task<HttpResponseData> PatientViewService(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cds-services/" + PatientView)] HttpRequestData request,
        CancellationToken cancellationToken) =>
        await RespondAsync(request, [authenticator.AudienceOf(PatientView)], ct => service.PatientViewAsync(request.Body, ct), cancellationToken);

    /// <summary>The feedback endpoint accepts a token for itself or for its service (EHRs differ on which they name).</summary>
    [Function("CdsFeedback")]
    public async Task<HttpResponseData> FeedbackService(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cds-services/" + Feedback)] HttpRequestData request,
        CancellationToken cancellationToken) =>
        await RespondAsync(request, [authenticator.AudienceOf(Feedback), authenticator.AudienceOf(PatientView)], ct => service.FeedbackAsync(request.Body, ct), cancellationToken);

    private async Task<HttpResponseData> RespondAsync(HttpRequestData request, IReadOnlyList<string> audiences, Func<CancellationToken, Task<CdsReply>> handle, CancellationToken cancellationToken)
    {
        var authorization = request.Headers.TryGetValues("Authorization", out var values) ? values.FirstOrDefault() : null;
        var reply = await authenticator.AuthenticateAsync(authorization, audiences, cancellationToken) is { } failure
            ? new CdsReply(HttpStatusCode.Unauthorized, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["error"] = "unauthorized", ["reason"] = failure }))
            : await handle(cancellationToken);
        var response = request.CreateResponse(reply.Status);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        if (reply.Status == HttpStatusCode.Unauthorized)
        {
            response.Headers.Add("WWW-Authenticate", "Bearer");
        }
        await response.Body.WriteAsync(reply.Json, cancellationToken);
        return response;
    }
}
