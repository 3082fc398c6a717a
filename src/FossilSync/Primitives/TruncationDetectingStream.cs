namespace FossilSync.Primitives;

/// <summary>
/// Passes reads through to another stream and records whether a reader asked for bytes after
/// its end: an inflater that does so was given a truncated zlib stream (which .NET's
/// ZLibStream otherwise reports as a clean end of data).
/// </summary>
internal sealed class TruncationDetectingStream(Stream inner) : Stream
{
    /// <summary>True once a read found no bytes left.</summary>
    public bool ReadPastEnd { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>
    /// True once a read of the inner stream threw: an error seen above this stream then came from
    /// below it (a broken connection), not from the inflater reading it.
    /// </summary>
    public bool InnerFailed { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return Note(inner.Read(buffer), buffer.Length);
        }
        catch
        {
            InnerFailed = true;
            throw;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return Note(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false), buffer.Length);
        }
        catch
        {
            InnerFailed = true;
            throw;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Note(int read, int asked)
    {
        if (read == 0 && asked > 0) ReadPastEnd = true;
        return read;
    }
}
