using System.Buffers;

namespace FossilSync.Primitives;

/// <summary>
/// Fossil's delta format: a target described as copies from a source and literal inserts,
/// ending with a checksum of the target. Stored content and <c>file</c>/<c>cfile</c> cards
/// use it.
/// </summary>
/// <remarks>
/// <see cref="Create"/> produces exactly the bytes fossil 2.21 produces. <see cref="Apply(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>
/// is stricter than stock: every integer is bounded, every range checked, and the checksum
/// verified (the Debian build of stock fossil skips it), so a damaged delta is an error,
/// never wrong content.
/// </remarks>
public static class FossilDelta
{
    /// <summary>Creates a delta that turns <paramref name="source"/> into <paramref name="target"/>.</summary>
    public static byte[] Create(ReadOnlySpan<byte> source, ReadOnlySpan<byte> target) => DeltaEncoder.Create(source, target);

    /// <summary>The length of the content a delta produces, read from its header.</summary>
    /// <exception cref="CorruptContentException">The header is not an integer followed by a newline.</exception>
    public static int GetTargetLength(ReadOnlySpan<byte> delta)
    {
        int position = 0;
        if (!DeltaFormat.TryReadInteger(delta, ref position, out uint length) || position >= delta.Length || delta[position] != '\n')
        {
            throw Corrupt("the target size is not an integer followed by a newline", 0);
        }
        if (length > int.MaxValue) throw Corrupt($"the target size {length} is too large", 0);
        return (int)length;
    }

    /// <summary>Applies <paramref name="delta"/> to <paramref name="source"/> and returns the target.</summary>
    /// <exception cref="CorruptContentException">The delta is malformed, does not fit the source, or fails its checksum.</exception>
    public static byte[] Apply(ReadOnlySpan<byte> source, ReadOnlySpan<byte> delta) => Apply(source, delta, verifyChecksum: true);

    /// <summary>
    /// Applies <paramref name="delta"/>; without <paramref name="verifyChecksum"/> the final
    /// checksum is not computed, for a caller that checks the result against its name anyway.
    /// </summary>
    /// <exception cref="CorruptContentException">The delta is malformed, does not fit the source, or fails its checksum.</exception>
    public static byte[] Apply(ReadOnlySpan<byte> source, ReadOnlySpan<byte> delta, bool verifyChecksum)
    {
        int length = GetCheckedTargetLength(source, delta);
        // Every byte is written before the array gets out: no need to zero it first.
        var target = GC.AllocateUninitializedArray<byte>(length);
        Run(source, delta, target, length, verifyChecksum, write: true);
        return target;
    }

    /// <summary>
    /// Applies <paramref name="delta"/> into an array rented from the shared pool, for a caller
    /// that only reads the target and disposes it right after: a check of a version of a file of
    /// megabytes otherwise costs a large object.
    /// </summary>
    /// <exception cref="CorruptContentException">The delta is malformed, does not fit the source, or fails its checksum.</exception>
    internal static RentedTarget ApplyRented(ReadOnlySpan<byte> source, ReadOnlySpan<byte> delta)
    {
        int length = GetCheckedTargetLength(source, delta);
        byte[] array = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Apply(source, delta, array.AsSpan(0, length));
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(array);
            throw;
        }
        return new RentedTarget(array, length);
    }

    /// <summary>
    /// The target length, safe to allocate: a target larger than source and delta together can
    /// only come from repeated copies, and the header alone may claim up to 2 GiB, so the
    /// commands are walked first and a few bytes that merely declare a large target cost an
    /// exception, not the allocation.
    /// </summary>
    /// <exception cref="CorruptContentException">The header is malformed, or the commands do not produce that length.</exception>
    internal static int GetCheckedTargetLength(ReadOnlySpan<byte> source, ReadOnlySpan<byte> delta)
    {
        int length = GetTargetLength(delta);
        if (length > (long)source.Length + delta.Length) Run(source, delta, Span<byte>.Empty, length, verifyChecksum: false, write: false);
        return length;
    }

    /// <summary>
    /// Applies <paramref name="delta"/> to <paramref name="source"/>, writing the target into
    /// <paramref name="destination"/>, which must be exactly <see cref="GetTargetLength"/> bytes.
    /// </summary>
    /// <exception cref="CorruptContentException">The delta is malformed, does not fit the source, or fails its checksum.</exception>
    public static void Apply(ReadOnlySpan<byte> source, ReadOnlySpan<byte> delta, Span<byte> destination) =>
        Apply(source, delta, destination, verifyChecksum: true);

    /// <summary>
    /// Applies <paramref name="delta"/> into <paramref name="destination"/> (exactly the target's
    /// length); without <paramref name="verifyChecksum"/> as in <see cref="Apply(ReadOnlySpan{byte}, ReadOnlySpan{byte}, bool)"/>.
    /// </summary>
    internal static void Apply(ReadOnlySpan<byte> source, ReadOnlySpan<byte> delta, Span<byte> destination, bool verifyChecksum)
    {
        int expected = GetTargetLength(delta);
        if (destination.Length != expected)
        {
            throw new ArgumentException($"destination has {destination.Length} bytes; the delta produces {expected}.", nameof(destination));
        }
        Run(source, delta, destination, expected, verifyChecksum, write: true);
    }

    // Executes the commands after the header. Without write nothing is copied and the checksum
    // is not computed: only the syntax, the ranges and the total length are checked.
    private static void Run(ReadOnlySpan<byte> source, ReadOnlySpan<byte> delta, Span<byte> destination, int expected, bool verifyChecksum, bool write)
    {
        int position = delta.IndexOf((byte)'\n') + 1;
        int total = 0;
        while (position < delta.Length)
        {
            int commandAt = position;
            if (!DeltaFormat.TryReadInteger(delta, ref position, out uint count) || position >= delta.Length)
            {
                throw Corrupt("expected a count", commandAt);
            }
            byte op = delta[position++];
            switch (op)
            {
                case (byte)'@':
                {
                    if (!DeltaFormat.TryReadInteger(delta, ref position, out uint offset) || position >= delta.Length || delta[position] != ',')
                    {
                        throw Corrupt("a copy command's offset is not an integer followed by ','", commandAt);
                    }
                    position++;
                    if (count > (uint)(expected - total)) throw Corrupt($"copying {count} bytes exceeds the target size {expected}", commandAt);
                    if ((ulong)offset + count > (ulong)source.Length)
                    {
                        throw Corrupt($"copy of {count} bytes at {offset} extends past the end of the {source.Length}-byte source", commandAt);
                    }
                    if (write) source.Slice((int)offset, (int)count).CopyTo(destination[total..]);
                    total += (int)count;
                    break;
                }
                case (byte)':':
                {
                    if (count > (uint)(expected - total)) throw Corrupt($"inserting {count} bytes exceeds the target size {expected}", commandAt);
                    if (count > (uint)(delta.Length - position)) throw Corrupt($"insert of {count} bytes runs past the end of the delta", commandAt);
                    if (write) delta.Slice(position, (int)count).CopyTo(destination[total..]);
                    position += (int)count;
                    total += (int)count;
                    break;
                }
                case (byte)';':
                {
                    if (total != expected) throw Corrupt($"the delta produced {total} bytes but declared {expected}", commandAt);
                    if (!write) return;
                    uint actual = verifyChecksum ? DeltaFormat.Checksum(destination) : count;
                    if (count != actual) throw Corrupt($"checksum mismatch: the delta says {count}, the result sums to {actual}", commandAt);
                    if (position != delta.Length) throw Corrupt("bytes follow the final ';'", position);
                    return;
                }
                default:
                    throw Corrupt($"unknown command byte 0x{op:x2}", position - 1);
            }
        }
        throw Corrupt("the delta ends without its ';' checksum", delta.Length);
    }

    private static CorruptContentException Corrupt(string problem, int offset) =>
        new($"invalid delta at byte {offset}: {problem}.");
}
