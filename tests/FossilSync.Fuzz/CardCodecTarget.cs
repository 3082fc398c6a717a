using System.IO.Compression;
using FossilSync.Primitives;
using FossilSync.Xfer;

namespace FossilSync.Fuzz;

/// <summary>
/// The sync card codec. The first input byte picks the path: plain card text or a compressed
/// (<c>application/x-fossil</c>) body, each decoded in memory or read from a stream (where
/// lines cross buffer refills and the zlib stream is inflated as it is read). Invariants: only <see cref="XferFormatException"/> or
/// <see cref="CorruptContentException"/> escapes; allocation stays proportional to the input
/// (plus what <see cref="Limits"/> allows); and a decoded message, encoded again, plain or
/// compressed, decodes to the same cards.
/// </summary>
internal static class CardCodecTarget
{
    /// <summary>Small limits keep each run fast; the allocation budget is stated in their terms.</summary>
    public static readonly XferLimits Limits = new() { MaxPayloadSize = 1 << 20, MaxMessageSize = 1 << 22, MaxLineLength = 1 << 14 };

    // Deflate cannot expand data by more than about 1032:1 (BlobCompression's bound).
    private const int MaxInflation = 1040;

    // Per byte of card text: the in-memory copy, UTF-16 strings of tokens and lines, and a
    // card object with its list slot for lines as short as one byte.
    private const int BytesPerTextByte = 128;

    // Fixed costs: the stream reader's buffer (up to a line plus a chunk) and small objects.
    private const int FixedAllowance = 4 * (1 << 14) + 4 * 65536 + 65536;

    /// <summary>
    /// When true (FOSSILSYNC_FUZZ_STRICT=1), a payload buffer sized from a declared length the
    /// input cannot fill counts as over-allocation even within <see cref="XferLimits.MaxPayloadSize"/>.
    /// </summary>
    public static bool Strict { get; set; } = Environment.GetEnvironmentVariable("FOSSILSYNC_FUZZ_STRICT") == "1";

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        int mode = input[0] % 4;
        byte[] body = input[1..].ToArray();
        bool compressed = mode is 1 or 3;
        long text = compressed ? Inflatable(body) : body.Length;
        long allowed = BytesPerTextByte * text + FixedAllowance + (Strict ? 0 : 2L * Limits.MaxPayloadSize);
        var message = AllocationBudget.Run(() => Decode(mode, body), _ => allowed,
            () => $"decoding a {body.Length}-byte {(compressed ? "compressed" : "plain")} message");
        if (message is not null) CheckRoundTrip(message, compressed);
    }

    private static XferMessage? Decode(int mode, byte[] body)
    {
        try
        {
            return mode switch
            {
                0 => XferMessage.Decode(body, Limits),
                1 => XferMessage.DecodeCompressed(body, Limits),
                2 => XferMessage.ReadAsync(new MemoryStream(body), compressed: false, Limits).GetAwaiter().GetResult(),
                _ => XferMessage.ReadAsync(new MemoryStream(body), compressed: true, Limits).GetAwaiter().GetResult(),
            };
        }
        catch (XferFormatException)
        {
            return null;
        }
        catch (CorruptContentException)
        {
            return null;
        }
    }

    private static long Inflatable(byte[] body)
    {
        if (body.Length < BlobCompression.PrefixLength) return 0;
        return Math.Min(BlobCompression.ReadDeclaredSize(body), (long)body.Length * MaxInflation + 64);
    }

    // The compressed round trip (zlib state is costly to set up) only for compressed inputs.
    private static void CheckRoundTrip(XferMessage message, bool alsoCompressed)
    {
        byte[] plain = message.Encode();
        CompareCards(message, Redecode(() => XferMessage.Decode(plain, Limits)), "plain");
        if (!alsoCompressed) return;
        byte[] compressed = message.EncodeCompressed(CompressionLevel.Fastest);
        CompareCards(message, Redecode(() => XferMessage.DecodeCompressed(compressed, Limits)), "compressed");
    }

    private static XferMessage Redecode(Func<XferMessage> decode)
    {
        try
        {
            return decode();
        }
        catch (Exception ex) when (ex is XferFormatException or CorruptContentException)
        {
            throw new InvariantViolationException("a decoded message, encoded again, no longer decodes: " + ex.Message);
        }
    }

    private static void CompareCards(XferMessage original, XferMessage again, string envelope)
    {
        if (original.Cards.Count != again.Cards.Count)
        {
            throw new InvariantViolationException($"{envelope} round trip turned {original.Cards.Count} cards into {again.Cards.Count}");
        }
        for (int i = 0; i < original.Cards.Count; i++)
        {
            if (!CardComparer.Same(original.Cards[i], again.Cards[i]))
            {
                throw new InvariantViolationException($"{envelope} round trip changed card {i}: {original.Cards[i]} became {again.Cards[i]}");
            }
        }
    }
}
