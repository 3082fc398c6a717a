using System.Security.Cryptography;
using System.Text;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Repo.Crosslink;

namespace FossilSync.Simulation;

/// <summary>
/// Makes check-ins and tags in a peer's repository as <c>fossil commit</c> and <c>fossil tag</c>
/// would leave them: file blobs and a manifest (sorted F cards, Z card), stored as made here and
/// crosslinked, all in one transaction. The library has no commit API; these are built by hand.
/// </summary>
internal static class CheckInMaker
{
    private const string User = "sim";

    /// <summary>One random check-in on <paramref name="peer"/>; returns every artifact it stored (empty when the commit failed).</summary>
    public static List<(string Hash, bool Private)> CheckIn(Peer peer, Random random, DateTimeOffset now)
    {
        var repository = peer.Repo;
        // Only leaves crosslinked as check-ins, as stock's `fossil leaves` lists them: fossil also
        // marks a parent not crosslinked yet as a leaf when its only child is on another branch,
        // and such a parent may be a phantom or a delta whose source has not arrived.
        var leaves = repository.Names("SELECT b.uuid FROM leaf l JOIN blob b ON b.rid=l.rid JOIN event e ON e.objid=l.rid AND e.type='ci' ORDER BY b.uuid");
        if (leaves.Count == 0) return [];
        string parent = leaves[random.Next(leaves.Count)];
        var parents = new List<string> { parent };
        // A merge of another leaf now and then.
        if (leaves.Count > 1 && random.Next(6) == 0)
        {
            string other = leaves[random.Next(leaves.Count)];
            if (other != parent) parents.Add(other);
        }
        bool isPrivate = parents.Any(p => IsPrivate(repository, p)) || (peer.PrivateEnabled && random.Next(6) == 0);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string p in parents.AsEnumerable().Reverse())
        {
            foreach (var (name, hash) in FilesOf(repository, p)) files[name] = hash;
        }
        int n = ++peer.CheckIns;
        var newBlobs = new List<byte[]>();
        int changes = 1 + random.Next(4);
        for (int i = 0; i < changes; i++)
        {
            var existing = files.Keys.ToList();
            int what = random.Next(10);
            if (what < 2 && existing.Count > 1)
            {
                files.Remove(existing[random.Next(existing.Count)]);
                continue;
            }
            string name = what < 6 && existing.Count > 0 ? existing[random.Next(existing.Count)] : $"dir{random.Next(3)}/f{peer.Name}-{n}-{i}.{(random.Next(5) == 0 ? "bin" : "txt")}";
            byte[] content = Content(random, $"{peer.Name} {n} {i} {name}");
            newBlobs.Add(content);
            files[name] = Hash(repository, content);
        }
        string? branch = random.Next(8) == 0 ? $"br-{peer.Name}-{n}" : null;
        var text = new StringBuilder();
        text.Append("C ").Append(FossilEscaping.Encode($"check-in {n} of {peer.Name}")).Append('\n');
        text.Append("D ").Append(Date(now)).Append('\n');
        foreach (var (name, hash) in files) text.Append("F ").Append(name).Append(' ').Append(hash).Append('\n');
        text.Append("P ").Append(string.Join(' ', parents)).Append('\n');
        if (branch is not null)
        {
            text.Append("T *branch * ").Append(branch).Append('\n');
            text.Append("T *sym-").Append(branch).Append(" *\n");
        }
        text.Append("U ").Append(User).Append('\n');
        return Store(repository, newBlobs, WithZ(text), isPrivate);
    }

    /// <summary>A tag on a random public check-in of <paramref name="peer"/>.</summary>
    public static List<(string Hash, bool Private)> Tag(Peer peer, Random random, DateTimeOffset now)
    {
        var repository = peer.Repo;
        var checkIns = repository.Names("SELECT b.uuid FROM event e JOIN blob b ON b.rid=e.objid WHERE e.type='ci' AND b.rid NOT IN private ORDER BY b.uuid");
        if (checkIns.Count == 0) return [];
        string target = checkIns[random.Next(checkIns.Count)];
        var text = new StringBuilder();
        text.Append("D ").Append(Date(now)).Append('\n');
        text.Append("T +sym-v").Append(peer.Name).Append('-').Append(++peer.CheckIns).Append(' ').Append(target).Append('\n');
        text.Append("U ").Append(User).Append('\n');
        return Store(repository, [], WithZ(text), isPrivate: false);
    }

    private static List<(string Hash, bool Private)> Store(Repository repository, List<byte[]> blobs, byte[] manifest, bool isPrivate)
    {
        var stored = new List<(string, bool)>();
        var kind = ArtifactHash.KindForNewArtifacts(repository.HashPolicy);
        using var transaction = repository.BeginTransaction();
        var options = new StoreOptions { Local = true, Private = isPrivate };
        foreach (byte[] blob in blobs)
        {
            string hash = ArtifactHash.Compute(blob, kind);
            repository.Content.PutFull(blob, hash, options);
            stored.Add((hash, isPrivate));
        }
        string manifestHash = ArtifactHash.Compute(manifest, kind);
        long rid = repository.Content.PutFull(manifest, manifestHash, options);
        stored.Add((manifestHash, isPrivate));
        Crosslinking.LinkNew(repository, [rid]);
        transaction.Commit();
        return stored;
    }

    // Text, binary (with NUL bytes) or large; always unique to its check-in.
    private static byte[] Content(Random random, string label)
    {
        int kind = random.Next(12);
        if (kind == 0)
        {
            byte[] binary = new byte[64 + random.Next(4096)];
            random.NextBytes(binary);
            return [.. Encoding.UTF8.GetBytes(label), 0, .. binary];
        }
        int lines = kind == 1 ? 2000 + random.Next(6000) : 1 + random.Next(40);
        var text = new StringBuilder(label).Append('\n');
        for (int i = 0; i < lines; i++) text.Append("line ").Append(i).Append(' ').Append(random.Next(1000)).Append('\n');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string Hash(Repository repository, byte[] content) =>
        ArtifactHash.Compute(content, ArtifactHash.KindForNewArtifacts(repository.HashPolicy));

    private static bool IsPrivate(Repository repository, string hash) =>
        repository.Scalar<long>("SELECT count(*) FROM private p JOIN blob b ON b.rid=p.rid WHERE b.uuid=$h", ("$h", hash)) > 0;

    private static IEnumerable<(string Name, string Hash)> FilesOf(Repository repository, string manifest)
    {
        byte[] content = repository.GetArtifact(manifest) ?? throw new InvalidOperationException($"check-in {manifest} has no content.");
        foreach (string line in Encoding.UTF8.GetString(content).Split('\n'))
        {
            if (!line.StartsWith("F ", StringComparison.Ordinal)) continue;
            string[] parts = line.Split(' ');
            yield return (parts[1], parts[2]);
        }
    }

    private static string Date(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] WithZ(StringBuilder body)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(body.ToString());
        return [.. bytes, .. Encoding.ASCII.GetBytes("Z " + Convert.ToHexStringLower(MD5.HashData(bytes)) + "\n")];
    }
}
