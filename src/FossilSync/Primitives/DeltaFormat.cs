using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FossilSync.Primitives;

/// <summary>
/// The building blocks of Fossil's delta format: its base-64 integers and its checksum.
/// </summary>
internal static class DeltaFormat
{
    private const string Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~";

    // Value of each ASCII byte as a digit, or -1. Bytes above 0x7F are never digits (stock
    // masks them to 7 bits, which would accept garbage).
    private static readonly sbyte[] DigitValues = BuildDigitValues();

    /// <summary>Largest encoded integer: every length and offset is a 32-bit unsigned value.</summary>
    public const int MaxIntegerDigits = 6;

    /// <summary>Appends <paramref name="value"/> in base 64, most significant digit first.</summary>
    public static int WriteInteger(uint value, Span<byte> destination)
    {
        if (value == 0)
        {
            destination[0] = (byte)'0';
            return 1;
        }
        int count = DigitCount(value);
        for (int i = count - 1; i >= 0; i--, value >>= 6)
        {
            destination[i] = (byte)Digits[(int)(value & 0x3F)];
        }
        return count;
    }

    /// <summary>How many base-64 digits <paramref name="value"/> takes.</summary>
    public static int DigitCount(uint value) => BitOperations.Log2(value) / 6 + 1;

    /// <summary>
    /// Reads an integer at <paramref name="position"/>, advancing past its digits. False when
    /// there is no digit or the value does not fit in 32 bits.
    /// </summary>
    public static bool TryReadInteger(ReadOnlySpan<byte> delta, ref int position, out uint value)
    {
        value = 0;
        int start = position;
        while (position < delta.Length)
        {
            byte b = delta[position];
            int digit = b < 0x80 ? DigitValues[b] : -1;
            if (digit < 0) break;
            if (value > (uint.MaxValue >> 6)) return false;
            value = (value << 6) | (uint)digit;
            position++;
        }
        return position > start;
    }

    /// <summary>
    /// The delta checksum: the sum modulo 2³² of the content read as big-endian 32-bit words,
    /// a final partial word padded with zero bytes on the right.
    /// </summary>
    public static uint Checksum(ReadOnlySpan<byte> content)
    {
        uint sum = 0;
        int i = 0;
        if (Avx2.IsSupported && content.Length >= 128)
        {
            // One in-lane byte shuffle turns eight words big-endian at once.
            ref byte start = ref MemoryMarshal.GetReference(content);
            var swap = Vector256.Create((byte)3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
            var first = Vector256<uint>.Zero;
            var second = Vector256<uint>.Zero;
            for (; i + 64 <= content.Length; i += 64)
            {
                first += Avx2.Shuffle(Vector256.LoadUnsafe(ref start, (nuint)i), swap).AsUInt32();
                second += Avx2.Shuffle(Vector256.LoadUnsafe(ref start, (nuint)(i + 32)), swap).AsUInt32();
            }
            sum = Vector256.Sum(first + second);
        }
        else if (Vector128.IsHardwareAccelerated && BitConverter.IsLittleEndian && content.Length >= 64)
        {
            // Every manifest and file read back through a delta is summed: four words at a
            // time, each turned big-endian with shifts (a byte shuffle is not lowered to one
            // instruction on every target), then the lanes added (addition mod 2³² does not
            // care in which order the words are summed).
            ref byte start = ref MemoryMarshal.GetReference(content);
            var first = Vector128<uint>.Zero;
            var second = Vector128<uint>.Zero;
            for (; i + 32 <= content.Length; i += 32)
            {
                first += ToBigEndian(Vector128.LoadUnsafe(ref start, (nuint)i).AsUInt32());
                second += ToBigEndian(Vector128.LoadUnsafe(ref start, (nuint)(i + 16)).AsUInt32());
            }
            sum = Vector128.Sum(first + second);
        }
        int whole = content.Length & ~3;
        for (; i < whole; i += 4)
        {
            sum += BinaryPrimitives.ReadUInt32BigEndian(content.Slice(i, 4));
        }
        int rest = content.Length - whole;
        if (rest > 0) sum += (uint)content[whole] << 24;
        if (rest > 1) sum += (uint)content[whole + 1] << 16;
        if (rest > 2) sum += (uint)content[whole + 2] << 8;
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> ToBigEndian(Vector128<uint> x) =>
        (x << 24) | ((x & Vector128.Create(0xFF00u)) << 8) | ((x >>> 8) & Vector128.Create(0xFF00u)) | (x >>> 24);

    private static sbyte[] BuildDigitValues()
    {
        var values = new sbyte[128];
        Array.Fill(values, (sbyte)-1);
        for (int i = 0; i < Digits.Length; i++) values[Digits[i]] = (sbyte)i;
        return values;
    }
}
