using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FossilSync.Primitives;

/// <summary>
/// Eight Keccak-f[1600] states side by side: word i of every state lives in one AVX-512
/// register (one 64-bit lane per state), so one permutation advances all eight. The sponge's
/// rate and padding belong to the caller (<see cref="Sha3Lanes{TTag}"/>).
/// </summary>
/// <remarks>
/// Not generic on purpose: as a member of the generic hasher, a tag of reference type (what the
/// clone's checker uses) made .NET run one shared copy of the permutation that looked its round
/// constants up through the generic context every round, far slower than the specialized copy
/// the benchmarks measured.
/// </remarks>
internal sealed class KeccakLanes
{
    /// <summary>How many states are advanced side by side.</summary>
    public const int Lanes = 8;

    // _state[i] holds word i of the Keccak state for all eight lanes.
    private readonly Vector512<ulong>[] _state = new Vector512<ulong>[25];

    /// <summary>True when this machine (and this build) runs the lanes in hardware.</summary>
    public static bool IsAccelerated => Avx512F.IsSupported;

    private Span<ulong> Words => MemoryMarshal.Cast<Vector512<ulong>, ulong>(_state.AsSpan());

    /// <summary>Sets one state to all zeros, the sponge's start.</summary>
    public void Reset(int lane)
    {
        var words = Words;
        for (int i = 0; i < 25; i++) words[i * Lanes + lane] = 0;
    }

    /// <summary>XORs <paramref name="block"/> (a whole number of 64-bit words) into the first words of one state.</summary>
    public void Absorb(int lane, ReadOnlySpan<byte> block)
    {
        var words = Words;
        var input = MemoryMarshal.Cast<byte, ulong>(block);
        for (int i = 0; i < input.Length; i++)
        {
            words[i * Lanes + lane] ^= BitConverter.IsLittleEndian ? input[i] : BinaryPrimitives.ReverseEndianness(input[i]);
        }
    }

    /// <summary>Copies the first bytes of one state out, little-endian (<paramref name="output"/> a whole number of words).</summary>
    public void Squeeze(int lane, Span<byte> output)
    {
        var words = Words;
        for (int i = 0; i < output.Length / 8; i++) BinaryPrimitives.WriteUInt64LittleEndian(output[(i * 8)..], words[i * Lanes + lane]);
    }

    /// <summary>Keccak-f[1600] on all eight states.</summary>
    public void Permute() => Permute(_state);

    private static readonly ulong[] RoundConstants =
    [
        0x0000000000000001UL, 0x0000000000008082UL, 0x800000000000808AUL, 0x8000000080008000UL,
        0x000000000000808BUL, 0x0000000080000001UL, 0x8000000080008081UL, 0x8000000000008009UL,
        0x000000000000008AUL, 0x0000000000000088UL, 0x0000000080008009UL, 0x000000008000000AUL,
        0x000000008000808BUL, 0x800000000000008BUL, 0x8000000000008089UL, 0x8000000000008003UL,
        0x8000000000008002UL, 0x8000000000000080UL, 0x000000000000800AUL, 0x800000008000000AUL,
        0x8000000080008081UL, 0x8000000000008080UL, 0x0000000080000001UL, 0x8000000080008008UL,
    ];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Xor(Vector512<ulong> x, Vector512<ulong> y) => x ^ y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Xor3(Vector512<ulong> x, Vector512<ulong> y, Vector512<ulong> z) =>
        Avx512F.IsSupported ? Avx512F.TernaryLogic(x, y, z, 0x96) : x ^ y ^ z;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Rol(Vector512<ulong> x, [ConstantExpected] byte n) =>
        Avx512F.IsSupported ? Avx512F.RotateLeft(x, n) : (x << n) | (x >>> (64 - n));

    // chi: a ^ (~b & c), in one instruction.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Chi(Vector512<ulong> a, Vector512<ulong> b, Vector512<ulong> c) =>
        Avx512F.IsSupported ? Avx512F.TernaryLogic(a, b, c, 0xD2) : a ^ Vector512.AndNot(c, b);

    /// <summary>Keccak-f[1600] on all lanes; word (x, y) of the state is s[x + 5y], named a{x}{y} below.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Permute(Span<Vector512<ulong>> s)
    {
        var a00 = s[0]; var a10 = s[1]; var a20 = s[2]; var a30 = s[3]; var a40 = s[4];
        var a01 = s[5]; var a11 = s[6]; var a21 = s[7]; var a31 = s[8]; var a41 = s[9];
        var a02 = s[10]; var a12 = s[11]; var a22 = s[12]; var a32 = s[13]; var a42 = s[14];
        var a03 = s[15]; var a13 = s[16]; var a23 = s[17]; var a33 = s[18]; var a43 = s[19];
        var a04 = s[20]; var a14 = s[21]; var a24 = s[22]; var a34 = s[23]; var a44 = s[24];
        for (int round = 0; round < 24; round++)
        {
            // theta: c = column parities, d = what each column gets; then rho and pi move
            // each word (rotated) to b[y, 2x+3y]; chi mixes rows; iota breaks symmetry.
            var c0 = Xor3(Xor3(a00, a01, a02), a03, a04);
            var c1 = Xor3(Xor3(a10, a11, a12), a13, a14);
            var c2 = Xor3(Xor3(a20, a21, a22), a23, a24);
            var c3 = Xor3(Xor3(a30, a31, a32), a33, a34);
            var c4 = Xor3(Xor3(a40, a41, a42), a43, a44);
            var d0 = Xor(c4, Rol(c1, 1));
            var d1 = Xor(c0, Rol(c2, 1));
            var d2 = Xor(c1, Rol(c3, 1));
            var d3 = Xor(c2, Rol(c4, 1));
            var d4 = Xor(c3, Rol(c0, 1));
            var b00 = Xor(a00, d0);
            var b13 = Rol(Xor(a01, d0), 36);
            var b21 = Rol(Xor(a02, d0), 3);
            var b34 = Rol(Xor(a03, d0), 41);
            var b42 = Rol(Xor(a04, d0), 18);
            var b02 = Rol(Xor(a10, d1), 1);
            var b10 = Rol(Xor(a11, d1), 44);
            var b23 = Rol(Xor(a12, d1), 10);
            var b31 = Rol(Xor(a13, d1), 45);
            var b44 = Rol(Xor(a14, d1), 2);
            var b04 = Rol(Xor(a20, d2), 62);
            var b12 = Rol(Xor(a21, d2), 6);
            var b20 = Rol(Xor(a22, d2), 43);
            var b33 = Rol(Xor(a23, d2), 15);
            var b41 = Rol(Xor(a24, d2), 61);
            var b01 = Rol(Xor(a30, d3), 28);
            var b14 = Rol(Xor(a31, d3), 55);
            var b22 = Rol(Xor(a32, d3), 25);
            var b30 = Rol(Xor(a33, d3), 21);
            var b43 = Rol(Xor(a34, d3), 56);
            var b03 = Rol(Xor(a40, d4), 27);
            var b11 = Rol(Xor(a41, d4), 20);
            var b24 = Rol(Xor(a42, d4), 39);
            var b32 = Rol(Xor(a43, d4), 8);
            var b40 = Rol(Xor(a44, d4), 14);
            a00 = Chi(b00, b10, b20);
            a10 = Chi(b10, b20, b30);
            a20 = Chi(b20, b30, b40);
            a30 = Chi(b30, b40, b00);
            a40 = Chi(b40, b00, b10);
            a01 = Chi(b01, b11, b21);
            a11 = Chi(b11, b21, b31);
            a21 = Chi(b21, b31, b41);
            a31 = Chi(b31, b41, b01);
            a41 = Chi(b41, b01, b11);
            a02 = Chi(b02, b12, b22);
            a12 = Chi(b12, b22, b32);
            a22 = Chi(b22, b32, b42);
            a32 = Chi(b32, b42, b02);
            a42 = Chi(b42, b02, b12);
            a03 = Chi(b03, b13, b23);
            a13 = Chi(b13, b23, b33);
            a23 = Chi(b23, b33, b43);
            a33 = Chi(b33, b43, b03);
            a43 = Chi(b43, b03, b13);
            a04 = Chi(b04, b14, b24);
            a14 = Chi(b14, b24, b34);
            a24 = Chi(b24, b34, b44);
            a34 = Chi(b34, b44, b04);
            a44 = Chi(b44, b04, b14);
            a00 = Xor(a00, Vector512.Create(RoundConstants[round]));
        }
        s[0] = a00; s[1] = a10; s[2] = a20; s[3] = a30; s[4] = a40;
        s[5] = a01; s[6] = a11; s[7] = a21; s[8] = a31; s[9] = a41;
        s[10] = a02; s[11] = a12; s[12] = a22; s[13] = a32; s[14] = a42;
        s[15] = a03; s[16] = a13; s[17] = a23; s[18] = a33; s[19] = a43;
        s[20] = a04; s[21] = a14; s[22] = a24; s[23] = a34; s[24] = a44;
    }
}
