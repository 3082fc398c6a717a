using System.Buffers;

namespace FossilSync.Primitives;

/// <summary>
/// A delta's target in an array rented from the shared pool (<see cref="FossilDelta.ApplyRented"/>),
/// for a caller that only reads it, to hash or compare it: disposing gives the array back.
/// </summary>
internal readonly struct RentedTarget(byte[] array, int length) : IDisposable
{
    /// <summary>The target; invalid once disposed.</summary>
    public ReadOnlySpan<byte> Span => array.AsSpan(0, length);

    public void Dispose() => ArrayPool<byte>.Shared.Return(array);
}
