namespace FossilSync.Fuzz;

/// <summary>
/// Findings already reported in code this harness does not change (the Xfer reader has other
/// owners). With FOSSILSYNC_FUZZ_TOLERATE_KNOWN=1 they are not failures, so a long run can
/// look past them for new ones; without it every one of them fails the run.
/// </summary>
internal static class KnownFindings
{
    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable("FOSSILSYNC_FUZZ_TOLERATE_KNOWN") == "1";

    /// <summary>True when <paramref name="ex"/> is a known finding and tolerating them is on.</summary>
    public static bool Tolerated(Exception ex) => Enabled && IsZLibErrorFromStreamReader(ex);

    // xfer-zlib-fdict: XferReader wraps only InvalidDataException from the inflater; a zlib
    // header with the preset-dictionary bit makes it throw ZLibException (an IOException),
    // which escapes ReadCardAsync undocumented.
    private static bool IsZLibErrorFromStreamReader(Exception ex) =>
        ex is IOException && ex.GetType().Name == "ZLibException" && ex.StackTrace?.Contains("XferReader", StringComparison.Ordinal) == true;
}
