using System.Net;
using LcnecBatch.Azure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace LcnecBatch.Functions;

/// <summary><c>GET /api/health</c>, anonymous: 200 when storage, tables and Service Bus answer, else 503; the body says which, never how to connect.</summary>
public sealed class Health(HealthProbe probe)
{
    [Function(nameof(Health))]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var report = await probe.CheckAsync(cancellationToken);
        var response = request.CreateResponse(report.Healthy ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        await response.Body.WriteAsync(report.ToUtf8Json(), cancellationToken);
        return response;
    }
}
