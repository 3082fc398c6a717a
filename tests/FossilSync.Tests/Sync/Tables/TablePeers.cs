using FossilSync.Repo;
using FossilSync.Repo.Tables;
using FossilSync.Server;
using FossilSync.Sync;
using FossilSync.Testing;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Sync.Tables;

/// <summary>
/// A server repository and clients of it, in process: each client's requests go through the real
/// <see cref="SyncHandler"/>. The server has users alice (write), bob (write), admin (s) and carol (o: read only).
/// </summary>
internal sealed class TablePeers : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<Repository> _open = [];
    private int _clients;

    public TablePeers()
    {
        Server = Repository.Create(_dir.File("server.fossil"));
        Server.Users.Create("alice", "secret", "i");
        Server.Users.Create("bob", "secret", "i");
        Server.Users.Create("admin", "secret", "s");
        Server.Users.Create("carol", "secret", "o");
        _open.Add(Server);
    }

    public Repository Server { get; }

    /// <summary>How the server answers (its observer, say); null for the defaults.</summary>
    public SyncServerOptions? ServerOptions { get; set; }

    /// <summary>Every request of the last sync made through <see cref="SyncAsync"/>, and every reply.</summary>
    public List<XferMessage> Requests { get; } = [];

    public List<XferMessage> Replies { get; } = [];

    public string Path(string name) => _dir.File(name);

    public async Task<Repository> CloneAsync()
    {
        var (clone, _) = await FossilClient.CloneAsync(Transport(Server), _dir.File($"client{++_clients}.fossil"));
        _open.Add(clone);
        return clone;
    }

    public MockTransport Transport(Repository server, SyncServerOptions? options = null) => new(async (request, ct) =>
    {
        Requests.Add(request);
        var reply = await SyncHandler.HandleSyncAsync(server, request, options ?? ServerOptions, cancellationToken: ct);
        Replies.Add(reply);
        return reply;
    });

    public Task<SyncResult> SyncAsync(Repository client, string user = "admin", bool pull = true, bool push = true, bool tables = true, Repository? server = null, FossilSync.Observability.ISyncObserver? observer = null, XferLimits? limits = null)
    {
        Requests.Clear();
        Replies.Clear();
        var serverOptions = limits is null ? null : (ServerOptions ?? new SyncServerOptions()) with { Limits = limits };
        return FossilClient.SyncAsync(client, Transport(server ?? Server, serverOptions),
            new SyncOptions { User = user, Password = "secret", Pull = pull, Push = push, Tables = tables, Observer = observer, Limits = limits ?? XferLimits.Default });
    }

    public static TableDefinition Tasks(ConflictPolicy policy = ConflictPolicy.MTimeWins, params TableColumn[] extra) => new("tasks",
        [new TableColumn("id", ColumnType.Integer), new TableColumn("title", ColumnType.Text), new TableColumn("weight", ColumnType.Real), new TableColumn("data", ColumnType.Blob), .. extra],
        ["id"], policy);

    /// <summary>Every live row as canonical JSON (with owner and mtime), in key order.</summary>
    public static string[] Rows(Repository repository, string table = "tasks")
    {
        var found = repository.Tables.Find(table);
        return found is null ? [] : [.. found.Rows().Select(r => $"{SyncedTable.ToJson(found.Definition, r)} owner={r.Owner} mtime={r.MTime}")];
    }

    public void Dispose()
    {
        foreach (var repository in _open) repository.Dispose();
        _dir.Dispose();
    }
}
