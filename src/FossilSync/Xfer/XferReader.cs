using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using FossilSync.Primitives;

namespace FossilSync.Xfer;

/// <summary>
/// Reads the cards of one sync message, one at a time, from a stream (a request or reply
/// body) or from memory. Payloads are read straight into their own buffers, so a large message
/// is never held twice.
/// </summary>
/// <remarks>
/// The body's framing comes from its Content-Type, never from guessing: pass
/// <c>compressed: true</c> for <c>application/x-fossil</c> (4-byte size + zlib) and false for
/// the <c>-uncompressed</c>/<c>-debug</c> types. After a <see cref="LoginCard"/>, every byte
/// that follows is hashed, so a server can check the login nonce with <see cref="NonceOfRest"/>.
/// </remarks>
public sealed class XferReader : IDisposable
{
    private const int ChunkSize = 64 * 1024;

    private readonly Stream? _stream;
    private readonly TruncationDetectingStream? _zlibInput;
    private readonly XferLimits _limits;
    private readonly long _declaredSize;
    private byte[] _buffer;
    private int _start, _end;
    private bool _endOfStream;
    private long _consumed;
    // One running hash per login card read, each over every byte after that card's line.
    private readonly List<IncrementalHash> _afterLogins = [];
    private bool _refused;

    private XferReader(Stream? stream, ReadOnlyMemory<byte> memory, XferLimits limits, TruncationDetectingStream? zlibInput, long declaredSize)
    {
        _stream = stream;
        _limits = limits;
        _zlibInput = zlibInput;
        _declaredSize = declaredSize;
        if (stream is null)
        {
            // In memory the whole message is the buffer: reads never wait.
            _buffer = memory.ToArray();
            _end = _buffer.Length;
            _endOfStream = true;
        }
        else
        {
            _buffer = new byte[ChunkSize];
        }
    }

    /// <summary>1-based number of the last line read.</summary>
    public int LineNumber { get; private set; }

    /// <summary>
    /// Lowercase hex SHA1 of every byte read after the most recent login line (what the login
    /// nonce must equal), or null when no login card has been read. Call once the message is read.
    /// </summary>
    public string? NonceOfRest => _afterLogins.Count == 0 ? null : Convert.ToHexStringLower(_afterLogins[^1].GetCurrentHash());

    /// <summary>
    /// For each login card read, in order, the lowercase hex SHA1 of every byte read after its
    /// line: what that card's nonce must equal (a server checks each login against the bytes that
    /// follow it, as stock does). Call once the message is read.
    /// </summary>
    internal IReadOnlyList<string> LoginTailHashes() => [.. _afterLogins.Select(h => Convert.ToHexStringLower(h.GetCurrentHash()))];

    /// <summary>
    /// Read past comment lines instead of returning them: a server has no use for them, and a
    /// message of nothing but <c>#</c> lines then costs it no memory at all.
    /// </summary>
    internal bool SkipComments { get; set; }

    /// <summary>True once a payload was refused: the message was not read to its end.</summary>
    internal bool Refused => _refused;

    /// <summary>Reads from a stream; with <paramref name="compressed"/> the body is the 4-byte size + zlib envelope.</summary>
    /// <exception cref="CorruptContentException">The envelope declares more than the message limit.</exception>
    public static async ValueTask<XferReader> CreateAsync(Stream body, bool compressed, XferLimits? limits = null, CancellationToken cancellationToken = default)
    {
        limits ??= XferLimits.Default;
        if (!compressed) return new XferReader(body, default, limits, null, -1);
        byte[] prefix = new byte[BlobCompression.PrefixLength];
        int got = await body.ReadAtLeastAsync(prefix, prefix.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        uint declared = BlobCompression.ReadDeclaredSize(prefix.AsSpan(0, got));
        if (declared > limits.MaxMessageSize) throw new CorruptContentException($"message declares {declared} bytes, over the limit of {limits.MaxMessageSize}.");
        var input = new TruncationDetectingStream(body);
        return new XferReader(new ZLibStream(input, CompressionMode.Decompress), default, limits, input, declared);
    }

    /// <summary>Reads a whole message held in memory (plain card text).</summary>
    public static XferReader FromMemory(ReadOnlyMemory<byte> plainBody, XferLimits? limits = null) =>
        new(null, plainBody, limits ?? XferLimits.Default, null, -1);

    /// <summary>The next card, or null at the end of the message.</summary>
    /// <exception cref="XferFormatException">The message breaks the card grammar.</exception>
    /// <exception cref="CorruptContentException">The compressed envelope is damaged or too large, or the message has more than <see cref="XferLimits.MaxCards"/> lines.</exception>
    public ValueTask<XferCard?> ReadCardAsync(CancellationToken cancellationToken = default) => ReadCardAsync(null, cancellationToken);

    /// <summary>
    /// The next card, asking <paramref name="admit"/> about a payload card (by its kind:
    /// <c>file</c>, <c>cfile</c>, <c>config</c>, <c>uvfile</c>) before its payload is read, so a
    /// server can refuse what the user may not write without holding it in memory. A skipped
    /// payload is read past (and still hashed for the login nonce) without being kept; a refused
    /// one ends the reading: the reader must not be used again.
    /// </summary>
    internal async ValueTask<XferCard?> ReadCardAsync(Func<string, PayloadAdmission>? admit, CancellationToken cancellationToken)
    {
        if (_refused) throw new InvalidOperationException("the reader stopped at a refused payload.");
        int lineEnd;
        while (true)
        {
            while ((lineEnd = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start)) < 0)
            {
                if (_endOfStream)
                {
                    if (_start == _end) return Finish();
                    lineEnd = _end;   // a last line without its newline
                    break;
                }
                if (_end - _start >= _limits.MaxLineLength) throw new XferFormatException(LineNumber + 1, Encoding.UTF8.GetString(_buffer, _start, 120), $"line longer than {_limits.MaxLineLength} bytes");
                await FillAsync(cancellationToken).ConfigureAwait(false);
            }
            if (++LineNumber > _limits.MaxCards) throw new CorruptContentException($"message has more than {_limits.MaxCards} cards.");
            if (!SkipComments || lineEnd == _start || _buffer[_start] != '#') break;
            Consume(Math.Min(lineEnd + 1, _end) - _start);
        }
        var line = new ReadOnlyMemory<byte>(_buffer, _start, lineEnd - _start);
        XferCard? card = CardParser.Parse(line.Span, LineNumber, _limits, out var payload);
        Consume(Math.Min(lineEnd + 1, _end) - _start);
        if (card is LoginCard)
        {
            if (_afterLogins.Count >= _limits.MaxLoginCards) throw new XferFormatException(LineNumber, "login", $"more than {_limits.MaxLoginCards} login cards");
            _afterLogins.Add(IncrementalHash.CreateHash(HashAlgorithmName.SHA1));
        }
        if (payload is not null)
        {
            switch (admit?.Invoke(payload.Kind) ?? PayloadAdmission.Read)
            {
                case PayloadAdmission.Refuse:
                    _refused = true;
                    return new WithheldPayloadCard(payload.Kind);
                case PayloadAdmission.Skip:
                    int last = await SkipPayloadAsync(payload.Length, cancellationToken).ConfigureAwait(false);
                    await SkipTrailerAsync(payload.Trailer, last, cancellationToken).ConfigureAwait(false);
                    return new WithheldPayloadCard(payload.Kind);
            }
            byte[] bytes = await ReadPayloadAsync(payload.Length, cancellationToken).ConfigureAwait(false);
            card = payload.Complete(bytes);
            await SkipTrailerAsync(payload.Trailer, bytes.Length == 0 ? -1 : bytes[^1], cancellationToken).ConfigureAwait(false);
        }
        return card;
    }

    /// <summary>Reads the next card of a message held in memory (never waits).</summary>
    public XferCard? ReadCard()
    {
        if (_stream is not null) throw new InvalidOperationException("ReadCard is for in-memory messages; use ReadCardAsync for streams.");
        var pending = ReadCardAsync();
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var hash in _afterLogins) hash.Dispose();
        _stream?.Dispose();
    }

    // The declared size is only a claim: memory grows with the bytes that actually arrive, so a
    // 50-byte card announcing 256 MiB costs nothing (the buffer doubles up to the size, each
    // step backed by bytes already read).
    private async ValueTask<byte[]> ReadPayloadAsync(int length, CancellationToken cancellationToken)
    {
        int have = Math.Min(length, _end - _start);
        if (have < length && _stream is null) throw Truncated(length, have);
        var payload = new byte[Math.Min(length, Math.Max(have, ChunkSize))];
        Array.Copy(_buffer, _start, payload, 0, have);
        Consume(have);
        while (have < length)
        {
            if (have == payload.Length) Array.Resize(ref payload, (int)Math.Min(length, 2L * payload.Length));
            int got = await ReadStreamAsync(payload.AsMemory(have, payload.Length - have), payload.Length - have, cancellationToken).ConfigureAwait(false);
            Count(payload.AsSpan(have, got));
            have += got;
            if (have < payload.Length)
            {
                CheckZlibEnd();
                throw Truncated(length, have);
            }
        }
        return payload;
    }

    // Reads past a payload without keeping it; returns its last byte (-1 when empty).
    private async ValueTask<int> SkipPayloadAsync(int length, CancellationToken cancellationToken)
    {
        int last = -1;
        int left = length;
        while (left > 0)
        {
            if (_start == _end)
            {
                if (_endOfStream) throw Truncated(length, length - left);
                await FillAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            int take = Math.Min(left, _end - _start);
            last = _buffer[_start + take - 1];
            Consume(take);
            left -= take;
        }
        return last;
    }

    private async ValueTask SkipTrailerAsync(CardParser.Trailer trailer, int lastPayloadByte, CancellationToken cancellationToken)
    {
        if (trailer == CardParser.Trailer.None) return;
        if (_start == _end && !_endOfStream) await FillAsync(cancellationToken).ConfigureAwait(false);
        if (_start == _end) return;
        // cfile: stock adds a newline only when the payload does not end with one.
        // config: stock skips exactly one byte, whatever it is.
        bool skip = trailer == CardParser.Trailer.AnyOneByte
            || (lastPayloadByte != '\n' && _buffer[_start] == '\n');
        if (skip) Consume(1);
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, _limits.MaxLineLength + ChunkSize));
        int read = await ReadStreamAsync(_buffer.AsMemory(_end), 1, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _endOfStream = true;
            CheckZlibEnd();
        }
        _end += read;
    }

    private async ValueTask<int> ReadStreamAsync(Memory<byte> into, int atLeast, CancellationToken cancellationToken)
    {
        try
        {
            return await _stream!.ReadAtLeastAsync(into, atLeast, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException && _zlibInput is { InnerFailed: false })
        {
            // The inflater's own errors (InvalidDataException, or its internal ZLibException for a
            // header it cannot take, such as a preset dictionary). A broken connection below it
            // stays what it is: a transport failure.
            throw new CorruptContentException("compressed message is not a valid zlib stream: " + ex.Message, ex);
        }
    }

    private void Consume(int count)
    {
        Count(_buffer.AsSpan(_start, count));
        _start += count;
    }

    private void Count(ReadOnlySpan<byte> bytes)
    {
        foreach (var hash in _afterLogins) hash.AppendData(bytes);
        _consumed += bytes.Length;
        if (_consumed > _limits.MaxMessageSize) throw new CorruptContentException($"message is larger than the limit of {_limits.MaxMessageSize} bytes.");
        if (_declaredSize >= 0 && _consumed > _declaredSize) throw new CorruptContentException($"message inflates to more than its declared {_declaredSize} bytes.");
    }

    private void CheckZlibEnd()
    {
        if (_zlibInput is { ReadPastEnd: true }) throw new CorruptContentException("compressed message is truncated: the zlib stream ends early.");
    }

    private XferCard? Finish()
    {
        CheckZlibEnd();
        return null;
    }

    private XferFormatException Truncated(int length, int have) =>
        new(LineNumber, $"(payload of line {LineNumber})", $"the message ends after {have} of the {length} payload bytes");
}
