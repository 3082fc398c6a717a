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
/// Every failure on the way (refused or broken connection, a peer silent for longer than
/// <see cref="ReadTimeout"/>, an HTTP error) is a <see cref="TransportException"/>.
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
            // No overall deadline: a large round may take long; ReadTimeout bounds each silence instead.
            _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
            {
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            };
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

    /// <summary>
    /// Longest wait for the next byte from the server, for the reply's headers and for each
    /// read of its body (default 60 s); a peer silent for longer fails the round.
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> waits forever.
    /// </summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <inheritdoc/>
    public async Task<XferMessage> ExchangeAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        // One timer for the whole round, re-armed by every byte that arrives.
        using var silence = new IdleTimeout(ReadTimeout, cancellationToken);
        try
        {
            return await ExchangeOnceAsync(request, silence).ConfigureAwait(false);
        }
        catch (Exception ex) when (silence.Expired && ex is not TransportException)
        {
            // Our idle timer fired: the read it cut short may surface as a cancellation or as an I/O error.
            throw new TransportException($"no data from {_endpoint} for {ReadTimeout.TotalSeconds:0.###} s.", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The deadline of a caller's HttpClient.
            throw new TransportException($"the request to {_endpoint} timed out.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new TransportException($"cannot reach {_endpoint}: {ex.Message}", ex) { StatusCode = (int?)ex.StatusCode };
        }
        catch (IOException ex)
        {
            // The connection broke while the reply was on its way (HttpIOException and socket errors).
            throw new TransportException($"connection to {_endpoint} broke during the reply: {ex.Message}", ex);
        }
    }

    private async Task<XferMessage> ExchangeOnceAsync(ReadOnlyMemory<byte> request, IdleTimeout silence)
    {
        var cancellationToken = silence.Token;
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
            TraceContext.Inject(message);
            silence.Restart();
            using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            silence.Restart();
            if (IsRedirect(response.StatusCode))
            {
                if (hop >= MaxRedirects) throw new TransportException($"more than {MaxRedirects} redirects from {_endpoint}.");
                _endpoint = RedirectTarget(response);
                continue;
            }
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new TransportException($"server says: {(int)response.StatusCode} {response.ReasonPhrase}") { StatusCode = (int)response.StatusCode };
            }
            return await ReadReplyAsync(response, silence).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsClient) _client.Dispose();
    }

    private async Task<XferMessage> ReadReplyAsync(HttpResponseMessage response, IdleTimeout silence)
    {
        var cancellationToken = silence.Token;
        string contentType = response.Content.Headers.ContentType?.MediaType ?? "";
        await using var stream = new IdleWatchedStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), silence);
        if (contentType is "application/x-fossil-uncompressed" or "application/x-fossil-debug")
        {
            return await XferMessage.ReadAsync(stream, compressed: false, _limits, skipComments: true, cancellationToken).ConfigureAwait(false);
        }
        if (contentType.StartsWith("application/x-fossil", StringComparison.Ordinal))
        {
            return await XferMessage.ReadAsync(stream, compressed: true, _limits, skipComments: true, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Fails a round whose peer stays silent too long: re-armed before every wait for the peer.</summary>
    private sealed class IdleTimeout(TimeSpan timeout, CancellationToken caller) : IDisposable
    {
        private readonly CancellationTokenSource _source = CancellationTokenSource.CreateLinkedTokenSource(caller);

        /// <summary>Cancelled by the caller or by the timer.</summary>
        public CancellationToken Token => _source.Token;

        /// <summary>The timer fired (and not the caller).</summary>
        public bool Expired => _source.IsCancellationRequested && !caller.IsCancellationRequested;

        /// <summary>Starts the wait for the peer afresh.</summary>
        public void Restart()
        {
            if (timeout != System.Threading.Timeout.InfiniteTimeSpan && !_source.IsCancellationRequested) _source.CancelAfter(timeout);
        }

        public void Dispose() => _source.Dispose();
    }

    /// <summary>A reply body whose every read re-arms the idle timer and can be cut short by it.</summary>
    private sealed class IdleWatchedStream(Stream inner, IdleTimeout silence) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            silence.Restart();
            using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, silence.Token);
            return await inner.ReadAsync(buffer, both.Token).ConfigureAwait(false);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }
}
