using Azure.Monitor.OpenTelemetry.Exporter;
using LcnecBatch.Azure;
using LcnecBatch.Azure.Telemetry;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddLcnecBatch(builder.Configuration);
// The pipeline's own meter and spans only: the Azure SDK's spans are left off, since their URLs name blobs and table keys.
var telemetry = builder.Services.AddOpenTelemetry()
    .WithMetrics(metrics => metrics.AddMeter(PipelineMetrics.Name))
    .WithTracing(tracing => tracing.AddSource(PipelineMetrics.Name));
telemetry.UseFunctionsWorkerDefaults();
if (!string.IsNullOrWhiteSpace(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
{
    telemetry.UseAzureMonitorExporter();
}
builder.Build().Run();
