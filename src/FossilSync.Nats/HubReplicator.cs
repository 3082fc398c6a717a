using FossilSync.Repo;
using FossilSync.Sync;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace FossilSync.Nats;

/// <summary>
/// Keeps one hub's repository in step with the other hubs of its project: when another hub
/// announces a change, this one pulls from that hub (a session pinned to it, over NATS with our
/// own client). Notices that arrive while a pull runs are gathered into the next one.
/// </summary>
internal sealed class HubReplicator(INatsConnection connection, string projectCode, string path, FossilNatsServerOptions options, ILogger logger, CancellationToken stopping)
{
    private readonly Lock _lock = new();
    private readonly List<string> _pending = [];
    private Task? _worker;
    private int _failures;

    public int Failures => Volatile.Read(ref _failures);

    public void Notice(string hubId)
    {
        lock (_lock)
        {
            if (!_pending.Contains(hubId)) _pending.Add(hubId);
            _worker ??= Task.Run(RunAsync, CancellationToken.None);
        }
    }

    public async Task StopAsync()
    {
        Task? worker;
        lock (_lock) worker = _worker;
        if (worker is not null) await worker.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        while (true)
        {
            string hub;
            lock (_lock)
            {
                if (_pending.Count == 0 || stopping.IsCancellationRequested)
                {
                    _worker = null;
                    return;
                }
                hub = _pending[0];
                _pending.RemoveAt(0);
            }
            try
            {
                await PullAsync(hub).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is FossilSyncException or Microsoft.Data.Sqlite.SqliteException or OperationCanceledException or NatsException)
            {
                if (stopping.IsCancellationRequested) continue;
                Interlocked.Increment(ref _failures);
                logger.LogWarning(ex, "replication of {Project} from hub {Hub} failed", projectCode, hub);
            }
        }
    }

    private async Task PullAsync(string hub)
    {
        using var repository = Repository.Open(path);
        var transport = new NatsTransport(connection, projectCode, new NatsTransportOptions { Prefix = options.Prefix, Hub = hub });
        await FossilClient.SyncAsync(repository, transport, new SyncOptions
        {
            Push = false,
            User = options.ReplicationUser,
            Password = options.ReplicationPassword,
        }, stopping).ConfigureAwait(false);
    }
}
