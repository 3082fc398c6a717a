namespace FossilSync.Fuzz;

/// <summary>
/// Measures what one decode allocates on this thread, so an input that makes a decoder
/// allocate for a size it merely declares (rather than for bytes it really has) is caught even
/// when the allocation itself succeeds.
/// </summary>
internal static class AllocationBudget
{
    /// <summary>
    /// Runs <paramref name="decode"/> and fails when it allocates more than
    /// <paramref name="allowed"/> says its input and result justify. The first run of a code
    /// path also allocates static state (type initialisers, per-thread caches growing), so an
    /// excess is confirmed by a second run of the same input before it counts.
    /// </summary>
    public static T Run<T>(Func<T> decode, Func<T, long> allowed, Func<string> what)
    {
        long start = GC.GetAllocatedBytesForCurrentThread();
        T result = decode();
        long used = GC.GetAllocatedBytesForCurrentThread() - start;
        long limit = allowed(result);
        if (used <= limit) return result;
        start = GC.GetAllocatedBytesForCurrentThread();
        decode();
        used = GC.GetAllocatedBytesForCurrentThread() - start;
        if (used > limit) throw new InvariantViolationException($"{what()} allocated {used} bytes; at most {limit} are justified by its input");
        return result;
    }
}
