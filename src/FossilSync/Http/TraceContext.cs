using System.Diagnostics;

namespace FossilSync.Http;

/// <summary>
/// Puts the current span (a client round) into the request's W3C <c>traceparent</c>, so the
/// server's request span is its child in one trace. HttpClient would add a header too, but
/// naming a span of its own that is recorded only when the host listens to HttpClient: the
/// server's span then hung from a parent nobody exported. HttpClient leaves a header already set.
/// </summary>
internal static class TraceContext
{
    public static void Inject(HttpRequestMessage message)
    {
        if (Activity.Current is not { IdFormat: ActivityIdFormat.W3C, Id: { } id } current) return;
        message.Headers.TryAddWithoutValidation("traceparent", id);
        if (current.TraceStateString is { } state) message.Headers.TryAddWithoutValidation("tracestate", state);
    }
}
