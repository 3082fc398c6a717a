using FossilSync.Sync;
using FossilSync.Xfer;

namespace FossilSync.Tests.Infrastructure;

/// <summary>
/// Wraps a real transport: records every request (decoded) and can fail one exchange, to cut a
/// session short at a chosen round.
/// </summary>
public sealed class InterruptibleTransport(ITransport inner) : ITransport
{
    private readonly List<XferMessage> _requests = [];
    private int _exchanges;

    /// <summary>The 1-based exchange that fails with a <see cref="TransportException"/> instead of reaching the peer; 0 for none.</summary>
    public int FailAt { get; init; }

    /// <summary>Called before each exchange with its 1-based number.</summary>
    public Action<int>? BeforeExchange { get; init; }

    public IReadOnlyList<XferMessage> Requests
    {
        get { lock (_requests) return [.. _requests]; }
    }

    public Uri? Endpoint => inner.Endpoint;

    public Task<XferMessage> ExchangeAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        int number = Interlocked.Increment(ref _exchanges);
        lock (_requests) _requests.Add(XferMessage.Decode(request));
        BeforeExchange?.Invoke(number);
        if (number == FailAt) throw new TransportException($"connection lost in exchange {number} (simulated)");
        return inner.ExchangeAsync(request, cancellationToken);
    }

    /// <summary>The sequence number asked for by each request's clone card, in order.</summary>
    public IReadOnlyList<long> ClonesAskedFor => [.. Requests.SelectMany(r => r.Cards.OfType<CloneCard>()).Select(c => c.SequenceNumber ?? 0)];
}
