namespace FossilSync.Simulation;

/// <summary>
/// Where a run keeps its repositories: in memory (<c>/dev/shm</c>) where the machine has it, so
/// the thousands of commits of a sweep do not wait for the disk. Nothing the invariants check
/// depends on durability: a simulated crash copies the file and its journal as they are.
/// </summary>
internal static class ScratchDirectory
{
    private const string Override = "FOSSILSYNC_SIM_DIR", SharedMemory = "/dev/shm";

    /// <summary>The folder under which each run makes its own.</summary>
    public static string Root { get; } = Environment.GetEnvironmentVariable(Override) is { Length: > 0 } chosen
        ? chosen
        : OperatingSystem.IsLinux() && Directory.Exists(SharedMemory) ? SharedMemory : Path.GetTempPath();
}
