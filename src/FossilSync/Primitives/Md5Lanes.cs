using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FossilSync.Primitives;

/// <summary>
/// MD5 of sixteen messages at once, one per 32-bit lane of AVX-512 registers: what a rebuild
/// or clone needs to check the Z card of every manifest (gigabytes of text in a long history).
/// Without AVX-512 the same code runs on emulated vectors: right, but slower than one message
/// at a time (<see cref="IsAccelerated"/>).
/// </summary>
internal sealed class Md5Lanes<TTag> : LaneHasher<TTag>
{
    private const int Lanes = 16;
    private const int BlockSize = 64;

    private readonly Vector512<uint>[] _state = new Vector512<uint>[4];
    // _rows[lane] holds that lane's current block; Compress turns them into words across lanes.
    private readonly Vector512<uint>[] _rows = new Vector512<uint>[Lanes];

    public Md5Lanes() : base(Lanes, BlockSize, 16)
    {
    }

    /// <summary>True when this machine (and this build) runs the lanes in hardware, so they beat one message at a time.</summary>
    public static bool IsAccelerated => Avx512F.IsSupported;

    protected override void ResetLane(int lane)
    {
        var words = MemoryMarshal.Cast<Vector512<uint>, uint>(_state.AsSpan());
        words[lane] = 0x67452301;
        words[Lanes + lane] = 0xefcdab89;
        words[(2 * Lanes) + lane] = 0x98badcfe;
        words[(3 * Lanes) + lane] = 0x10325476;
    }

    protected override void LoadBlock(int lane, ReadOnlySpan<byte> block)
    {
        if (BitConverter.IsLittleEndian)
        {
            _rows[lane] = Vector512.Create(block).AsUInt32();
            return;
        }
        var row = MemoryMarshal.Cast<Vector512<uint>, uint>(_rows.AsSpan(lane, 1));
        for (int i = 0; i < 16; i++) row[i] = BinaryPrimitives.ReadUInt32LittleEndian(block[(i * 4)..]);
    }

    protected override void Compress()
    {
        // Words across lanes from a block per lane: a 16 x 16 transpose in registers. (Writing
        // each word into its lane's place one by one cost as much as the compression, as the
        // vector reads that follow wait for the narrow writes.)
        Span<Vector512<uint>> words = stackalloc Vector512<uint>[16];
        LaneTranspose.Transpose16(_rows, words);
        Compress(_state, words);
    }

    protected override void ReadDigest(int lane, Span<byte> digest)
    {
        var words = MemoryMarshal.Cast<Vector512<uint>, uint>(_state.AsSpan());
        for (int i = 0; i < 4; i++) BinaryPrimitives.WriteUInt32LittleEndian(digest[(i * 4)..], words[(i * Lanes) + lane]);
    }

    protected override int WritePadding(Span<byte> tail, int rest, long messageLength)
    {
        // A 1 bit, zeros, then the length in bits: one block if that fits, else two.
        tail[rest] = 0x80;
        int length = rest + 9 <= BlockSize ? BlockSize : 2 * BlockSize;
        BinaryPrimitives.WriteUInt64LittleEndian(tail[(length - 8)..], (ulong)messageLength * 8);
        return length;
    }

    // One step of each round: a = b + ((a + f(b, c, d) + m + k) <<< s), where f is a truth
    // table of three inputs, one instruction with AVX-512: F = b ? c : d, G = d ? b : c,
    // H = b ^ c ^ d, I = c ^ (b | ~d).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> StepF(Vector512<uint> a, Vector512<uint> b, Vector512<uint> c, Vector512<uint> d, Vector512<uint> m, uint k, [ConstantExpected] byte s) =>
        b + Rol(a + (Avx512F.IsSupported ? Avx512F.TernaryLogic(b, c, d, 0xCA) : Vector512.ConditionalSelect(b, c, d)) + m + Vector512.Create(k), s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> StepG(Vector512<uint> a, Vector512<uint> b, Vector512<uint> c, Vector512<uint> d, Vector512<uint> m, uint k, [ConstantExpected] byte s) =>
        b + Rol(a + (Avx512F.IsSupported ? Avx512F.TernaryLogic(b, c, d, 0xE4) : Vector512.ConditionalSelect(d, b, c)) + m + Vector512.Create(k), s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> StepH(Vector512<uint> a, Vector512<uint> b, Vector512<uint> c, Vector512<uint> d, Vector512<uint> m, uint k, [ConstantExpected] byte s) =>
        b + Rol(a + (Avx512F.IsSupported ? Avx512F.TernaryLogic(b, c, d, 0x96) : b ^ c ^ d) + m + Vector512.Create(k), s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> StepI(Vector512<uint> a, Vector512<uint> b, Vector512<uint> c, Vector512<uint> d, Vector512<uint> m, uint k, [ConstantExpected] byte s) =>
        b + Rol(a + (Avx512F.IsSupported ? Avx512F.TernaryLogic(b, c, d, 0x39) : c ^ (b | ~d)) + m + Vector512.Create(k), s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Rol(Vector512<uint> x, [ConstantExpected] byte n) =>
        Avx512F.IsSupported ? Avx512F.RotateLeft(x, n) : (x << n) | (x >>> (32 - n));

    /// <summary>The MD5 compression function on every lane; the four state words rotate roles each step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Compress(Span<Vector512<uint>> state, ReadOnlySpan<Vector512<uint>> m)
    {
        var a = state[0];
        var b = state[1];
        var c = state[2];
        var d = state[3];
        _ = m[15];
        a = StepF(a, b, c, d, m[0], 0xD76AA478u, 7);
        d = StepF(d, a, b, c, m[1], 0xE8C7B756u, 12);
        c = StepF(c, d, a, b, m[2], 0x242070DBu, 17);
        b = StepF(b, c, d, a, m[3], 0xC1BDCEEEu, 22);
        a = StepF(a, b, c, d, m[4], 0xF57C0FAFu, 7);
        d = StepF(d, a, b, c, m[5], 0x4787C62Au, 12);
        c = StepF(c, d, a, b, m[6], 0xA8304613u, 17);
        b = StepF(b, c, d, a, m[7], 0xFD469501u, 22);
        a = StepF(a, b, c, d, m[8], 0x698098D8u, 7);
        d = StepF(d, a, b, c, m[9], 0x8B44F7AFu, 12);
        c = StepF(c, d, a, b, m[10], 0xFFFF5BB1u, 17);
        b = StepF(b, c, d, a, m[11], 0x895CD7BEu, 22);
        a = StepF(a, b, c, d, m[12], 0x6B901122u, 7);
        d = StepF(d, a, b, c, m[13], 0xFD987193u, 12);
        c = StepF(c, d, a, b, m[14], 0xA679438Eu, 17);
        b = StepF(b, c, d, a, m[15], 0x49B40821u, 22);
        a = StepG(a, b, c, d, m[1], 0xF61E2562u, 5);
        d = StepG(d, a, b, c, m[6], 0xC040B340u, 9);
        c = StepG(c, d, a, b, m[11], 0x265E5A51u, 14);
        b = StepG(b, c, d, a, m[0], 0xE9B6C7AAu, 20);
        a = StepG(a, b, c, d, m[5], 0xD62F105Du, 5);
        d = StepG(d, a, b, c, m[10], 0x02441453u, 9);
        c = StepG(c, d, a, b, m[15], 0xD8A1E681u, 14);
        b = StepG(b, c, d, a, m[4], 0xE7D3FBC8u, 20);
        a = StepG(a, b, c, d, m[9], 0x21E1CDE6u, 5);
        d = StepG(d, a, b, c, m[14], 0xC33707D6u, 9);
        c = StepG(c, d, a, b, m[3], 0xF4D50D87u, 14);
        b = StepG(b, c, d, a, m[8], 0x455A14EDu, 20);
        a = StepG(a, b, c, d, m[13], 0xA9E3E905u, 5);
        d = StepG(d, a, b, c, m[2], 0xFCEFA3F8u, 9);
        c = StepG(c, d, a, b, m[7], 0x676F02D9u, 14);
        b = StepG(b, c, d, a, m[12], 0x8D2A4C8Au, 20);
        a = StepH(a, b, c, d, m[5], 0xFFFA3942u, 4);
        d = StepH(d, a, b, c, m[8], 0x8771F681u, 11);
        c = StepH(c, d, a, b, m[11], 0x6D9D6122u, 16);
        b = StepH(b, c, d, a, m[14], 0xFDE5380Cu, 23);
        a = StepH(a, b, c, d, m[1], 0xA4BEEA44u, 4);
        d = StepH(d, a, b, c, m[4], 0x4BDECFA9u, 11);
        c = StepH(c, d, a, b, m[7], 0xF6BB4B60u, 16);
        b = StepH(b, c, d, a, m[10], 0xBEBFBC70u, 23);
        a = StepH(a, b, c, d, m[13], 0x289B7EC6u, 4);
        d = StepH(d, a, b, c, m[0], 0xEAA127FAu, 11);
        c = StepH(c, d, a, b, m[3], 0xD4EF3085u, 16);
        b = StepH(b, c, d, a, m[6], 0x04881D05u, 23);
        a = StepH(a, b, c, d, m[9], 0xD9D4D039u, 4);
        d = StepH(d, a, b, c, m[12], 0xE6DB99E5u, 11);
        c = StepH(c, d, a, b, m[15], 0x1FA27CF8u, 16);
        b = StepH(b, c, d, a, m[2], 0xC4AC5665u, 23);
        a = StepI(a, b, c, d, m[0], 0xF4292244u, 6);
        d = StepI(d, a, b, c, m[7], 0x432AFF97u, 10);
        c = StepI(c, d, a, b, m[14], 0xAB9423A7u, 15);
        b = StepI(b, c, d, a, m[5], 0xFC93A039u, 21);
        a = StepI(a, b, c, d, m[12], 0x655B59C3u, 6);
        d = StepI(d, a, b, c, m[3], 0x8F0CCC92u, 10);
        c = StepI(c, d, a, b, m[10], 0xFFEFF47Du, 15);
        b = StepI(b, c, d, a, m[1], 0x85845DD1u, 21);
        a = StepI(a, b, c, d, m[8], 0x6FA87E4Fu, 6);
        d = StepI(d, a, b, c, m[15], 0xFE2CE6E0u, 10);
        c = StepI(c, d, a, b, m[6], 0xA3014314u, 15);
        b = StepI(b, c, d, a, m[13], 0x4E0811A1u, 21);
        a = StepI(a, b, c, d, m[4], 0xF7537E82u, 6);
        d = StepI(d, a, b, c, m[11], 0xBD3AF235u, 10);
        c = StepI(c, d, a, b, m[2], 0x2AD7D2BBu, 15);
        b = StepI(b, c, d, a, m[9], 0xEB86D391u, 21);
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
    }
}
