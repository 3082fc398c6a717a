using FossilSync.Primitives;
using FossilSync.Repo.Artifacts;

namespace FossilSync.Repo.Crosslink;

/// <summary>
/// Checks expanded artifacts on another core while the caller goes on crosslinking: that each
/// hashes to its name (a clone's final pass), and that each manifest parsed without its Z-card
/// MD5 really carries a matching one. Neither needs anything from SQLite, and together they
/// were a third of a large clone's final pass. The queue is bounded in bytes (manifests of
/// thousands of files are hundreds of KB each), so memory stays flat however large the
/// repository; and small, because what waits in it outlives a young-generation collection:
/// 2 MiB instead of 16 took a large clone's peak from ~200 to ~155 MB at the same speed.
/// </summary>
internal sealed class HashChecker : IDisposable
{
    private const long MaxQueuedBytes = 2L * 1024 * 1024;

    private readonly Queue<(string? Hash, byte[] Content)> _queue = new();
    private readonly object _lock = new();
    private readonly List<string> _mismatches = [];
    private readonly Thread _worker;
    private long _queuedBytes;
    private bool _completed;
    private Exception? _failure;
    private volatile bool _zCardFailed;

    public HashChecker()
    {
        _worker = new Thread(CheckAll) { IsBackground = true, Name = "FossilSync hash checker" };
        _worker.Start();
    }

    /// <summary>
    /// True while more than half the queue is waiting: a caller with work it could hand over
    /// (a Z card) does better to do it itself than to wait for room.
    /// </summary>
    public bool IsBehind => Volatile.Read(ref _queuedBytes) > MaxQueuedBytes / 2;

    /// <summary>True once some artifact queued with <see cref="AddZCard"/> turned out not to match its Z card.</summary>
    public bool ZCardFailed => _zCardFailed;

    /// <summary>Queues one artifact to be checked against its name (waits while the queue is full).</summary>
    public void Add(string hash, byte[] content) => Enqueue(hash, content);

    /// <summary>Queues an artifact parsed with <see cref="ArtifactParser.ParseDeferringZCard"/>.</summary>
    public void AddZCard(byte[] content) => Enqueue(null, content);

    /// <summary>Waits for every queued check; returns the names whose content did not match.</summary>
    public IReadOnlyList<string> Complete()
    {
        Stop();
        if (_failure is not null) throw new InvalidOperationException("the hash checker failed.", _failure);
        return _mismatches;
    }

    public void Dispose() => Stop();

    private void Stop()
    {
        lock (_lock)
        {
            _completed = true;
            Monitor.PulseAll(_lock);
        }
        _worker.Join();
    }

    private void Enqueue(string? hash, byte[] content)
    {
        lock (_lock)
        {
            while (_queuedBytes > MaxQueuedBytes && _queue.Count > 0 && _failure is null) Monitor.Wait(_lock);
            if (_failure is not null) return;
            _queue.Enqueue((hash, content));
            _queuedBytes += content.Length;
            Monitor.PulseAll(_lock);
        }
    }

    private void CheckAll()
    {
        try
        {
            while (true)
            {
                (string? Hash, byte[] Content) item;
                lock (_lock)
                {
                    while (_queue.Count == 0 && !_completed) Monitor.Wait(_lock);
                    if (_queue.Count == 0) return;
                    item = _queue.Dequeue();
                    _queuedBytes -= item.Content.Length;
                    Monitor.PulseAll(_lock);
                }
                if (item.Hash is null)
                {
                    if (!ArtifactParser.ZCardHolds(item.Content)) _zCardFailed = true;
                }
                else if (!ArtifactHash.Matches(item.Hash, item.Content))
                {
                    _mismatches.Add(item.Hash);
                }
            }
        }
        catch (Exception ex)
        {
            lock (_lock)
            {
                _failure = ex;
                _queue.Clear();
                _queuedBytes = 0;
                Monitor.PulseAll(_lock);
            }
        }
    }
}
