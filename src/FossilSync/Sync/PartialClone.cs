using FossilSync.Repo;

namespace FossilSync.Sync;

/// <summary>
/// The file a clone is built in, beside its target (<c>TARGET.fossilsync-partial</c>), and the
/// note inside it that lets an interrupted clone go on where it stopped. The file is renamed to
/// the target only when the clone is whole, so the target either does not exist or is complete.
/// </summary>
/// <remarks>
/// The note is the config row <see cref="ResumeKey"/>: the server's URL, its project code and
/// the next clone sequence number. It is written with each round's artifacts, in the same
/// transaction, and removed once the server has sent the last one.
/// </remarks>
internal static class PartialClone
{
    public const string ResumeKey = "fossilsync-clone-resume";

    /// <summary>Where the clone of <paramref name="target"/> is built.</summary>
    public static string PathFor(string target) => target + FossilClient.PartialCloneSuffix;

    /// <summary>Records, inside the round's transaction, where to go on from.</summary>
    public static void Save(Repository repository, ResumePoint point) =>
        repository.SetConfig(ResumeKey, $"{point.Sequence}\n{point.ProjectCode}\n{point.Source}");

    /// <summary>The transfer is over: nothing left to resume.</summary>
    public static void Clear(Repository repository) => repository.RemoveConfig(ResumeKey);

    /// <summary>Where an interrupted clone stopped, or null when the file holds no (valid) note.</summary>
    public static ResumePoint? Read(Repository repository)
    {
        string[]? parts = repository.GetConfig(ResumeKey)?.Split('\n', 3);
        if (parts is not [var sequence, var projectCode, var source] || !long.TryParse(sequence, out long next) || next <= 0) return null;
        return new ResumePoint(next, projectCode, source);
    }

    /// <summary>Removes the file and what SQLite may have left beside it.</summary>
    public static void Delete(string path)
    {
        foreach (string leftover in (ReadOnlySpan<string>)[path, path + "-journal", path + "-wal", path + "-shm"])
        {
            try { File.Delete(leftover); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}

/// <summary>Where an interrupted clone goes on: the next sequence number of the server at <paramref name="Source"/> with <paramref name="ProjectCode"/>.</summary>
internal sealed record ResumePoint(long Sequence, string ProjectCode, string Source);
