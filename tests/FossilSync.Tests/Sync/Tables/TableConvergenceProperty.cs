using CsCheck;
using FossilSync.Repo;
using FossilSync.Repo.Tables;
using FossilSync.Server;
using FossilSync.Sync;
using FossilSync.Testing;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Sync.Tables;

/// <summary>
/// Convergence as a property: three peers (each a client and a server of the others, in
/// process) with skewed clocks put and delete rows and sync in random pairs and directions; once
/// everyone has synced with one peer twice, all hold the same rows and catalogue hash, and each
/// row is the greatest version ever written of it, whatever the order things happened in.
/// </summary>
public sealed class TableConvergenceProperty
{
    private const int Peers = 3;

    private abstract record Op;
    private sealed record Put(int Peer, int Id, int Value) : Op;
    private sealed record Delete(int Peer, int Id) : Op;
    private sealed record Sync(int Client, int Server, bool Pull, bool Push) : Op;
    private sealed record Tick(int Ms) : Op;

    private static readonly Gen<Op> Ops = Gen.Frequency(
        (5, Gen.Select(Gen.Int[0, Peers - 1], Gen.Int[0, 4], Gen.Int[0, 1000], (p, id, v) => (Op)new Put(p, id, v))),
        (2, Gen.Select(Gen.Int[0, Peers - 1], Gen.Int[0, 4], (p, id) => (Op)new Delete(p, id))),
        (3, Gen.Select(Gen.Int[0, Peers - 1], Gen.Int[1, Peers - 1], Gen.Int[0, 2], (c, d, mode) => (Op)new Sync(c, (c + d) % Peers, mode != 1, mode != 0))),
        (2, Gen.Int[1, 3].Select(ms => (Op)new Tick(ms))));

    private static readonly TableDefinition Definition = new("board",
        [new TableColumn("id", ColumnType.Integer), new TableColumn("value", ColumnType.Integer), new TableColumn("weight", ColumnType.Real), new TableColumn("by", ColumnType.Text)], ["id"]);

    private sealed class Clock(long[] now, int skew) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(now[0] + skew);
    }

    [Fact]
    public void Peers_converge_to_the_greatest_version_of_every_row_whatever_the_order()
    {
        Gen.Select(Gen.Int[-1, 1].Array[Peers], Ops.Array[1, 14])
            .Sample((skews, ops) => RunAsync(skews, ops).GetAwaiter().GetResult(), iter: 12, threads: 1, seed: "0000000S00A0");
    }

    // Three peers of one project, each with a user 'peer' (s) and the table, made once and copied for each run.
    private static readonly Lazy<TempDirectory> Template = new(() =>
    {
        var dir = new TempDirectory();
        using var first = Repository.Create(dir.File("p0.fossil"));
        for (int i = 1; i < Peers; i++)
        {
            var (clone, _) = FossilClient.CloneAsync(Transport(first), dir.File($"p{i}.fossil")).GetAwaiter().GetResult();
            clone.Dispose();
        }
        for (int i = 0; i < Peers; i++)
        {
            using var peer = i == 0 ? null : Repository.Open(dir.File($"p{i}.fossil"));
            var repository = peer ?? first;
            repository.Users.Create("peer", "secret", "s");
            repository.Tables.Define(Definition);
        }
        return dir;
    });

    private static async Task RunAsync(int[] skews, Op[] ops)
    {
        using var dir = new TempDirectory();
        long[] now = [1_764_900_000_000];
        var peers = new Repository[Peers];
        try
        {
            for (int i = 0; i < Peers; i++)
            {
                File.Copy(Template.Value.File($"p{i}.fossil"), dir.File($"p{i}.fossil"));
                peers[i] = Repository.Open(dir.File($"p{i}.fossil"), new RepositoryOptions { TimeProvider = new Clock(now, skews[i]) });
            }

            var greatest = new Dictionary<string, RowVersion>();
            // Time moves only on a Tick: writes on two peers often share an mtime, and the tie-break decides.
            foreach (var op in ops)
            {
                switch (op)
                {
                    case Put(var p, var id, var v):
                        peers[p].Tables["board"].Put(new TableRow { ["id"] = (long)id, ["value"] = (long)v, ["weight"] = v / 7.0, ["by"] = $"peer {p}" });
                        Note(peers[p], id, greatest);
                        break;
                    case Delete(var p, var id):
                        if (peers[p].Tables["board"].Delete(new TableRow { ["id"] = (long)id })) Note(peers[p], id, greatest);
                        break;
                    case Sync(var c, var s, var pull, var push):
                        await SyncAsync(peers[c], peers[s], pull, push);
                        break;
                    case Tick(var ms):
                        now[0] += ms;
                        break;
                }
            }
            for (int pass = 0; pass < 2; pass++)
            {
                for (int i = 1; i < Peers; i++) await SyncAsync(peers[i], peers[0], pull: true, push: true);
            }

            var expected = TablePeers.Rows(peers[0], "board");
            string hash = peers[0].Tables["board"].CatalogueHash();
            foreach (var peer in peers)
            {
                TablePeers.Rows(peer, "board").Should().Equal(expected);
                peer.Tables["board"].CatalogueHash().Should().Be(hash);
            }
            var store = peers[0].Tables.Store;
            foreach (var (pk, version) in greatest) store.Version(Definition, pk).Should().Be(version, "the greatest version written wins everywhere");
        }
        finally
        {
            foreach (var peer in peers) peer?.Dispose();
        }
    }

    private static void Note(Repository peer, int id, Dictionary<string, RowVersion> greatest)
    {
        string pk = RowKeyHash.Compute(Definition, [(long)id, null, null, null]);
        var version = peer.Tables.Store.Version(Definition, pk)!.Value;
        if (!greatest.TryGetValue(pk, out var held) || version.CompareTo(held) > 0) greatest[pk] = version;
    }

    private static Task<SyncResult> SyncAsync(Repository client, Repository server, bool pull, bool push) =>
        FossilClient.SyncAsync(client, Transport(server), new SyncOptions { User = "peer", Password = "secret", Pull = pull, Push = push, Tables = true });

    private static MockTransport Transport(Repository server) => new((request, ct) => SyncHandler.HandleSyncAsync(server, request, cancellationToken: ct));
}
