using System.Threading.Channels;
using FossilSync.Primitives;

namespace FossilSync.Repo.Crosslink;

/// <summary>
/// Checks expanded artifacts against their names on another core while the caller goes on
/// crosslinking: hashing is a tenth of a clone's final pass and needs nothing from SQLite.
/// The queue is bounded, so memory stays flat however large the repository.
/// </summary>
internal sealed class HashChecker : IDisposable
{
    private readonly Channel<(string Hash, byte[] Content)> _queue =
        Channel.CreateBounded<(string, byte[])>(new BoundedChannelOptions(512) { SingleReader = true, SingleWriter = true });
    private readonly List<string> _mismatches = [];
    private readonly Task _worker;

    public HashChecker() => _worker = Task.Run(CheckAllAsync);

    /// <summary>Queues one artifact (waits while the queue is full).</summary>
    public void Add(string hash, byte[] content)
    {
        if (!_queue.Writer.TryWrite((hash, content))) _queue.Writer.WriteAsync((hash, content)).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Waits for every queued check; returns the names whose content did not match.</summary>
    public IReadOnlyList<string> Complete()
    {
        _queue.Writer.TryComplete();
        _worker.GetAwaiter().GetResult();
        return _mismatches;
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        try { _worker.GetAwaiter().GetResult(); } catch (OperationCanceledException) { }
    }

    private async Task CheckAllAsync()
    {
        await foreach (var (hash, content) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (!ArtifactHash.Matches(hash, content)) _mismatches.Add(hash);
        }
    }
}
