using FossilSync.Repo;
using FossilSync.Repo.Crosslink;

namespace FossilSync.Simulation;

/// <summary>What must hold once the heal phase is quiet, whatever the faults did before.</summary>
internal static class Invariants
{
    // Rids stay what they are in a rebuild of the same file; tag and file-name ids are handed out
    // again in the rebuild's order, so rows name them instead.
    private static readonly SortedDictionary<string, string> DerivedTables = new(StringComparer.Ordinal)
    {
        ["event"] = "SELECT type, mtime, objid, (SELECT tagname FROM tag WHERE tagid=event.tagid), uid, bgcolor, euser, user, ecomment, comment, brief, omtime FROM event",
        ["plink"] = "SELECT * FROM plink",
        ["mlink"] = "SELECT mid, fid, pmid, pid, (SELECT name FROM filename WHERE fnid=mlink.fnid), (SELECT name FROM filename WHERE fnid=mlink.pfnid), mperm, isaux FROM mlink",
        // As stock: a cluster's tag is timed when it is linked (a rebuild links it again, later).
        ["tagxref"] = "SELECT t.tagname, x.tagtype, x.srcid, x.origid, x.value, CASE WHEN t.tagname='cluster' THEN NULL ELSE x.mtime END, x.rid FROM tagxref x JOIN tag t ON t.tagid=x.tagid",
        ["leaf"] = "SELECT * FROM leaf",
        ["tag"] = "SELECT tagname FROM tag",
        ["filename"] = "SELECT name FROM filename",
    };

    public static void Check(SimulationContext context, IReadOnlyList<Peer> peers, IReadOnlyDictionary<string, bool> created)
    {
        var hub = peers[0];
        var expectedPublic = Digest.Public(hub.Repo);
        var expectedPrivate = peers.Where(p => p.PrivateEnabled).Select(p => Digest.Private(p.Repo)).FirstOrDefault() ?? [];
        var uvCatalogue = hub.Repo.Unversioned.CatalogueHash();
        foreach (var peer in peers)
        {
            var repository = peer.Repo;
            var publicSet = Digest.Public(repository);
            if (!publicSet.SequenceEqual(expectedPublic, StringComparer.Ordinal))
            {
                context.Violation("same public artifacts", $"{peer.Name} holds {publicSet.Count}, hub {expectedPublic.Count}; first difference {FirstDifference(publicSet, expectedPublic)}");
            }
            var privateSet = Digest.Private(repository);
            if (!peer.PrivateEnabled && privateSet.Count > 0) context.Violation("private only where synced", $"{peer.Name} never synced private content but holds {privateSet.Count} private artifacts, e.g. {privateSet[0]}");
            if (peer.PrivateEnabled && !privateSet.SequenceEqual(expectedPrivate, StringComparer.Ordinal))
            {
                context.Violation("same private artifacts", $"{peer.Name} holds {privateSet.Count} private, another private peer {expectedPrivate.Count}; first difference {FirstDifference(privateSet, expectedPrivate)}");
            }
            long phantoms = Digest.Phantoms(repository);
            if (phantoms > 0) context.Violation("no phantoms", $"{peer.Name} still has {phantoms} phantoms, e.g. {repository.Names("SELECT uuid FROM blob WHERE rid IN phantom ORDER BY uuid LIMIT 1")[0]}");
            var report = repository.Verify();
            if (!report.IsOk) context.Violation("verify (every artifact hashes to its name)", $"{peer.Name}: {report.Problems.Count} problems, first {report.Problems[0].Hash}: {report.Problems[0].Reason}");
            foreach (var (hash, isPrivate) in created)
            {
                if (isPrivate && !peer.PrivateEnabled) continue;
                if (!repository.HasArtifact(hash)) { context.Violation("nothing committed is lost", $"{peer.Name} lacks {hash}{(isPrivate ? " (private)" : "")}"); break; }
                if (isPrivate && !privateSet.Contains(hash)) { context.Violation("private stays private", $"{peer.Name} holds private {hash} as public"); break; }
            }
            string uv = repository.Unversioned.CatalogueHash();
            if (uv != uvCatalogue) context.Violation("same unversioned files", $"{peer.Name} catalogue {uv}, hub {uvCatalogue}");
            CheckDerivedTables(context, peer);
            CheckSyncedTables(context, peer, hub);
        }
    }

    // The board converges, deletions included, on every peer; no server took a forged note.
    private static void CheckSyncedTables(SimulationContext context, Peer peer, Peer hub)
    {
        if (peer.Repo.Tables.Find("board") is not { } board || hub.Repo.Tables.Find("board") is not { } hubBoard)
        {
            context.Violation("same synced tables", $"{peer.Name} lacks the board table after the heal");
            return;
        }
        if (peer != hub)
        {
            string catalogue = board.CatalogueHash(), expected = hubBoard.CatalogueHash();
            if (catalogue != expected) context.Violation("same synced tables", $"{peer.Name} board catalogue {catalogue}, hub {expected}; versions {TableWork.Versions(peer.Repo, "board")} vs {TableWork.Versions(hub.Repo, "board")}");
            var rows = TableWork.Rows(peer.Repo, "board");
            var hubRows = TableWork.Rows(hub.Repo, "board");
            if (!rows.SequenceEqual(hubRows, StringComparer.Ordinal)) context.Violation("deletions propagate", $"{peer.Name} holds {rows.Count} live board rows, hub {hubRows.Count}; first difference {FirstDifference(rows, hubRows)}");
        }
        else
        {
            var forged = TableWork.Rows(hub.Repo, "notes").Where(r => r.EndsWith("owner=" + TableWork.Forger, StringComparison.Ordinal)).ToList();
            if (forged.Count > 0) context.Violation("no row the rules refuse is stored", $"hub holds {forged.Count} notes written in another user's name, e.g. {forged[0]}");
        }
    }

    // The tables crosslinking derived as artifacts came must equal a rebuild from scratch of the same file.
    private static void CheckDerivedTables(SimulationContext context, Peer peer)
    {
        string copy = peer.Path + ".rebuild";
        File.Copy(peer.Repo.Path, copy, overwrite: true);
        try
        {
            using var repository = Repository.Open(copy, peer.Repo.Options with { Faults = null });
            var before = DerivedTables.ToDictionary(t => t.Key, t => Dump(repository, t.Value));
            repository.Rebuild();
            foreach (var (table, sql) in DerivedTables)
            {
                var after = Dump(repository, sql);
                if (before[table].SequenceEqual(after, StringComparer.Ordinal)) continue;
                context.Violation("derived tables equal a rebuild", $"{peer.Name}.{table}: {before[table].Count} rows as linked, {after.Count} after rebuild; first difference {FirstDifference(before[table], after)}");
            }
        }
        finally
        {
            File.Delete(copy);
        }
    }

    private static List<string> Dump(Repository repository, string sql)
    {
        var rows = new List<string>();
        using var cmd = repository.Command(sql);
        using var reader = cmd.ExecuteReader();
        var values = new object[reader.FieldCount];
        while (reader.Read())
        {
            reader.GetValues(values);
            rows.Add(string.Join('\t', values.Select(v => v is double d ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))));
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static string FirstDifference(List<string> a, List<string> b)
    {
        var onlyA = a.Except(b, StringComparer.Ordinal).FirstOrDefault();
        var onlyB = b.Except(a, StringComparer.Ordinal).FirstOrDefault();
        return onlyA is not null ? $"only here: {onlyA}" : onlyB is not null ? $"only there: {onlyB}" : "(order)";
    }
}
