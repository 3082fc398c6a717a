using System.Text;
using FossilSync.Primitives;

namespace FossilSync.Repo;

/// <summary>
/// Cluster artifacts, as stock makes them: once 100 or more artifacts are unclustered, they are
/// listed in clusters (<c>M</c> cards, cut every 800 while more than 100 would remain), so a
/// pull advertises a few clusters instead of every artifact. The last cluster stays
/// unclustered and is advertised.
/// </summary>
internal static class Clusters
{
    private const int Threshold = 100;
    private const int MembersPerCluster = 800;

    /// <summary>
    /// Makes the clusters that are due and returns their rids (to crosslink). Names in
    /// <paramref name="leftOut"/> (dangling deltas) stay unclustered until they are whole: a
    /// cluster naming one would have every puller ask for it.
    /// </summary>
    public static List<long> CreateDue(Repository repository, IReadOnlySet<string> leftOut)
    {
        var made = new List<long>();
        long unclustered = repository.Scalar<long>("SELECT count(*) FROM unclustered WHERE NOT EXISTS(SELECT 1 FROM phantom WHERE rid=unclustered.rid)");
        if (unclustered < Threshold) return made;
        var members = NameLists.ListClusterMembers(repository);
        var kept = new List<long>();
        var text = new StringBuilder();
        int rows = 0;
        foreach (string member in members)
        {
            if (leftOut.Contains(member)) continue;
            text.Append("M ").Append(member).Append('\n');
            if (++rows >= MembersPerCluster && unclustered > rows + Threshold)
            {
                long rid = Store(repository, text);
                made.Add(rid);
                kept.Add(rid);
                unclustered -= rows;
                rows = 0;
            }
        }
        kept.AddRange(leftOut.Select(hash => repository.Content.FindRid(hash) ?? 0));
        repository.Execute($"DELETE FROM unclustered WHERE rid NOT IN (0{string.Concat(kept.Select(k => "," + k))}) AND NOT EXISTS(SELECT 1 FROM phantom WHERE rid=unclustered.rid)");
        if (rows > 0) made.Add(Store(repository, text));
        return made;
    }

    private static long Store(Repository repository, StringBuilder text)
    {
        byte[] body = Encoding.ASCII.GetBytes(text.ToString());
        text.Clear();
        string md5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(body));
        byte[] cluster = [.. body, .. Encoding.ASCII.GetBytes($"Z {md5}\n")];
        string hash = ArtifactHash.Compute(cluster, ArtifactHash.KindForNewArtifacts(repository.HashPolicy));
        return repository.Content.PutFull(cluster, hash, new StoreOptions());
    }
}
