using FossilSync.Sync;
using FossilSync.Xfer;

namespace FossilSync.Testing;

/// <summary>
/// A test double for tests and simulation: a transport whose peer is a delegate, for unit tests
/// of round logic, never a stand-in for interop with stock fossil. Records every request it was given.
/// </summary>
public sealed class MockTransport(Func<XferMessage, CancellationToken, Task<XferMessage>> answer) : ITransport
{
    private readonly List<XferMessage> _requests = [];

    /// <summary>Creates a mock whose answers need no waiting.</summary>
    public MockTransport(Func<XferMessage, XferMessage> answer) : this((request, _) => Task.FromResult(answer(request))) { }

    /// <summary>Every request so far, decoded, in order.</summary>
    public IReadOnlyList<XferMessage> Requests => _requests;

    /// <inheritdoc/>
    public async Task<XferMessage> ExchangeAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var decoded = XferMessage.Decode(request);
        _requests.Add(decoded);
        return await answer(decoded, cancellationToken).ConfigureAwait(false);
    }
}
