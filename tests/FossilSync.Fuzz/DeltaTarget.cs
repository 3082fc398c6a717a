using FossilSync.Primitives;

namespace FossilSync.Fuzz;

/// <summary>
/// Fossil's delta format. Input: a 2-byte big-endian source length, the source, then the
/// delta. Invariants: only <see cref="CorruptContentException"/> escapes
/// <see cref="FossilDelta.Apply(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>; it allocates no
/// more than its inputs and its real output justify (never the declared size of a target the
/// delta cannot produce); a delta that applies produces its declared length with and without
/// checksum verification; and a delta the encoder makes from the source to any target (the
/// delta bytes themselves) applies back to that target.
/// </summary>
internal static class DeltaTarget
{
    // Copies and inserts write the target once; the rest is small change.
    private const int BytesPerByte = 4;
    private const int FixedAllowance = 16 * 1024;

    // The encoder's round trip is the slow part; longer targets add little coverage.
    private const int MaxRoundTripTarget = 8 * 1024;

    /// <summary>Builds an input for <see cref="Run"/> (used for the seeds).</summary>
    public static byte[] Compose(ReadOnlySpan<byte> source, ReadOnlySpan<byte> delta)
    {
        if (source.Length > ushort.MaxValue) throw new ArgumentException("source too long for the input format", nameof(source));
        byte[] input = new byte[2 + source.Length + delta.Length];
        input[0] = (byte)(source.Length >> 8);
        input[1] = (byte)source.Length;
        source.CopyTo(input.AsSpan(2));
        delta.CopyTo(input.AsSpan(2 + source.Length));
        return input;
    }

    private static byte[]? Apply(byte[] source, byte[] delta)
    {
        try
        {
            return FossilDelta.Apply(source, delta);
        }
        catch (CorruptContentException)
        {
            return null;
        }
    }

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 2) return;
        int sourceLength = Math.Min((input[0] << 8) | input[1], input.Length - 2);
        var source = input.Slice(2, sourceLength);
        var delta = input[(2 + sourceLength)..];

        byte[] sourceBytes = source.ToArray(), deltaBytes = delta.ToArray();
        long inputLength = input.Length;
        byte[]? target = AllocationBudget.Run(() => Apply(sourceBytes, deltaBytes), result => BytesPerByte * (inputLength + (result?.Length ?? 0)) + FixedAllowance,
            () => $"applying a {deltaBytes.Length}-byte delta to a {sourceBytes.Length}-byte source");

        if (target is not null)
        {
            if (FossilDelta.GetTargetLength(delta) != target.Length) throw new InvariantViolationException("the result's length differs from the delta's header");
            byte[] unverified = FossilDelta.Apply(source, delta, verifyChecksum: false);
            if (!unverified.AsSpan().SequenceEqual(target)) throw new InvariantViolationException("skipping the checksum changed the result");
        }

        var wanted = delta[..Math.Min(delta.Length, MaxRoundTripTarget)];
        byte[] made = FossilDelta.Create(source, wanted);
        byte[] back;
        try
        {
            back = FossilDelta.Apply(source, made);
        }
        catch (CorruptContentException ex)
        {
            throw new InvariantViolationException("a delta made by the encoder does not apply: " + ex.Message);
        }
        if (!back.AsSpan().SequenceEqual(wanted)) throw new InvariantViolationException("a delta made by the encoder applies to different content");
    }
}
