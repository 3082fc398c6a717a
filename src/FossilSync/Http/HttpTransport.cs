using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using FossilSync.Primitives;
using FossilSync.Sync;
using FossilSync.Xfer;

namespace FossilSync.Http;

/// <summary>
/// Speaks Fossil's sync protocol over HTTP as the stock client does: one POST per round to the
/// repository URL (nothing appended), body compressed as <c>application/x-fossil</c>, redirects
/// followed by re-sending the same body, and the reply framed by its Content-Type.
/// </summary>
/// <remarks>
/// Give it an <see cref="HttpClient"/> (e.g. from <c>IHttpClientFactory</c>) whose handler does
/// not follow redirects itself: HTTP clients turn a redirected POST into a GET, which fossil
/// never does. Without one, the transport makes a suitable client of its own.
/// </remarks>
public sealed partial class HttpTransport : ITransport, IDisposable
{
    private const int MaxRedirects = 20;
    private readonly HttpClient _client;
    private readonly bool _ownsClient;
    private readonly XferLimits _limits;
    private Uri _endpoint;

    /// <summary>Creates a transport for <paramref name="endpoint"/> (use <see cref="FossilUrl.Parse"/> to strip credentials).</summary>
    public HttpTransport(Uri endpoint, HttpClient? client = null, XferLimits? limits = null)
    {
        _endpoint = endpoint;
        _limits = limits ?? XferLimits.Default;
        if (client is null)
        {
            _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None });
            _ownsClient = true;
        }
        else
        {
            _client = client;
        }
    }

    /// <summary>Where the next round goes (updated when the server redirects).</summary>
    public Uri Endpoint => _endpoint;

    /// <summary>Credentials sent as HTTP Basic authentication (stock's <c>--httpauth</c>); null for none.</summary>
    public NetworkCredential? BasicAuthentication { get; init; }

    /// <inheritdoc/>
    public async Task<XferMessage> ExchangeAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        // Stock's client compresses at the highest level.
        byte[] body = BlobCompression.Compress(request.Span, System.IO.Compression.CompressionLevel.SmallestSize);
        for (int hop = 0; ; hop++)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(body) };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-fossil");
            if (BasicAuthentication is { } auth)
            {
                string token = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{auth.UserName}:{auth.Password}"));
                message.Headers.Authorization = new AuthenticationHeaderValue("Basic", token);
            }
            HttpResponseMessage response;
            try
            {
                response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new TransportException($"cannot reach {_endpoint}: {ex.Message}", ex);
            }
            using (response)
            {
                if (IsRedirect(response.StatusCode))
                {
                    if (hop >= MaxRedirects) throw new TransportException($"more than {MaxRedirects} redirects from {_endpoint}.");
                    _endpoint = RedirectTarget(response);
                    continue;
                }
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new TransportException($"server says: {(int)response.StatusCode} {response.ReasonPhrase}");
                }
                return await ReadReplyAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsClient) _client.Dispose();
    }

    private async Task<XferMessage> ReadReplyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string contentType = response.Content.Headers.ContentType?.MediaType ?? "";
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        if (contentType is "application/x-fossil-uncompressed" or "application/x-fossil-debug")
        {
            return await XferMessage.ReadAsync(stream, compressed: false, _limits, cancellationToken).ConfigureAwait(false);
        }
        if (contentType.StartsWith("application/x-fossil", StringComparison.Ordinal))
        {
            return await XferMessage.ReadAsync(stream, compressed: true, _limits, cancellationToken).ConfigureAwait(false);
        }
        // An HTML page (a login form, a proxy error…): show its text, as stock does.
        using var reader = new StreamReader(stream);
        char[] head = new char[2000];
        int read = await reader.ReadBlockAsync(head, cancellationToken).ConfigureAwait(false);
        string text = Whitespace().Replace(Tags().Replace(new string(head, 0, read), " "), " ").Trim();
        throw new TransportException($"server sends error (Content-Type '{contentType}'): {text}");
    }

    private Uri RedirectTarget(HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw new TransportException($"redirect from {_endpoint} without a Location.");
        var target = location.IsAbsoluteUri ? location : new Uri(_endpoint, location);
        // Stock strips a trailing "/xfer" and refuses to leave HTTPS for HTTP.
        if (target.AbsolutePath.EndsWith("/xfer", StringComparison.Ordinal))
        {
            target = new UriBuilder(target) { Path = target.AbsolutePath[..^"/xfer".Length] }.Uri;
        }
        if (_endpoint.Scheme == Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttps)
        {
            throw new TransportException($"refusing a redirect from HTTPS to {target}.");
        }
        return target;
    }

    private static bool IsRedirect(HttpStatusCode code) =>
        code is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
