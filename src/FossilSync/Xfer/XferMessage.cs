using System.IO.Compression;
using FossilSync.Primitives;

namespace FossilSync.Xfer;

/// <summary>A whole sync message: its cards in order, with encode and decode helpers for both envelopes.</summary>
public sealed class XferMessage
{
    /// <summary>Creates a message from cards.</summary>
    public XferMessage(IEnumerable<XferCard>? cards = null) => Cards = cards is null ? [] : [.. cards];

    /// <summary>The cards, in wire order.</summary>
    public List<XferCard> Cards { get; }

    /// <summary>The plain card text (<c>application/x-fossil-uncompressed</c>).</summary>
    public byte[] Encode() => Encode(EncodedLength());

    /// <summary>The plain card text, whose <see cref="EncodedLength"/> the caller counted already.</summary>
    internal byte[] Encode(long encodedLength)
    {
        // Written twice, counted then copied, so the payloads are copied once into an array of the right size.
        byte[] body = GC.AllocateUninitializedArray<byte>(checked((int)encodedLength));
        var output = new MemoryStream(body, writable: true);
        foreach (var card in Cards) XferWriter.Write(output, card);
        if (output.Position != body.Length) throw new InvalidOperationException("a card wrote a different length the second time.");
        return body;
    }

    /// <summary>The length of the plain card text, counted without keeping it.</summary>
    internal long EncodedLength()
    {
        var counter = new LengthCountingStream();
        foreach (var card in Cards) XferWriter.Write(counter, card);
        return counter.Length;
    }

    /// <summary>
    /// Writes the plain card text to <paramref name="destination"/> in pieces of about
    /// <see cref="WritePiece"/> bytes, and each artifact of <see cref="LentArtifact"/> bytes or
    /// more straight from its own memory: a reply of megabytes never becomes one array, and a
    /// large artifact is never copied on the way.
    /// </summary>
    internal async Task WriteToAsync(Stream destination, CancellationToken cancellationToken)
    {
        var piece = new MemoryStream(WritePiece + LentArtifact);
        foreach (var card in Cards)
        {
            if (XferWriter.WriteUpToArtifact(piece, card) is { } artifact)
            {
                if (artifact.Length < LentArtifact) piece.Write(artifact.Span);
                else
                {
                    // A large artifact goes out from where it lies, never through the piece.
                    await SendAsync(destination, piece, cancellationToken).ConfigureAwait(false);
                    await destination.WriteAsync(artifact, cancellationToken).ConfigureAwait(false);
                }
                if (XferWriter.NeedsClosingNewline(card, artifact.Span)) piece.WriteByte((byte)'\n');
            }
            else XferWriter.Write(piece, card);
            if (piece.Length >= WritePiece) await SendAsync(destination, piece, cancellationToken).ConfigureAwait(false);
        }
        await SendAsync(destination, piece, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask SendAsync(Stream destination, MemoryStream piece, CancellationToken cancellationToken)
    {
        if (piece.Length == 0) return;
        await destination.WriteAsync(piece.GetBuffer().AsMemory(0, (int)piece.Length), cancellationToken).ConfigureAwait(false);
        piece.SetLength(0);
    }

    private const int WritePiece = 64 * 1024, LentArtifact = 16 * 1024;

    /// <summary>The compressed body (<c>application/x-fossil</c>).</summary>
    public byte[] EncodeCompressed(CompressionLevel level = CompressionLevel.Optimal) => BlobCompression.Compress(Encode(), level);

    /// <summary>Decodes plain card text.</summary>
    /// <exception cref="XferFormatException">The text breaks the card grammar.</exception>
    /// <exception cref="CorruptContentException">The message has more than <see cref="XferLimits.MaxCards"/> cards.</exception>
    public static XferMessage Decode(ReadOnlyMemory<byte> plainBody, XferLimits? limits = null)
    {
        limits ??= XferLimits.Default;
        using var reader = XferReader.FromMemory(plainBody, limits);
        var message = new XferMessage();
        while (reader.ReadCard() is { } card) message.Cards.Add(card);
        return message;
    }

    /// <summary>Decodes a compressed body.</summary>
    /// <exception cref="CorruptContentException">The envelope is damaged, truncated or too large.</exception>
    /// <exception cref="XferFormatException">The text breaks the card grammar.</exception>
    public static XferMessage DecodeCompressed(ReadOnlyMemory<byte> body, XferLimits? limits = null)
    {
        limits ??= XferLimits.Default;
        int cap = (int)Math.Min(int.MaxValue, limits.MaxMessageSize);
        return Decode(BlobCompression.Decompress(body, cap), limits);
    }

    /// <summary>Reads a whole message from a stream.</summary>
    /// <exception cref="CorruptContentException">The envelope is damaged, truncated or too large, or the message has more than <see cref="XferLimits.MaxCards"/> cards.</exception>
    /// <exception cref="XferFormatException">The text breaks the card grammar.</exception>
    public static Task<XferMessage> ReadAsync(Stream body, bool compressed, XferLimits? limits = null, CancellationToken cancellationToken = default) =>
        ReadAsync(body, compressed, limits, skipComments: false, cancellationToken);

    /// <summary>As the public overload; with <paramref name="skipComments"/>, <c>#</c> lines are read past, not kept (a peer has no use for them, and a reply of nothing else then costs no memory).</summary>
    internal static async Task<XferMessage> ReadAsync(Stream body, bool compressed, XferLimits? limits, bool skipComments, CancellationToken cancellationToken)
    {
        using var reader = await XferReader.CreateAsync(body, compressed, limits, cancellationToken).ConfigureAwait(false);
        reader.SkipComments = skipComments;
        var message = new XferMessage();
        while (await reader.ReadCardAsync(cancellationToken).ConfigureAwait(false) is { } card) message.Cards.Add(card);
        return message;
    }
}
