using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FossilSync.Primitives;

/// <summary>
/// A square transpose of vector registers, for the MD5 lanes: each message's block arrives as one
/// row (a register's worth of its bytes), and the compression function wants word i of every
/// message in register i. Done with two-source permutes, the off-diagonal halves, then quarters,
/// and so on, change places: log2(n) steps of n permutes, instead of n x n narrow writes.
/// </summary>
internal static class LaneTranspose
{
    // For each step (half width 8, 4, 2, 1): which elements of the pair (a, b) the first and
    // the second output take (0-15 from a, 16-31 from b).
    private static readonly Vector512<uint>[] Indices32 = Pairs32();

    /// <summary>cols[c] element r = rows[r] element c, for 16 x 16 32-bit words.</summary>
    public static void Transpose16(ReadOnlySpan<Vector512<uint>> rows, Span<Vector512<uint>> cols)
    {
        if (!Avx512F.IsSupported)
        {
            Transpose16Portable(rows, cols);
            return;
        }
        rows[..16].CopyTo(cols);
        for (int step = 0, half = 8; half > 0; step++, half >>= 1)
        {
            var first = Indices32[2 * step];
            var second = Indices32[(2 * step) + 1];
            for (int i = 0; i < 16; i++)
            {
                if ((i & half) != 0) continue;
                var a = cols[i];
                var b = cols[i + half];
                cols[i] = Avx512F.PermuteVar16x32x2(a, first, b);
                cols[i + half] = Avx512F.PermuteVar16x32x2(a, second, b);
            }
        }
    }

    // Row i of the pair keeps its own element c where bit "half" of c is clear and takes row
    // i+half's element c-half where it is set; row i+half gets the rest.
    private static Vector512<uint>[] Pairs32()
    {
        var result = new List<Vector512<uint>>();
        for (uint half = 8; half > 0; half >>= 1)
        {
            uint[] first = new uint[16], second = new uint[16];
            for (uint c = 0; c < 16; c++)
            {
                first[c] = (c & half) == 0 ? c : 16 + c - half;
                second[c] = (c & half) == 0 ? c + half : 16 + c;
            }
            result.Add(Vector512.Create(first));
            result.Add(Vector512.Create(second));
        }
        return [.. result];
    }

    /// <summary>The same transpose one word at a time, where there is no AVX-512.</summary>
    internal static void Transpose16Portable(ReadOnlySpan<Vector512<uint>> rows, Span<Vector512<uint>> cols)
    {
        var from = MemoryMarshal.Cast<Vector512<uint>, uint>(rows[..16]);
        var to = MemoryMarshal.Cast<Vector512<uint>, uint>(cols[..16]);
        for (int r = 0; r < 16; r++)
        {
            for (int c = 0; c < 16; c++) to[(c * 16) + r] = from[(r * 16) + c];
        }
    }
}
