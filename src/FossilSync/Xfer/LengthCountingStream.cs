namespace FossilSync.Xfer;

/// <summary>
/// A write-only stream that keeps nothing and counts what it is given: a message is written to
/// it once to learn its length, then into an array of exactly that length (or, sent as it is
/// encoded, after a Content-Length that must be known first). A reply of
/// megabytes written into a growing stream instead was copied at each doubling, once more
/// into the result, and page-faulted fresh arrays all the way (most of a clone server's CPU).
/// </summary>
internal sealed class LengthCountingStream : Stream
{
    private long _length;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => _length += count;

    public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

    public override void WriteByte(byte value) => _length++;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
