using FossilSync.Repo;

namespace FossilSync.Simulation;

/// <summary>Summaries of a repository's state, for the partial-write check and the trace.</summary>
internal static class Digest
{
    /// <summary>What a round writes (artifacts with content, unversioned rows): a failed round must leave it as it was.</summary>
    public static string Stored(Repository repository)
    {
        string blobs = repository.Scalar<string>("SELECT count(*) || '/' || total(size) FROM blob WHERE size>=0")!
            + " tables " + TableWork.Versions(repository, "board") + " " + TableWork.Versions(repository, "notes");
        // The table is made with the first unversioned file.
        if (repository.Scalar<long>("SELECT count(*) FROM sqlite_master WHERE name='unversioned'") == 0) return blobs;
        return blobs + " uv " + repository.Scalar<string>("SELECT count(*) || '/' || total(mtime) || '/' || ifnull(group_concat(hash, ','), '') FROM (SELECT mtime, hash FROM unversioned ORDER BY name)");
    }

    /// <summary>Names of the public artifacts with content, in order.</summary>
    public static List<string> Public(Repository repository) =>
        repository.Names("SELECT uuid FROM blob WHERE size>=0 AND rid NOT IN private ORDER BY uuid");

    /// <summary>Names of the private artifacts with content, in order.</summary>
    public static List<string> Private(Repository repository) =>
        repository.Names("SELECT uuid FROM blob WHERE size>=0 AND rid IN private ORDER BY uuid");

    public static long Phantoms(Repository repository) => repository.Scalar<long>("SELECT count(*) FROM phantom");
}
