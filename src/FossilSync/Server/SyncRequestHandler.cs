using FossilSync.Repo;

namespace FossilSync.Server;

/// <summary>
/// One step of the server's pipeline: answers a request, usually by calling the next step.
/// The innermost step is <see cref="SyncHandler.HandleSyncAsync(Repository, SyncRequest, SyncServerOptions?, CancellationToken)"/>'s own round.
/// </summary>
/// <param name="repository">The repository served.</param>
/// <param name="request">The request as received.</param>
/// <param name="cancellationToken">Abandons the request.</param>
public delegate Task<SyncResponse> SyncRequestHandler(Repository repository, SyncRequest request, CancellationToken cancellationToken);

/// <summary>
/// Wraps the server's handler, middleware-style, so a host adds authentication, logging, rate
/// limits or fault injection around every request, whatever transport carried it. Return a
/// handler that calls <paramref name="next"/> (or answers itself, e.g. with
/// <see cref="SyncResponse.Error(string, string)"/>, to refuse).
/// </summary>
/// <param name="next">The rest of the pipeline.</param>
public delegate SyncRequestHandler SyncRequestWrapper(SyncRequestHandler next);
