using FossilSync.Repo;
using FossilSync.Xfer;

namespace FossilSync.Server;

/// <summary>
/// The server side of one sync round, stateless as stock fossil's: everything comes from the
/// request and the repository. All of a round's writes are one transaction; a request that
/// carries a bad artifact, or whose login does not hold, gets an <c>error</c> card and changes
/// nothing.
/// </summary>
/// <remarks>
/// The request is decoded card by card as it is handled, so memory follows the largest single
/// payload, not the message; a payload the user may not write is refused before it is read.
/// </remarks>
public static class SyncHandler
{
    /// <summary>Answers one request, whatever transport carried it.</summary>
    /// <param name="repository">The repository served.</param>
    /// <param name="request">The request body as received, with its Content-Type.</param>
    /// <param name="options">Budgets, limits and clock; null for stock's defaults.</param>
    /// <param name="cancellationToken">Abandons the round (nothing of it is kept).</param>
    /// <returns>The reply; protocol errors are <c>error</c> cards in it, never exceptions.</returns>
    /// <remarks>
    /// With <see cref="SyncServerOptions.Logger"/> set, an exception that escapes (a failing
    /// disk, a bug, a wrapper's failure) has been logged once at Error already: a host
    /// should not log it again.
    /// </remarks>
    public static async Task<SyncResponse> HandleSyncAsync(Repository repository, SyncRequest request, SyncServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(request);
        options ??= new SyncServerOptions();
        try
        {
            if (options.Wrappers.Count == 0) return await HandleRoundAsync(repository, request, options, cancellationToken).ConfigureAwait(false);
            var inner = options;
            SyncRequestHandler handler = (r, q, c) => HandleRoundAsync(r, q, inner, c);
            for (int i = options.Wrappers.Count - 1; i >= 0; i--) handler = options.Wrappers[i](handler);
            return await handler(repository, request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && options.Logger is { } logger && !RequestTracker.WasLogged(ex))
        {
            ServerLog.HandlerFailed(logger, ex, request.RemoteAddress);
            throw;
        }
    }

    // The innermost step: one round, with its span, metrics, observer calls and log events.
    private static async Task<SyncResponse> HandleRoundAsync(Repository repository, SyncRequest request, SyncServerOptions options, CancellationToken cancellationToken)
    {
        using var tracker = new RequestTracker(repository, request, options);
        (RoundContext? Round, SyncResponse Response) answer;
        try
        {
            answer = await AnswerAsync(repository, request, options, tracker, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            tracker.Failed(ex);
            throw;
        }
        tracker.Answered(answer.Round, answer.Response);
        return answer.Response;
    }

    private static async Task<(RoundContext? Round, SyncResponse Response)> AnswerAsync(Repository repository, SyncRequest request, SyncServerOptions options, RequestTracker tracker, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                // Most rounds only read (a no-op sync, a pull, a clone page): run them alongside
                // each other, taking the write lock only when the round turns out to write.
                var round = new SyncRound(repository, request, options, deferred: true);
                return (round.Context, await round.RunAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (RepositoryBusyException)
            {
                // Another round wrote first, so this one could not take the lock it needed without
                // waiting on a reader (SQLite refuses that at once). The round kept nothing and holds
                // no state: run it again, now holding the write lock from the start.
                tracker.Retried();
                var round = new SyncRound(repository, request, options, deferred: false);
                return (round.Context, await round.RunAsync(cancellationToken).ConfigureAwait(false));
            }
        }
        catch (RepositoryBusyException)
        {
            return (null, SyncResponse.Error(request.ContentType, "the repository is busy with another writer: nothing was stored, try again"));
        }
    }

    /// <summary>Answers one request given as cards (in-process peers and tests); the same path as <see cref="HandleSyncAsync(Repository, SyncRequest, SyncServerOptions?, CancellationToken)"/>.</summary>
    /// <param name="repository">The repository served.</param>
    /// <param name="request">The request; a login card in it signs the encoded cards after it.</param>
    /// <param name="options">Budgets, limits and clock; null for stock's defaults.</param>
    /// <param name="peerAddress">The client's address, recorded with what it sends.</param>
    /// <param name="cancellationToken">Abandons the round.</param>
    public static async Task<XferMessage> HandleSyncAsync(Repository repository, XferMessage request, SyncServerOptions? options = null, string? peerAddress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await HandleSyncAsync(repository, new SyncRequest(request.Encode(), XferContentType.Uncompressed) { RemoteAddress = peerAddress }, options, cancellationToken).ConfigureAwait(false);
        return XferContentType.IsCompressed(response.ContentType) ? XferMessage.DecodeCompressed(response.Body) : XferMessage.Decode(response.Body);
    }
}
