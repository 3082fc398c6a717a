using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Xfer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FossilSync.Http;

/// <summary>
/// Fossil's sync protocol as an ASP.NET Core endpoint. Like stock fossil it answers any POST
/// whose Content-Type starts with <c>application/x-fossil</c>, whatever the path, and always
/// replies with an explicit Content-Length (stock 2.21 clients cannot read chunked replies).
/// </summary>
public static class FossilSyncEndpoints
{
    /// <summary>Maps the sync endpoint for one repository at <paramref name="pattern"/> (e.g. <c>/{**path}</c>).</summary>
    public static IEndpointConventionBuilder MapFossilSync(this IEndpointRouteBuilder endpoints, string pattern, string repositoryPath, SyncServerOptions? options = null) =>
        endpoints.MapPost(pattern, CreateRequestDelegate(repositoryPath, options));

    /// <summary>A plain <see cref="RequestDelegate"/> serving one repository, for custom hosts.</summary>
    public static RequestDelegate CreateRequestDelegate(string repositoryPath, SyncServerOptions? options = null)
    {
        options ??= new SyncServerOptions();
        string path = Path.GetFullPath(repositoryPath);
        return context => HandleAsync(context, path, options);
    }

    private static async Task HandleAsync(HttpContext context, string repositoryPath, SyncServerOptions options)
    {
        string contentType = context.Request.ContentType ?? "";
        if (!contentType.StartsWith("application/x-fossil", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        bool plain = contentType.StartsWith("application/x-fossil-debug", StringComparison.Ordinal)
            || contentType.StartsWith("application/x-fossil-uncompressed", StringComparison.Ordinal);
        XferMessage reply;
        bool plainReply = plain;
        try
        {
            using var reader = await XferReader.CreateAsync(context.Request.Body, compressed: !plain, options.Limits, context.RequestAborted);
            var request = new XferMessage();
            while (await reader.ReadCardAsync(context.RequestAborted) is { } card) request.Cards.Add(card);
            using var repository = Repository.Open(repositoryPath, new RepositoryOptions { TimeProvider = options.TimeProvider });
            reply = SyncHandler.HandleSync(repository, request, reader.NonceOfRest, options, context.Connection.RemoteIpAddress?.ToString());
            // As stock: a clone (protocol 3) page is sent uncompressed, its cfiles being
            // compressed already. Only a clone the user may make gets a clone_seqno card.
            plainReply |= request.Cards.Any(c => c is CloneCard { Version: >= 3 }) && reply.Cards.Any(c => c is CloneSeqnoCard);
        }
        catch (Exception ex) when (ex is XferFormatException or CorruptContentException)
        {
            // A request that cannot be read gets a protocol error, never a crash.
            reply = new XferMessage([new ErrorCard(ex.Message)]);
        }
        byte[] body = plainReply ? reply.Encode() : reply.EncodeCompressed();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = plainReply ? "application/x-fossil-uncompressed" : "application/x-fossil";
        context.Response.ContentLength = body.Length;
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}
