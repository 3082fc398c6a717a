using System.Buffers;
using System.Runtime.Intrinsics;

namespace FossilSync.Primitives;

/// <summary>
/// Makes deltas byte-for-byte as fossil 2.21's <c>delta_create</c> does, so that what we store
/// and send is exactly what stock fossil would.
/// </summary>
/// <remarks>
/// The source is indexed by a rolling hash of each 16-byte block; the target is scanned with
/// the same rolling hash, and each candidate block is extended forwards and backwards. A copy
/// is emitted only when it is shorter to encode than the bytes it replaces. Fossil hashes
/// bytes as C's signed <c>char</c>, so bytes above 0x7F count as negative here too.
/// The worst-case output buffer and the two index tables scale with the texts (a 4 MB file
/// needs about 6 MB of them) yet live only for one call, so they are rented from the shared
/// pools; only the finished delta, copied out at its exact length, leaves the call.
/// </remarks>
internal static class DeltaEncoder
{
    private const int BlockSize = 16;

    // Candidates examined per hash bucket; bounds the work on highly repetitive sources.
    private const int CandidateLimit = 250;

    /// <summary>Largest delta <see cref="Create"/> can produce for a target of <paramref name="targetLength"/> bytes.</summary>
    public static int MaxDeltaLength(int targetLength) => targetLength + 3 * DeltaFormat.MaxIntegerDigits + 8;

    public static byte[] Create(ReadOnlySpan<byte> source, ReadOnlySpan<byte> target)
    {
        int capacity = MaxDeltaLength(target.Length);
        byte[] output = ArrayPool<byte>.Shared.Rent(capacity);
        try
        {
            var writer = new Writer(output.AsSpan(0, capacity));
            writer.Integer((uint)target.Length);
            writer.Byte((byte)'\n');

            if (source.Length <= BlockSize)
            {
                writer.Insert(target);
            }
            else
            {
                EncodeAgainst(source, target, ref writer);
            }
            writer.Integer(DeltaFormat.Checksum(target));
            writer.Byte((byte)';');
            return output.AsSpan(0, writer.Length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    private static void EncodeAgainst(ReadOnlySpan<byte> source, ReadOnlySpan<byte> target, ref Writer writer)
    {
        int bucketCount = source.Length / BlockSize;
        int[] collideArray = ArrayPool<int>.Shared.Rent(bucketCount);
        int[] landmarkArray = ArrayPool<int>.Shared.Rent(bucketCount);
        try
        {
            Encode(source, target, collideArray.AsSpan(0, bucketCount), landmarkArray.AsSpan(0, bucketCount), ref writer);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(landmarkArray);
            ArrayPool<int>.Shared.Return(collideArray);
        }
    }

    // collide[block] chains earlier blocks with the same bucket; landmark[bucket] is the newest.
    // Both are filled here: rented tables hold whatever the last caller left.
    private static void Encode(ReadOnlySpan<byte> source, ReadOnlySpan<byte> target, Span<int> collide, Span<int> landmark, ref Writer writer)
    {
        var bucketOf = new FastModulo(landmark.Length);
        collide.Fill(-1);
        landmark.Fill(-1);
        // Stock stops one block short: a block starting exactly at length-16 is not indexed.
        for (int i = 0; i < source.Length - BlockSize; i += BlockSize)
        {
            int bucket = (int)bucketOf.Of(HashOnce(source.Slice(i, BlockSize)));
            collide[i / BlockSize] = landmark[bucket];
            landmark[bucket] = i / BlockSize;
        }

        int baseOffset = 0;
        while (baseOffset + BlockSize < target.Length)
        {
            var hash = new RollingHash(target.Slice(baseOffset, BlockSize));
            int i = 0;
            while (true)
            {
                int bestCount = 0, bestOffset = 0, bestLiteral = 0;
                int limit = CandidateLimit;
                for (int block = landmark[(int)bucketOf.Of(hash.Value)]; block >= 0 && limit-- > 0; block = collide[block])
                {
                    int sourceStart = block * BlockSize;
                    int y = baseOffset + i;
                    int reach = Math.Min(source.Length - sourceStart, target.Length - y);
                    int forward = source.Slice(sourceStart, reach).CommonPrefixLength(target.Slice(y, reach)) - 1;
                    int backward = 1;
                    while (backward < sourceStart && backward <= i && source[sourceStart - backward] == target[baseOffset + i - backward]) backward++;
                    backward--;

                    // Only a longer match than the best so far is priced: most candidates are not.
                    int count = forward + backward + 1;
                    if (count <= bestCount) continue;
                    int offset = sourceStart - backward;
                    int literal = i - backward;
                    int cost = DeltaFormat.DigitCount((uint)literal) + DeltaFormat.DigitCount((uint)count) + DeltaFormat.DigitCount((uint)offset) + 3;
                    if (count >= cost)
                    {
                        bestCount = count;
                        bestOffset = offset;
                        bestLiteral = literal;
                    }
                }

                if (bestCount > 0)
                {
                    if (bestLiteral > 0)
                    {
                        writer.Insert(target.Slice(baseOffset, bestLiteral));
                        baseOffset += bestLiteral;
                    }
                    baseOffset += bestCount;
                    writer.Copy((uint)bestCount, (uint)bestOffset);
                    break;
                }
                if (baseOffset + i + BlockSize >= target.Length)
                {
                    writer.Insert(target[baseOffset..]);
                    baseOffset = target.Length;
                    break;
                }
                hash.Roll(target[baseOffset + i], target[baseOffset + i + BlockSize]);
                i++;
            }
        }
        if (baseOffset < target.Length) writer.Insert(target[baseOffset..]);
    }

    // The hash of a whole block: a is the sum of its sixteen (signed) bytes and b the sum of each
    // byte times its distance from the block's end, which is what a chain of 16 rolling adds
    // comes to (all modulo 2^16), computed without the chain.
    private static uint HashOnce(ReadOnlySpan<byte> block)
    {
        var (first, last) = Vector128.Widen(Vector128.Create(block[..BlockSize]).AsSByte());
        short a = Vector128.Sum(first + last);
        short b = Vector128.Sum(first * Vector128.Create((short)16, 15, 14, 13, 12, 11, 10, 9) + last * Vector128.Create((short)8, 7, 6, 5, 4, 3, 2, 1));
        return (ushort)a | ((uint)(ushort)b << 16);
    }

    // C's char is signed on the platforms fossil is built for; widen as it does.
    private static ushort Signed(byte b) => (ushort)(sbyte)b;

    // The hash of the 16 target bytes ending at the scan's position, moved one byte at a time.
    private struct RollingHash
    {
        private ushort _a, _b;

        public RollingHash(ReadOnlySpan<byte> block)
        {
            uint value = HashOnce(block);
            _a = (ushort)value;
            _b = (ushort)(value >> 16);
        }

        public readonly uint Value => _a | ((uint)_b << 16);

        public void Roll(byte outgoing, byte incoming)
        {
            ushort old = Signed(outgoing);
            _a = (ushort)(_a - old + Signed(incoming));
            _b = (ushort)(_b - BlockSize * old + _a);
        }
    }

    private ref struct Writer(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;

        public int Length { get; private set; }

        public void Byte(byte b) => _buffer[Length++] = b;

        public void Integer(uint value) => Length += DeltaFormat.WriteInteger(value, _buffer[Length..]);

        public void Insert(ReadOnlySpan<byte> literal)
        {
            Integer((uint)literal.Length);
            Byte((byte)':');
            literal.CopyTo(_buffer[Length..]);
            Length += literal.Length;
        }

        public void Copy(uint count, uint offset)
        {
            Integer(count);
            Byte((byte)'@');
            Integer(offset);
            Byte((byte)',');
        }
    }
}
