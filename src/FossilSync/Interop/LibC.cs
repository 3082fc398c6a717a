using System.Runtime.InteropServices;

namespace FossilSync.Interop;

/// <summary>The C library calls FossilSync makes: the only native interop outside SQLite's own.</summary>
internal static partial class LibC
{
    /// <summary>
    /// Hands freed C-heap pages back to the system (glibc's <c>malloc_trim</c>). False where there
    /// is no such call (not Linux, or not glibc: musl has none), and the memory is simply kept.
    /// True when the call was made, whether or not it found pages to return.
    /// </summary>
    public static bool TryReturnFreedMemory()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            MallocTrim(0);
            return true;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
