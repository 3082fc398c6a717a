using FossilSync.Repo;

namespace FossilSync.Simulation;

/// <summary>One repository of the run (the hub or a leaf): its file, and what the simulation knows of it.</summary>
public sealed class Peer(string name, string path, bool privateEnabled)
{
    public string Name => name;
    public string Path => path;

    /// <summary>May hold private artifacts: makes private check-ins and syncs them with other such peers.</summary>
    public bool PrivateEnabled => privateEnabled;

    /// <summary>Open repository; null until the leaf is cloned.</summary>
    public Repository? Repository { get; set; }

    public bool Born => Repository is not null;

    public Repository Repo => Repository ?? throw new InvalidOperationException($"{name} is not cloned yet.");

    /// <summary>Where a crash left the file (copied at the crash site), restored when the peer reopens.</summary>
    public string CrashImage => path + ".crash";

    /// <summary>What the repository held after its last commit: a failed round must leave exactly this.</summary>
    public string? CommittedDigest { get; set; }

    /// <summary>Counts the check-ins this peer made (names and contents stay unique).</summary>
    public int CheckIns { get; set; }
}
