using System.Buffers;

namespace FossilSync.Primitives;

/// <summary>
/// Many byte strings copied one after another into a few large pooled arrays, for data that
/// lives exactly as long as one job (a clone page's stored artifacts, until the reply is
/// written): no array per string for the collector to zero, promote and copy, and the same
/// memory again for the next job. Everything it handed out is invalid once it is disposed.
/// </summary>
internal sealed class PooledArena : IDisposable
{
    private const int ChunkBytes = 1024 * 1024;

    private readonly List<byte[]> _rented = [];
    private byte[]? _current;
    private int _used;
    private bool _disposed;

    /// <summary>A copy of <paramref name="data"/> that stays valid until the arena is disposed.</summary>
    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (data.Length > ChunkBytes / 4)
        {
            // A large one gets an array of its own, so the chunk in use keeps its room.
            byte[] own = Rent(data.Length);
            data.CopyTo(own);
            return own.AsMemory(0, data.Length);
        }
        if (_current is null || ChunkBytes - _used < data.Length)
        {
            _current = Rent(ChunkBytes);
            _used = 0;
        }
        var into = _current.AsMemory(_used, data.Length);
        data.CopyTo(into.Span);
        _used += data.Length;
        return into;
    }

    private byte[] Rent(int length)
    {
        byte[] array = ArrayPool<byte>.Shared.Rent(length);
        _rented.Add(array);
        return array;
    }

    /// <summary>Gives every array back to the pool.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (byte[] array in _rented) ArrayPool<byte>.Shared.Return(array);
        _rented.Clear();
        _current = null;
    }
}
