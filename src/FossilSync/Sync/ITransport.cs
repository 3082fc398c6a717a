using FossilSync.Xfer;

namespace FossilSync.Sync;

/// <summary>
/// Carries one sync round: a request message out, the reply back. The sync loop builds and
/// signs the request (its login card covers the encoded bytes), so a transport only moves
/// bytes and decodes the reply.
/// </summary>
public interface ITransport
{
    /// <summary>Sends one request and returns the peer's reply.</summary>
    /// <param name="request">The uncompressed card text, login card included.</param>
    /// <param name="cancellationToken">Cancels the round.</param>
    /// <exception cref="TransportException">The peer could not be reached or answered something that is not a sync reply.</exception>
    Task<XferMessage> ExchangeAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken);

    /// <summary>
    /// Where the peer is (a clone reads it as it starts): an interrupted clone is continued only
    /// from the same place. Null when the transport cannot say; a clone then resumes only from
    /// another transport that cannot say either, and only for the same project.
    /// </summary>
    Uri? Endpoint => null;

    /// <summary>
    /// A login the transport was given with its address (such as <c>user:password@</c> in a URL),
    /// used by a session whose options name no user; null (the default) for none.
    /// </summary>
    System.Net.NetworkCredential? Credentials => null;
}
