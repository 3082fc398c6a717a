using System.Buffers;

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
        int bucketCount = landmark.Length;
        collide.Fill(-1);
        landmark.Fill(-1);
        // Stock stops one block short: a block starting exactly at length-16 is not indexed.
        for (int i = 0; i < source.Length - BlockSize; i += BlockSize)
        {
            int bucket = (int)(HashOnce(source.Slice(i, BlockSize)) % (uint)bucketCount);
            collide[i / BlockSize] = landmark[bucket];
            landmark[bucket] = i / BlockSize;
        }

        byte[] window = new byte[BlockSize];
        int baseOffset = 0;
        while (baseOffset + BlockSize < target.Length)
        {
            var hash = new RollingHash(target.Slice(baseOffset, BlockSize), window);
            int i = 0;
            while (true)
            {
                int bestCount = 0, bestOffset = 0, bestLiteral = 0;
                int limit = CandidateLimit;
                for (int block = landmark[(int)(hash.Value % (uint)bucketCount)]; block >= 0 && limit-- > 0; block = collide[block])
                {
                    int sourceStart = block * BlockSize;
                    int y = baseOffset + i;
                    int forwardEnd = source.Length - sourceStart <= target.Length - y ? source.Length : sourceStart + target.Length - y;
                    int x = sourceStart;
                    while (x < forwardEnd && source[x] == target[y]) { x++; y++; }
                    int forward = x - sourceStart - 1;
                    int backward = 1;
                    while (backward < sourceStart && backward <= i && source[sourceStart - backward] == target[baseOffset + i - backward]) backward++;
                    backward--;

                    int offset = sourceStart - backward;
                    int count = forward + backward + 1;
                    int literal = i - backward;
                    int cost = DeltaFormat.DigitCount((uint)literal) + DeltaFormat.DigitCount((uint)count) + DeltaFormat.DigitCount((uint)offset) + 3;
                    if (count >= cost && count > bestCount)
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
                hash.Roll(target[baseOffset + i + BlockSize]);
                i++;
            }
        }
        if (baseOffset < target.Length) writer.Insert(target[baseOffset..]);
    }

    private static uint HashOnce(ReadOnlySpan<byte> block)
    {
        ushort a = Signed(block[0]), b = a;
        for (int i = 1; i < BlockSize; i++)
        {
            a += Signed(block[i]);
            b += a;
        }
        return a | ((uint)b << 16);
    }

    // C's char is signed on the platforms fossil is built for; widen as it does.
    private static ushort Signed(byte b) => (ushort)(sbyte)b;

    private struct RollingHash
    {
        private readonly byte[] _window;
        private ushort _a, _b;
        private int _next;

        public RollingHash(ReadOnlySpan<byte> block, byte[] window)
        {
            _window = window;
            block.CopyTo(_window);
            _a = _b = Signed(block[0]);
            for (int i = 1; i < BlockSize; i++)
            {
                _a += Signed(block[i]);
                _b += _a;
            }
        }

        public readonly uint Value => _a | ((uint)_b << 16);

        public void Roll(byte incoming)
        {
            ushort old = Signed(_window[_next]);
            _window[_next] = incoming;
            _next = (_next + 1) & (BlockSize - 1);
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
