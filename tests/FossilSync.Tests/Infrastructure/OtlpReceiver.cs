using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace FossilSync.Tests.Infrastructure;

/// <summary>
/// A minimal OTLP/HTTP receiver: accepts <c>POST /v1/traces</c> and <c>/v1/metrics</c>, keeps each
/// body, and reads the spans out of the traces (just enough protobuf for trace id, span id,
/// parent and name, and the resource's <c>service.name</c>).
/// </summary>
public sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public OtlpReceiver()
    {
        Port = StockServer.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<ExportedSpan> Spans { get; } = new();

    public ConcurrentQueue<string> Paths { get; } = new();

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            string path = context.Request.Url!.AbsolutePath;
            Paths.Enqueue(path);
            if (path == "/v1/traces")
            {
                foreach (var span in ReadSpans(body.ToArray())) Spans.Enqueue(span);
            }
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    // ExportTraceServiceRequest: 1 resource_spans { 1 resource { 1 attributes KeyValue }, 2 scope_spans { 2 spans Span } }.
    private static IEnumerable<ExportedSpan> ReadSpans(byte[] request)
    {
        foreach (var (field, resourceSpans) in Fields(request))
        {
            if (field != 1) continue;
            string? service = null;
            var spans = new List<ExportedSpan>();
            foreach (var (rf, rv) in Fields(resourceSpans))
            {
                if (rf == 1) service = ServiceName(rv) ?? service;
                if (rf != 2) continue;
                foreach (var (sf, sv) in Fields(rv))
                {
                    if (sf == 2) spans.Add(ReadSpan(sv));
                }
            }
            foreach (var span in spans) yield return span with { Service = service };
        }
    }

    private static ExportedSpan ReadSpan(byte[] span)
    {
        string trace = "", id = "", parent = "", name = "";
        foreach (var (f, v) in Fields(span))
        {
            switch (f)
            {
                case 1: trace = Convert.ToHexStringLower(v); break;
                case 2: id = Convert.ToHexStringLower(v); break;
                case 4: parent = Convert.ToHexStringLower(v); break;
                case 5: name = Encoding.UTF8.GetString(v); break;
            }
        }
        return new ExportedSpan(trace, id, parent, name, null);
    }

    private static string? ServiceName(byte[] resource)
    {
        foreach (var (f, keyValue) in Fields(resource))
        {
            if (f != 1) continue;
            var parts = Fields(keyValue).ToList();
            if (parts.FirstOrDefault(p => p.Field == 1).Value is { } key && Encoding.UTF8.GetString(key) == "service.name"
                && parts.FirstOrDefault(p => p.Field == 2).Value is { } anyValue)
            {
                return Fields(anyValue).Where(p => p.Field == 1).Select(p => Encoding.UTF8.GetString(p.Value)).FirstOrDefault();
            }
        }
        return null;
    }

    // The length-delimited fields of a message (numbers and fixed-width fields are skipped).
    private static IEnumerable<(int Field, byte[] Value)> Fields(byte[] message)
    {
        int at = 0;
        while (at < message.Length)
        {
            ulong tag = Varint(message, ref at);
            int field = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0: Varint(message, ref at); break;
                case 1: at += 8; break;
                case 5: at += 4; break;
                case 2:
                    int length = (int)Varint(message, ref at);
                    yield return (field, message[at..(at + length)]);
                    at += length;
                    break;
                default: throw new InvalidDataException($"wire type {tag & 7} at {at}");
            }
        }
    }

    private static ulong Varint(byte[] data, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = data[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
    }
}

/// <summary>One span as an OTLP exporter sent it.</summary>
public sealed record ExportedSpan(string TraceId, string SpanId, string ParentSpanId, string Name, string? Service);
