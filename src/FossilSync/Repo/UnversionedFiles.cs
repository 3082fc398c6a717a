using System.Security.Cryptography;
using System.Text;
using FossilSync.Primitives;
using FossilSync.Repo.Artifacts;

namespace FossilSync.Repo;

/// <summary>One unversioned file as the catalogue lists it. <see cref="Hash"/> is null for a deletion marker.</summary>
public sealed record UnversionedEntry(string Name, long MTime, string? Hash, long Size);

/// <summary>
/// Unversioned files: named, timestamped content outside the check-in history, synced whole
/// (newest wins). Stored in the <c>unversioned</c> table exactly as stock fossil keeps it.
/// </summary>
public sealed class UnversionedFiles
{
    private const string EmptyCatalogueHash = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
    private readonly Repository _repository;

    internal UnversionedFiles(Repository repository) => _repository = repository;

    /// <summary>Every entry, deletion markers included, by name.</summary>
    public IReadOnlyList<UnversionedEntry> List()
    {
        var entries = new List<UnversionedEntry>();
        if (!TableExists()) return entries;
        using var cmd = _repository.Command("SELECT name, mtime, hash, sz FROM unversioned ORDER BY name");
        using var reader = _repository.Read(cmd);
        while (reader.Read())
        {
            entries.Add(new UnversionedEntry(reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? 0 : reader.GetInt64(3)));
        }
        return entries;
    }

    /// <summary>The content of <paramref name="name"/>, or null when absent or deleted.</summary>
    public byte[]? Get(string name)
    {
        if (!TableExists()) return null;
        using var cmd = _repository.Command("SELECT encoding, content FROM unversioned WHERE name=$n AND hash IS NOT NULL", ("$n", name));
        using var reader = _repository.Read(cmd);
        if (!reader.Read() || reader.IsDBNull(1)) return null;
        byte[] stored = (byte[])reader.GetValue(1);
        return reader.GetInt32(0) == 1 ? BlobCompression.Decompress(stored, _repository.Options.MaxArtifactSize) : stored;
    }

    /// <summary>Adds or replaces a file, named by the repository's hash policy; <paramref name="mtime"/> defaults to now.</summary>
    public void Put(string name, ReadOnlySpan<byte> content, DateTimeOffset? mtime = null)
    {
        CheckName(name);
        string hash = ArtifactHash.Compute(content, ArtifactHash.KindForNewArtifacts(_repository.HashPolicy));
        using var scope = _repository.WriteScope();
        Write(name, (mtime ?? LocalNow()).ToUnixTimeSeconds(), hash, content, receiptId: 0);
        scope.Complete();
    }

    /// <summary>Marks a file deleted (the marker syncs like a file); no-op when it does not exist.</summary>
    public void Delete(string name, DateTimeOffset? mtime = null)
    {
        using var scope = _repository.WriteScope();
        Tombstone(name, (mtime ?? LocalNow()).ToUnixTimeSeconds());
        scope.Complete();
    }

    // The time a local write is stamped with; a simulated peer's clock may lag a day behind.
    private DateTimeOffset LocalNow()
    {
        var now = _repository.Options.TimeProvider.GetUtcNow();
        return Testing.FaultSites.Fires(_repository.Options.Faults, Testing.FaultSites.StaleUnversionedMTime) ? now.AddDays(-1) : now;
    }

    /// <summary>
    /// The catalogue hash (<c>pragma uv-hash</c>): SHA1 over "name datetime hash\n" of every live
    /// file in name order; two repositories with equal hashes hold the same files.
    /// </summary>
    public string CatalogueHash()
    {
        if (!TableExists()) return EmptyCatalogueHash;
        var text = new StringBuilder();
        using var cmd = _repository.Command("SELECT name, datetime(mtime, 'unixepoch'), hash FROM unversioned WHERE hash IS NOT NULL ORDER BY name");
        using var reader = _repository.Read(cmd);
        while (reader.Read()) text.Append(reader.GetString(0)).Append(' ').Append(reader.GetString(1)).Append(' ').Append(reader.GetString(2)).Append('\n');
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// Stock's comparison of a remote entry with ours: 0 we lack it, 1 theirs is newer (or same
    /// time and greater hash), 2 same content but ours older, 3 identical, 4 same content but
    /// ours newer, 5 ours wins.
    /// </summary>
    internal int Status(string name, long mtime, string? hash)
    {
        if (!TableExists()) return 0;
        using var cmd = _repository.Command("SELECT mtime, hash FROM unversioned WHERE name=$n", ("$n", name));
        using var reader = _repository.Read(cmd);
        if (!reader.Read()) return 0;
        long localMtime = reader.GetInt64(0);
        string localHash = reader.IsDBNull(1) ? "-" : reader.GetString(1);
        int mtimeCmp = localMtime.CompareTo(mtime);
        int hashCmp = string.CompareOrdinal(localHash, hash ?? "-");
        if (hashCmp == 0) return 3 + Math.Sign(mtimeCmp);
        return mtimeCmp < 0 || (mtimeCmp == 0 && hashCmp < 0) ? 1 : 5;
    }

    /// <summary>Stores received content after checking it hashes to <paramref name="hash"/>.</summary>
    internal void Write(string name, long mtime, string hash, ReadOnlySpan<byte> content, long receiptId)
    {
        CheckName(name);
        ArtifactHash.Verify(hash, content);
        EnsureTable();
        byte[] compressed = BlobCompression.Compress(content);
        bool pack = compressed.Length <= 0.8 * content.Length;
        _repository.Execute(
            "REPLACE INTO unversioned(name, rcvid, mtime, hash, sz, encoding, content) VALUES($n, $r, $m, $h, $s, $e, $c)",
            ("$n", name), ("$r", receiptId), ("$m", mtime), ("$h", hash), ("$s", content.Length), ("$e", pack ? 1 : 0), ("$c", pack ? compressed : content.ToArray()));
        ForgetCatalogueHash();
    }

    internal void Tombstone(string name, long mtime)
    {
        if (!TableExists()) return;
        if (_repository.Execute("UPDATE unversioned SET hash=NULL, sz=0, encoding=0, content=NULL, mtime=$m WHERE name=$n", ("$m", mtime), ("$n", name)) > 0)
        {
            ForgetCatalogueHash();
        }
    }

    internal void SetMTime(string name, long mtime)
    {
        if (TableExists() && _repository.Execute("UPDATE unversioned SET mtime=$m WHERE name=$n", ("$m", mtime), ("$n", name)) > 0) ForgetCatalogueHash();
    }

    // Stock caches the catalogue hash in config and trusts it; drop it whenever we change a file.
    private void ForgetCatalogueHash() => _repository.Execute("DELETE FROM config WHERE name='uv-hash'");

    private bool TableExists() => _repository.Scalar<long>("SELECT count(*) FROM sqlite_schema WHERE type='table' AND name='unversioned'") > 0;

    private void EnsureTable() => _repository.Execute("""
        CREATE TABLE IF NOT EXISTS unversioned(
          uvid INTEGER PRIMARY KEY AUTOINCREMENT,
          name TEXT UNIQUE,
          rcvid INTEGER,
          mtime DATETIME,
          hash TEXT,
          sz INTEGER,
          encoding INT,
          content BLOB
        )
        """);

    /// <summary>
    /// Whether <paramref name="name"/> may name an unversioned file: stock's strict rule for names
    /// that become paths on a peer's disk (a simple relative path: no leading <c>/</c>, no
    /// <c>.</c>/<c>..</c>/empty segment, no backslash, no control character or NUL).
    /// </summary>
    public static bool IsValidName(string name) => PathRules.IsSimplePathStrict(name);

    private static void CheckName(string name)
    {
        if (!IsValidName(name)) throw new ArgumentException($"'{name}' is not a valid unversioned file name.", nameof(name));
    }
}
