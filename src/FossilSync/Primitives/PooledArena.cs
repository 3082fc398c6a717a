using System.Buffers;

namespace FossilSync.Primitives;

/// <summary>
/// Many byte strings copied one after another into a few pooled chunks of native memory
/// (<see cref="NativeChunk"/>), for data that lives exactly as long as one job (a clone page's
/// stored artifacts, until the reply is written): no array per string for the collector to
/// zero, promote and copy, and the same memory again for the next job. Everything it handed
/// out is invalid once it is disposed.
/// </summary>
internal sealed class PooledArena : IDisposable
{
    private const int ChunkBytes = NativeChunk.Bytes;

    private readonly List<NativeChunk> _chunks = [];
    private readonly List<byte[]> _own = [];
    private NativeChunk? _current;
    private int _used;
    private bool _disposed;

    /// <summary>A copy of <paramref name="data"/> that stays valid until the arena is disposed.</summary>
    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (data.Length > ChunkBytes / 4)
        {
            // A large one gets an array of its own, so the chunk in use keeps its room.
            byte[] own = ArrayPool<byte>.Shared.Rent(data.Length);
            _own.Add(own);
            data.CopyTo(own);
            return own.AsMemory(0, data.Length);
        }
        if (_current is null || ChunkBytes - _used < data.Length)
        {
            _current = NativeChunk.Rent();
            _chunks.Add(_current);
            _used = 0;
        }
        var into = _current.Memory.Slice(_used, data.Length);
        data.CopyTo(into.Span);
        _used += data.Length;
        return into;
    }

    /// <summary>Gives every chunk and array back to its pool.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var chunk in _chunks) chunk.Return();
        foreach (byte[] own in _own) ArrayPool<byte>.Shared.Return(own);
        _chunks.Clear();
        _own.Clear();
        _current = null;
    }
}
