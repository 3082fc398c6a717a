using System.Collections.Concurrent;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Xfer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;

namespace FossilSync.Nats;

/// <summary>
/// A hub: answers sync rounds for one or more repositories over NATS through
/// <see cref="SyncHandler.HandleSyncAsync(Repository, SyncRequest, SyncServerOptions?, CancellationToken)"/>,
/// with the same login, capabilities and limits as HTTP. For each project it serves
/// <c>PREFIX.CODE.sync</c> in a queue group shared with the other hubs and
/// <c>PREFIX.CODE.hub.HUB.sync</c> for sessions that keep to it, announces on
/// <c>PREFIX.CODE.changed</c> what its rounds stored, and pulls from another hub that
/// announces a change (see <see cref="FossilNatsServerOptions.Replicate"/>).
/// </summary>
/// <remarks>
/// To serve the same repositories over HTTP too, give the HTTP host <see cref="SyncOptions"/>:
/// its rounds are then announced like this hub's own.
/// </remarks>
public sealed class FossilNatsServer : IAsyncDisposable
{
    private readonly INatsConnection _connection;
    private readonly FossilNatsServerOptions _options;
    private readonly Dictionary<string, string> _repositories;
    private readonly Dictionary<string, HubReplicator> _replicators = [];
    // Each repository's expansions, shared by its rounds for the hub's lifetime (by path).
    private readonly Dictionary<string, ContentCache> _caches = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _rounds;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<INatsSub<byte[]>> _subscriptions = [];
    private readonly List<Task> _loops = [];
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly NatsReplyTransfers _transfers;
    private readonly ILogger _logger;

    private FossilNatsServer(INatsConnection connection, Dictionary<string, string> repositories, FossilNatsServerOptions options)
    {
        _connection = connection;
        _repositories = repositories;
        _options = options;
        _logger = options.Logger ?? NullLogger.Instance;
        _rounds = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentRounds));
        _transfers = new NatsReplyTransfers(options.TransferLifetime);
        var sync = options.Sync ?? new SyncServerOptions();
        foreach (string path in repositories.Values) _caches[path] = sync.ContentCache ?? new ContentCache();
        var earlier = sync.ArtifactsStored;
        SyncOptions = sync with
        {
            ArtifactsStored = stored =>
            {
                earlier?.Invoke(stored);
                Announce(stored);
            },
        };
    }

    /// <summary>This hub's id, as it appears in subjects and reply headers.</summary>
    public string HubId => _options.HubId;

    /// <summary>The projects served (their codes are the subjects' second part).</summary>
    public IReadOnlyCollection<string> ProjectCodes => _repositories.Keys;

    /// <summary>The options rounds are answered with: <see cref="FossilNatsServerOptions.Sync"/> plus the announcement of what a round stored. Give them to an HTTP host of the same repositories.</summary>
    public SyncServerOptions SyncOptions { get; }

    /// <summary>Replications from other hubs that failed since the start (each is logged).</summary>
    public int ReplicationFailures => _replicators.Values.Sum(r => r.Failures);

    /// <summary>Starts serving <paramref name="repositoryPaths"/> on <paramref name="connection"/> (which stays the caller's).</summary>
    /// <exception cref="RepositoryException">A path is not a repository.</exception>
    /// <exception cref="ArgumentException">Two repositories of one project, or a prefix or hub id that cannot be part of a subject.</exception>
    public static async Task<FossilNatsServer> StartAsync(INatsConnection connection, IEnumerable<string> repositoryPaths, FossilNatsServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(repositoryPaths);
        options ??= new FossilNatsServerOptions();
        NatsSubjects.CheckPrefix(options.Prefix);
        NatsSubjects.CheckToken(options.HubId, "hub id");
        NatsSubjects.CheckToken(options.QueueGroup, "queue group");
        var repositories = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string given in repositoryPaths)
        {
            string path = Path.GetFullPath(given);
            string code;
            using (var repository = Repository.Open(path)) code = repository.ProjectCode;
            NatsSubjects.CheckToken(code, "project code");
            if (!repositories.TryAdd(code, path)) throw new ArgumentException($"{path} and {repositories[code]} are both of project {code}.", nameof(repositoryPaths));
        }
        await connection.ConnectAsync().ConfigureAwait(false);
        var server = new FossilNatsServer(connection, repositories, options);
        try
        {
            await server.SubscribeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return server;
    }

    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        string prefix = _options.Prefix;
        foreach (var (code, path) in _repositories)
        {
            await ListenAsync(NatsSubjects.Sync(prefix, code), _options.QueueGroup, message => StartRound(path, message), cancellationToken).ConfigureAwait(false);
            await ListenAsync(NatsSubjects.HubSync(prefix, code, HubId), null, message => StartRound(path, message), cancellationToken).ConfigureAwait(false);
            await ListenAsync(NatsSubjects.HubFetch(prefix, code, HubId), null, message =>
            {
                Track(_transfers.ServeAsync(message, HubId, _stop.Token));
                return Task.CompletedTask;
            }, cancellationToken).ConfigureAwait(false);
            if (_options.Replicate)
            {
                var replicator = new HubReplicator(_connection, code, path, _options, _logger, _stop.Token);
                _replicators[code] = replicator;
                await ListenAsync(NatsSubjects.Changed(prefix, code), null, message =>
                {
                    if (FossilChangeNotice.Decode(code, message) is { } notice && notice.HubId != HubId) replicator.Notice(notice.HubId);
                    return Task.CompletedTask;
                }, cancellationToken).ConfigureAwait(false);
            }
        }
        // The subscriptions are registered with the server before the hub counts as started.
        await _connection.PingAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ListenAsync(string subject, string? queueGroup, Func<NatsMsg<byte[]>, Task> handle, CancellationToken cancellationToken)
    {
        var subscription = await _connection.SubscribeCoreAsync<byte[]>(subject, queueGroup, cancellationToken: cancellationToken).ConfigureAwait(false);
        _subscriptions.Add(subscription);
        _loops.Add(Task.Run(async () =>
        {
            try
            {
                await foreach (var message in subscription.Msgs.ReadAllAsync(_stop.Token).ConfigureAwait(false)) await handle(message).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
        }, CancellationToken.None));
    }

    // Waits for a free slot, so a burst of rounds queues in NATS rather than in memory here.
    private async Task StartRound(string path, NatsMsg<byte[]> message)
    {
        await _rounds.WaitAsync(_stop.Token).ConfigureAwait(false);
        Track(Task.Run(async () =>
        {
            try { await RoundAsync(path, message).ConfigureAwait(false); }
            finally { _rounds.Release(); }
        }));
    }

    private void Track(Task task)
    {
        _running[task] = 0;
        _ = task.ContinueWith(done => _running.TryRemove(done, out _), TaskScheduler.Default);
    }

    private async Task RoundAsync(string path, NatsMsg<byte[]> message)
    {
        if (message.ReplyTo is null) return;
        // A round under way is finished even when the hub stops: its client gets its reply.
        var cancellationToken = CancellationToken.None;
        try
        {
            if (NatsChunks.Text(message.Headers, NatsHeaderNames.Ping) is not null)
            {
                await message.ReplyAsync(headers: new NatsHeaders { [NatsHeaderNames.Hub] = HubId }, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
            string contentType = NatsChunks.Text(message.Headers, NatsHeaderNames.ContentType) ?? XferContentType.Compressed;
            if (!XferContentType.IsSyncMessage(contentType))
            {
                await message.ReplyAsync(headers: new NatsHeaders { [NatsHeaderNames.Hub] = HubId, [NatsHeaderNames.Error] = $"not a sync message: {contentType}" }, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
            var response = await AnswerAsync(path, message, contentType, cancellationToken).ConfigureAwait(false);
            await _transfers.ReplyAsync(message, response, HubId, NatsChunks.Size(_connection), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The client's round times out and is sent again; the hub goes on.
            _logger.LogError(ex, "NATS sync round on {Subject} failed", message.Subject);
        }
    }

    private async Task<SyncResponse> AnswerAsync(string path, NatsMsg<byte[]> message, string contentType, CancellationToken cancellationToken)
    {
        byte[]? body;
        try
        {
            body = await NatsRequestBody.ReadAsync(_connection, message, SyncOptions.MaxRequestBytes, _options.UploadTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsRequestBody.IncompleteException ex)
        {
            return SyncResponse.Error(contentType, ex.Message);
        }
        if (body is null) return SyncResponse.Error(contentType, $"request is larger than this server accepts ({SyncOptions.MaxRequestBytes} bytes)");
        Repository repository;
        try
        {
            repository = Repository.Open(path, new RepositoryOptions { TimeProvider = SyncOptions.TimeProvider, ContentCache = _caches[path] });
        }
        catch (RepositoryException ex)
        {
            return SyncResponse.Error(contentType, ex.Message);
        }
        try
        {
            using (repository) return await SyncHandler.HandleSyncAsync(repository, new SyncRequest(body, contentType)
            {
                TraceParent = NatsChunks.Text(message.Headers, NatsHeaderNames.TraceParent),
                TraceState = NatsChunks.Text(message.Headers, NatsHeaderNames.TraceState),
            }, SyncOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The handler logged it already when it has a logger of its own.
            if (SyncOptions.Logger is null) _logger.LogError(ex, "sync round for {Repository} failed", path);
            return SyncResponse.Error(contentType, "server error: " + ex.Message);
        }
    }

    private void Announce(SyncStoredArtifacts stored)
    {
        var notice = new FossilChangeNotice(stored.ProjectCode, HubId, stored.Names);
        var (body, headers) = notice.Encode(NatsChunks.Size(_connection));
        Track(PublishAsync(NatsSubjects.Changed(_options.Prefix, stored.ProjectCode), body, headers));
    }

    private async Task PublishAsync(string subject, byte[] body, NatsHeaders headers)
    {
        try
        {
            await _connection.PublishAsync(subject, body, headers, cancellationToken: _stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException)
        {
            // A lost notice delays listeners until their periodic sync; nothing is lost.
            _logger.LogWarning(ex, "change notice on {Subject} not sent", subject);
        }
    }

    /// <summary>Stops taking requests, lets the rounds under way finish, and leaves the connection open.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        foreach (var subscription in _subscriptions)
        {
            try { await subscription.UnsubscribeAsync().ConfigureAwait(false); }
            catch (NatsException) { }
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).ConfigureAwait(false);
        foreach (var replicator in _replicators.Values) await replicator.StopAsync().ConfigureAwait(false);
        try { await Task.WhenAll(_running.Keys).ConfigureAwait(false); }
        catch (Exception ex) when (ex is OperationCanceledException or NatsException) { }
        foreach (var subscription in _subscriptions) await subscription.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        _rounds.Dispose();
    }
}
