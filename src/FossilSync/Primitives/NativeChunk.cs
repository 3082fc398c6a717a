using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace FossilSync.Primitives;

/// <summary>
/// A megabyte of native memory lent out as <see cref="Memory{T}"/>, for bytes whose life is
/// known to the moment (a clone page's artifacts, from the read until the reply is written):
/// the collector neither counts them towards its next collection nor copies them while they
/// live, as it did with pooled arrays when many pages were in flight at once. Returned chunks
/// are kept for the next job, up to a bound.
/// </summary>
internal sealed unsafe class NativeChunk : MemoryManager<byte>
{
    /// <summary>A chunk's size in bytes.</summary>
    public const int Bytes = 1024 * 1024;

    private const int Kept = 32;
    private static readonly ConcurrentStack<NativeChunk> Idle = new();

    private byte* _pointer = (byte*)NativeMemory.Alloc(Bytes);

    private NativeChunk()
    {
    }

    /// <summary>A chunk, contents undefined: an idle one when there is one.</summary>
    public static NativeChunk Rent() => Idle.TryPop(out var chunk) ? chunk : new NativeChunk();

    /// <summary>Gives the chunk back: kept for the next <see cref="Rent"/> while fewer than the bound are idle, freed otherwise.</summary>
    public void Return()
    {
        if (Idle.Count < Kept) Idle.Push(this);
        else ((IDisposable)this).Dispose();
    }

    public override Span<byte> GetSpan() => new(_pointer, Bytes);

    public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (_pointer is null) return;
        NativeMemory.Free(_pointer);
        _pointer = null;
        GC.SuppressFinalize(this);
    }

    // A chunk dropped without being returned (a reply never written) is freed all the same. It
    // is unreachable only once its arena and every card that lends its memory are (CA2015).
#pragma warning disable CA2015
    ~NativeChunk() => Dispose(false);
#pragma warning restore CA2015
}
