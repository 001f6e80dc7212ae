using LcnecBatch.Azure.CdsHooks;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace LcnecBatch.Functions;

/// <summary>
/// <c>POST /api/alerts/{alertId}/responses</c>: a care-team response from an inbox integration (cds-hooks.md "Inbox
/// responses"). Anonymous to the host because App Service Authentication (Entra ID) sits in front and forwards the
/// caller as <c>X-MS-CLIENT-PRINCIPAL</c>; <see cref="InboxResponses"/> refuses every call while Easy Auth is off.
/// </summary>
public sealed class AlertResponses(InboxResponses inbox)
{
    [Function("AlertResponses")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "alerts/{alertId}/responses")] HttpRequestData request,
        string alertId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reply = await inbox.RespondAsync(alertId, Header(request, "X-MS-CLIENT-PRINCIPAL"), Header(request, "Idempotency-Key"), request.Body, cancellationToken);
        var response = request.CreateResponse(reply.Status);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        await response.Body.WriteAsync(reply.Json, cancellationToken);
        return response;
    }

    private static string? Header(HttpRequestData request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
