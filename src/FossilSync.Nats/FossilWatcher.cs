using System.Threading.Channels;
using FossilSync.Repo;
using FossilSync.Sync;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;

namespace FossilSync.Nats;

/// <summary>
/// Keeps a leaf repository in step with its hubs until cancelled: pulls when a hub announces a
/// change on <c>PREFIX.CODE.changed</c> (debounced), from the hub that announced it, so a hub
/// that has not caught up yet cannot answer for it; pushes when the repository file changes
/// locally (a commit); and syncs every <see cref="FossilWatcherOptions.FallbackInterval"/> in
/// case a notice was lost. Without a NATS connection (an HTTP remote) only the last two apply.
/// </summary>
public sealed class FossilWatcher
{
    private readonly string _path;
    private readonly Func<string?, ITransport> _transportFor;
    private readonly INatsConnection? _notices;
    private readonly FossilWatcherOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _stampLock = new();
    private (DateTime, long, DateTime) _stamp;
    private int _syncs, _failures;

    /// <summary>A watcher of <paramref name="repositoryPath"/>.</summary>
    /// <param name="repositoryPath">The leaf repository kept in step.</param>
    /// <param name="transportFor">Makes the transport of one sync session: pinned to the hub given, or any hub for null (HTTP ignores it).</param>
    /// <param name="notices">Where change notices arrive; null for none (then only local changes and the fallback interval sync).</param>
    /// <param name="options">Intervals and login; null for the defaults.</param>
    public FossilWatcher(string repositoryPath, Func<string?, ITransport> transportFor, INatsConnection? notices = null, FossilWatcherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(repositoryPath);
        ArgumentNullException.ThrowIfNull(transportFor);
        _path = Path.GetFullPath(repositoryPath);
        _transportFor = transportFor;
        _notices = notices;
        _options = options ?? new FossilWatcherOptions();
        _logger = _options.Logger ?? NullLogger.Instance;
    }

    /// <summary>A watcher that syncs over NATS with the hubs of the repository's own project.</summary>
    public static FossilWatcher ForNats(string repositoryPath, INatsConnection connection, FossilWatcherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        string projectCode;
        using (var repository = Repository.Open(repositoryPath)) projectCode = repository.ProjectCode;
        string prefix = options?.Prefix ?? FossilNatsServerOptions.DefaultPrefix;
        return new FossilWatcher(repositoryPath, hub => new NatsTransport(connection, projectCode, new NatsTransportOptions { Prefix = prefix, Hub = hub }), connection, options);
    }

    /// <summary>Syncs that succeeded so far.</summary>
    public int Syncs => Volatile.Read(ref _syncs);

    /// <summary>Syncs that failed so far (each is tried again later).</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <summary>Syncs once, then keeps the repository in step until <paramref name="cancellationToken"/> is cancelled (which ends it without an exception).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var repository = Repository.Open(_path);
        string projectCode = repository.ProjectCode;
        // A hub id to pull from, or null for "any hub" (a local change, the fallback).
        var wake = Channel.CreateUnbounded<string?>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var listeners = new List<Task> { WatchFileAsync(wake.Writer, stop.Token) };
        if (_notices is not null)
        {
            var subscription = await _notices.SubscribeCoreAsync<byte[]>(NatsSubjects.Changed(_options.Prefix, projectCode), cancellationToken: cancellationToken).ConfigureAwait(false);
            listeners.Add(ListenAsync(subscription, projectCode, wake.Writer, stop.Token));
        }
        try
        {
            await SyncAsync(repository, null, cancellationToken).ConfigureAwait(false);
            while (!cancellationToken.IsCancellationRequested)
            {
                var hubs = await NextAsync(wake.Reader, cancellationToken).ConfigureAwait(false);
                foreach (string? hub in hubs) await SyncAsync(repository, hub, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try { await Task.WhenAll(listeners).ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
    }

    // Waits for a reason to sync, then lets a burst settle: each announcing hub once, or "any hub" once.
    private async Task<IReadOnlyCollection<string?>> NextAsync(ChannelReader<string?> wake, CancellationToken cancellationToken)
    {
        using var fallback = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        fallback.CancelAfter(_options.FallbackInterval);
        try
        {
            await wake.WaitToReadAsync(fallback.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return [null];
        }
        await Task.Delay(_options.Debounce, cancellationToken).ConfigureAwait(false);
        var hubs = new List<string?>();
        bool any = false;
        while (wake.TryRead(out string? hub))
        {
            if (hub is null) any = true;
            else if (!hubs.Contains(hub)) hubs.Add(hub);
        }
        // A sync with an announcing hub also pushes, so "any hub" adds nothing then.
        if (hubs.Count == 0 && any) hubs.Add(null);
        return hubs;
    }

    private async Task SyncAsync(Repository repository, string? hub, CancellationToken cancellationToken)
    {
        var transport = _transportFor(hub);
        try
        {
            var result = await FossilClient.SyncAsync(repository, transport, new SyncOptions
            {
                Push = _options.Push,
                User = _options.User,
                Password = _options.Password,
            }, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _syncs);
            _options.Synced?.Invoke(result);
        }
        catch (FossilSyncException ex)
        {
            // Tried again on the next notice, local change or fallback.
            Interlocked.Increment(ref _failures);
            _logger.LogWarning(ex, "sync of {Repository} (hub {Hub}) failed", _path, hub ?? "any");
        }
        finally
        {
            (transport as IDisposable)?.Dispose();
            // What this sync wrote is not a local change to push.
            var stamp = Stamp();
            lock (_stampLock) _stamp = stamp;
        }
    }

    private static async Task ListenAsync(INatsSub<byte[]> subscription, string projectCode, ChannelWriter<string?> wake, CancellationToken cancellationToken)
    {
        await using (subscription.ConfigureAwait(false))
        {
            try
            {
                await foreach (var message in subscription.Msgs.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (FossilChangeNotice.Decode(projectCode, message) is { } notice) wake.TryWrite(notice.HubId);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    // A commit changes the file (or its write-ahead log); the stamp after each of our own syncs is the baseline.
    private async Task WatchFileAsync(ChannelWriter<string?> wake, CancellationToken cancellationToken)
    {
        lock (_stampLock) _stamp = Stamp();
        try
        {
            while (true)
            {
                await Task.Delay(_options.LocalPollInterval, cancellationToken).ConfigureAwait(false);
                var now = Stamp();
                bool changed;
                lock (_stampLock)
                {
                    changed = now != _stamp;
                    _stamp = now;
                }
                if (changed) wake.TryWrite(null);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private (DateTime, long, DateTime) Stamp()
    {
        var file = new FileInfo(_path);
        var wal = new FileInfo(_path + "-wal");
        return (file.Exists ? file.LastWriteTimeUtc : default, wal.Exists ? wal.Length : 0, wal.Exists ? wal.LastWriteTimeUtc : default);
    }
}
