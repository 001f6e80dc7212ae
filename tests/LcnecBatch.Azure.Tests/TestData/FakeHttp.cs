using System.Net;
using System.Security.Claims;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace LcnecBatch.Azure.Tests.TestData;

/// <summary>A request (a GET unless told) as the HTTP trigger hands it over, with just enough of a function context to answer it.</summary>
internal sealed class FakeHttpRequest(string url, string method = "GET", byte[]? body = null) : HttpRequestData(new FakeFunctionContext())
{
    public override Stream Body { get; } = body is null ? Stream.Null : new MemoryStream(body, writable: false);

    public override HttpHeadersCollection Headers { get; } = [];

    public override IReadOnlyCollection<IHttpCookie> Cookies { get; } = [];

    public override Uri Url { get; } = new(url);

    public override IEnumerable<ClaimsIdentity> Identities { get; } = [];

    public override string Method => method;

    public override HttpResponseData CreateResponse() => new FakeHttpResponse(FunctionContext);

    private sealed class FakeHttpResponse(FunctionContext context) : HttpResponseData(context)
    {
        public override HttpStatusCode StatusCode { get; set; }

        public override HttpHeadersCollection Headers { get; set; } = [];

        public override Stream Body { get; set; } = new MemoryStream();

        public override HttpCookies Cookies => throw new NotSupportedException();
    }

    private sealed class FakeFunctionContext : FunctionContext
    {
        public override string InvocationId => "test";

        public override string FunctionId => "Health";

        public override TraceContext TraceContext => throw new NotSupportedException();

        public override BindingContext BindingContext => throw new NotSupportedException();

        public override RetryContext RetryContext => throw new NotSupportedException();

        public override IServiceProvider InstanceServices { get; set; } = null!;

        public override FunctionDefinition FunctionDefinition => throw new NotSupportedException();

        public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

        public override IInvocationFeatures Features => throw new NotSupportedException();
    }
}
