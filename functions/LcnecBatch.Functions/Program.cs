using LcnecBatch.Azure;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddLcnecBatch(builder.Configuration);
builder.Build().Run();
