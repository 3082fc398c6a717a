using FossilSync.Repo;
using FossilSync.Repo.Tables;

namespace FossilSync.Simulation;

/// <summary>
/// The synced tables of a run: <c>board</c> (mtime wins), which every peer writes and which must
/// converge, and <c>notes</c> (owner write), where a leaf now and then forges a row in another
/// user's name that no server may take. Draws from a stream of its own, so the artifact work of a
/// seed is what it was before tables took part.
/// </summary>
internal static class TableWork
{
    /// <summary>A user no login is made for: rows in this name are refused by every server.</summary>
    public const string Forger = "mallory";

    public static TableDefinition Board { get; } = new("board",
        [new TableColumn("id", ColumnType.Integer), new TableColumn("title", ColumnType.Text), new TableColumn("n", ColumnType.Integer), new TableColumn("w", ColumnType.Real)],
        ["id"], ConflictPolicy.MTimeWins);

    public static TableDefinition Notes { get; } = new("notes",
        [new TableColumn("id", ColumnType.Integer), new TableColumn("text", ColumnType.Text)],
        ["id"], ConflictPolicy.OwnerWrite);

    /// <summary>Defines both tables where they are missing (a leaf cloned before it learnt of them defines them itself).</summary>
    public static void Define(Repository repository)
    {
        repository.Tables.Define(Board);
        repository.Tables.Define(Notes);
    }

    /// <summary>One random write: a put or delete on the board, or a note (forged on a leaf now and then).</summary>
    public static void Write(Peer peer, bool isHub, Random random, string user, int step)
    {
        Define(peer.Repo);
        if (random.Next(4) == 0)
        {
            string writer = !isHub && random.Next(3) == 0 ? Forger : user;
            try
            {
                peer.Repo.Tables["notes"].Put(new TableRow { ["id"] = (long)random.Next(4), ["text"] = $"{peer.Name} {step} by {writer}" }, writer);
            }
            catch (TableRowException)
            {
                // The row is another user's: the local policy refused the write.
            }
            return;
        }
        var board = peer.Repo.Tables["board"];
        long id = random.Next(6);
        if (random.Next(4) == 0)
        {
            board.Delete(new TableRow { ["id"] = id });
            return;
        }
        // Integers past 2^53 and reals of every bit pattern must travel exactly.
        long n = random.Next(3) == 0 ? long.MaxValue - random.Next(1000) : random.Next();
        board.Put(new TableRow { ["id"] = id, ["title"] = $"{peer.Name} {step} {random.Next()}", ["n"] = n, ["w"] = random.NextDouble() * 1e6 });
    }

    /// <summary>Every version of a table (live and deleted), as the trace and the partial-write check see it; empty before the table exists.</summary>
    /// <remarks>Plain reads, outside any transaction: it runs while the storage fault sites are on.</remarks>
    public static string Versions(Repository repository, string table)
    {
        if (repository.Scalar<long>("SELECT count(*) FROM sqlite_master WHERE type='table' AND name=$n", ("$n", "x_" + table)) == 0) return "";
        return repository.Scalar<string>(
            $"SELECT ifnull(group_concat(v, ','), '') FROM (SELECT substr(_pkhash,1,8) || ':' || mtime || ':' || substr(_vhash,1,8) AS v, _pkhash AS k FROM x_{table} "
            + "UNION ALL SELECT substr(pkhash,1,8) || ':' || mtime || ':' || substr(vhash,1,8), pkhash FROM xtable_tombstone WHERE tbl=$n ORDER BY k)", ("$n", table))!;
    }

    /// <summary>Key hashes of the notes held in the forger's name (live or deleted).</summary>
    public static HashSet<string> ForgedKeys(Repository repository)
    {
        if (repository.Tables.Find("notes") is null) return [];
        return [.. repository.Names($"SELECT _pkhash FROM x_notes WHERE _owner='{Forger}' UNION SELECT pkhash FROM xtable_tombstone WHERE tbl='notes' AND owner='{Forger}'")];
    }

    /// <summary>Who owns the row (or deletion) held under a key hash, or null.</summary>
    public static string? OwnerOf(Repository repository, string table, string pkHash) =>
        repository.Tables.Find(table) is { } found ? repository.Tables.Store.OwnerOf(found.Definition, pkHash) : null;

    /// <summary>The live rows of a table as canonical JSON with owner, in key order.</summary>
    public static List<string> Rows(Repository repository, string table) =>
        repository.Tables.Find(table) is { } found ? [.. found.Rows().Select(r => SyncedTable.ToJson(found.Definition, r) + " owner=" + r.Owner)] : [];
}
