using FossilSync.Primitives;
using FossilSync.Repo;

namespace FossilSync.Tests.Infrastructure;

/// <summary>
/// Versions of one large file, stored as a commit leaves them: each new version whole, the one
/// before it turned into a delta of it (history as reverse deltas, newest whole).
/// </summary>
public static class LargeFileVersions
{
    /// <summary>Stores <paramref name="versions"/> versions of <paramref name="bytes"/> bytes each; returns their names, oldest first.</summary>
    public static List<string> Store(Repository repository, int versions, int bytes)
    {
        var random = new Random(8);
        byte[] text = new byte[bytes];
        for (int i = 0; i < text.Length; i++) text[i] = i % 64 == 63 ? (byte)'\n' : (byte)('a' + random.Next(26));
        var names = new List<string>();
        long previous = 0;
        byte[] previousText = [];
        for (int v = 0; v < versions; v++)
        {
            byte[] version = [.. text];
            version[v * 1000] = (byte)'#';
            string name = repository.PutArtifact(version);
            long rid = repository.Content.FindRid(name)!.Value;
            if (previous != 0)
            {
                using var tx = repository.BeginTransaction();
                repository.Content.StoreAsDelta(previous, rid, FossilDelta.Create(version, previousText));
                tx.Commit();
            }
            (previous, previousText) = (rid, version);
            names.Add(name);
        }
        return names;
    }
}
