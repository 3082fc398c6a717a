using System.Diagnostics.CodeAnalysis;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Xfer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FossilSync.AspNetCore;

/// <summary>
/// Fossil's sync protocol as an ASP.NET Core endpoint: a thin host over
/// <see cref="SyncHandler.HandleSyncAsync(Repository, SyncRequest, SyncServerOptions?, CancellationToken)"/>.
/// Like stock fossil it answers any POST whose Content-Type starts with
/// <c>application/x-fossil</c>, whatever the path (unless a resolver makes the path pick the
/// repository), and always replies with an explicit Content-Length (stock 2.21 clients cannot
/// read chunked replies).
/// </summary>
/// <remarks>
/// Every refusal reaches the client as an <c>error</c> card it prints (a request over
/// <see cref="SyncServerOptions.MaxRequestBytes"/>, a repository that cannot be opened, an
/// unexpected failure), never as a bare HTTP error status; the one exception is a path a
/// resolver maps to no repository, a 404 as from stock's <c>fossil server DIR</c>.
/// </remarks>
public static class FossilSyncEndpoints
{
    /// <summary>Maps the sync endpoint for one repository at <paramref name="pattern"/> (e.g. <c>/{**path}</c>).</summary>
    /// <remarks>Without a <see cref="SyncServerOptions.Logger"/>, the server logs through the host's logger factory (category <c>FossilSync.Server</c>).</remarks>
    /// <exception cref="RepositoryException"><paramref name="repositoryPath"/> is missing or is not a Fossil repository (checked now, so a bad path fails at start-up).</exception>
    public static IEndpointConventionBuilder MapFossilSync(this IEndpointRouteBuilder endpoints, string pattern, string repositoryPath, SyncServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapPost(pattern, CreateRequestDelegate(repositoryPath, WithHostLogger(endpoints, options)));
    }

    /// <summary>
    /// Maps the sync endpoint for the repositories <paramref name="resolveRepository"/> picks per
    /// request: it returns the repository file's path, or null for a request that names none,
    /// which is answered with 404. <see cref="FossilRepositoryFolder.Resolve"/> is one, serving a
    /// folder as stock <c>fossil server DIR</c> does.
    /// </summary>
    /// <remarks>The resolver runs on every request, before the body is read; the file it names is opened for that request only.</remarks>
    [SuppressMessage("ApiDesign", "RS0026", Justification = OverloadsDifferInKind)]
    public static IEndpointConventionBuilder MapFossilSync(this IEndpointRouteBuilder endpoints, string pattern, Func<HttpContext, string?> resolveRepository, SyncServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapPost(pattern, CreateRequestDelegate(resolveRepository, WithHostLogger(endpoints, options)));
    }

    /// <summary>A plain <see cref="RequestDelegate"/> serving the repository <paramref name="resolveRepository"/> picks per request (null: 404), for custom hosts; each repository keeps one cache of expanded artifacts across requests.</summary>
    [SuppressMessage("ApiDesign", "RS0026", Justification = OverloadsDifferInKind)]
    public static RequestDelegate CreateRequestDelegate(Func<HttpContext, string?> resolveRepository, SyncServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(resolveRepository);
        options ??= new SyncServerOptions();
        // One cache per repository across requests, as for a single repository (or the one the options share).
        var caches = new System.Collections.Concurrent.ConcurrentDictionary<string, ContentCache>(StringComparer.Ordinal);
        var shared = options.ContentCache;
        return context => resolveRepository(context) is { } path
            ? HandleAsync(context, path, shared ?? caches.GetOrAdd(Path.GetFullPath(path), _ => new ContentCache()), options)
            : NotFoundAsync(context);
    }

    // The analyzer guards against a call that would bind to another overload once an optional
    // parameter is added; a path and a resolver are different kinds, so no call can.
    private const string OverloadsDifferInKind = "one overload takes a repository path, the other a resolver: no call binds to both";

    /// <summary>A bare 404, as stock answers a path that names no repository.</summary>
    internal static Task NotFoundAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private static SyncServerOptions WithHostLogger(IEndpointRouteBuilder endpoints, SyncServerOptions? options)
    {
        options ??= new SyncServerOptions();
        return options.Logger is null && endpoints.ServiceProvider.GetService<ILoggerFactory>() is { } loggers ? options with { Logger = loggers.CreateLogger(LogCategory) } : options;
    }

    /// <summary>The log category of the server's events.</summary>
    public const string LogCategory = "FossilSync.Server";

    /// <summary>A plain <see cref="RequestDelegate"/> serving one repository, for custom hosts.</summary>
    /// <remarks>
    /// The repository is opened once here, so a wrong path fails when the host starts instead of
    /// on every request; should the file go away later, each request is answered with an
    /// <c>error</c> card saying so (stock's client prints it), not an HTTP 500. Every request
    /// made through one delegate shares one cache of expanded artifacts
    /// (<see cref="SyncServerOptions.ContentCache"/>, or one of the delegate's own).
    /// </remarks>
    /// <exception cref="RepositoryException"><paramref name="repositoryPath"/> is missing or is not a Fossil repository.</exception>
    public static RequestDelegate CreateRequestDelegate(string repositoryPath, SyncServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(repositoryPath);
        options ??= new SyncServerOptions();
        string path = Path.GetFullPath(repositoryPath);
        Repository.Open(path).Dispose();
        var cache = options.ContentCache ?? new ContentCache();
        return context => HandleAsync(context, path, cache, options);
    }

    private static async Task HandleAsync(HttpContext context, string repositoryPath, ContentCache cache, SyncServerOptions options)
    {
        string contentType = context.Request.ContentType ?? "";
        if (!XferContentType.IsSyncMessage(contentType))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        // Our own limit replaces the host's (Kestrel's 30 MB would answer a stock client's push of
        // a larger file with a bare 413 that it does not report).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit) sizeLimit.MaxRequestBodySize = null;
        // The handler logs its own failures, so it gets the host's logger when the options name none.
        if (options.Logger is null && context.RequestServices?.GetService<ILoggerFactory>() is { } loggers) options = options with { Logger = loggers.CreateLogger(LogCategory) };
        SyncResponse response;
        try
        {
            response = await ReadRequestAsync(context, contentType, options) is { } request
                ? await RespondAsync(request, repositoryPath, cache, options, context.RequestAborted)
                : SyncResponse.Error(contentType, $"request is larger than this server accepts ({options.MaxRequestBytes} bytes)");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug or a failing disk: the client still gets a reply it can print, and the host
            // one log entry (the handler's, or ours for what failed around it).
            if (options.Logger is { } logger && ex is not HandlerFailedException) EndpointLog.RequestFailed(logger, ex, context.Connection.RemoteIpAddress?.ToString());
            response = SyncResponse.Error(contentType, "server error: " + (ex is HandlerFailedException ? ex.InnerException!.Message : ex.Message));
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = response.ContentType;
        context.Response.ContentLength = response.Length;
        context.Response.Headers.CacheControl = "no-cache";
        await response.WriteToAsync(context.Response.Body, context.RequestAborted);
    }

    private static async Task<SyncResponse> RespondAsync(SyncRequest request, string repositoryPath, ContentCache cache, SyncServerOptions options, CancellationToken cancellationToken)
    {
        Repository repository;
        try
        {
            repository = Repository.Open(repositoryPath, new RepositoryOptions { TimeProvider = options.TimeProvider, ContentCache = cache });
        }
        catch (RepositoryException ex)
        {
            return SyncResponse.Error(request.ContentType, ex.Message);
        }
        using (repository)
        {
            try
            {
                return await SyncHandler.HandleSyncAsync(repository, request, options, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && options.Logger is not null)
            {
                // Logged by the handler already.
                throw new HandlerFailedException(ex);
            }
        }
    }

    // The whole body, or null when it is over the limit (then only what was needed to tell is read).
    private static async Task<SyncRequest?> ReadRequestAsync(HttpContext context, string contentType, SyncServerOptions options)
    {
        long limit = options.MaxRequestBytes;
        long? declared = context.Request.ContentLength;
        if (declared > limit) return null;
        var body = new MemoryStream(declared is long known ? (int)known : 64 * 1024);
        byte[] chunk = new byte[64 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (body.Length + read > limit) return null;
            body.Write(chunk, 0, read);
        }
        return new SyncRequest(body.GetBuffer().AsMemory(0, (int)body.Length), contentType)
        {
            RemoteAddress = context.Connection.RemoteIpAddress?.ToString(),
            TraceParent = context.Request.Headers.TraceParent.Count > 0 ? context.Request.Headers.TraceParent.ToString() : null,
            TraceState = context.Request.Headers.TraceState.Count > 0 ? context.Request.Headers.TraceState.ToString() : null,
        };
    }
}
