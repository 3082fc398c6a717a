using FossilSync.AspNetCore;
using FossilSync.Http;
using Microsoft.Data.Sqlite;

namespace FossilSync.Tests.Infrastructure;

/// <summary>
/// One small repository served twice: by stock's <c>fossil server</c> from one copy and by our
/// server from another, so that the same request can be put to both and their verdicts and
/// what they stored compared. It holds a few public check-ins, one private check-in, one
/// unversioned file, a configuration sample (a user, a concealed address…), the user
/// <c>alice</c> (password <see cref="Password"/>) whose capabilities each test sets, and a
/// password for the built-in user <c>developer</c>.
/// </summary>
public sealed class TwinServers : IAsyncLifetime
{
    public const string Password = "secret";
    public const string DeveloperPassword = "developer-pw";
    public const string UnversionedName = "docs/readme.txt";

    private readonly TempDirectory _dir = new();
    private readonly HttpClient _http = new();
    private StockServer? _stock;
    private FossilSyncServer? _ours;

    public string Folder => _dir.Path;
    public string StockRepository => _dir.File("stock.fossil");
    public string OurRepository => _dir.File("ours.fossil");
    public string ProjectCode { get; private set; } = "";
    public Uri StockUrl => _stock!.Url;
    public Uri OurUrl => _ours!.Url;

    /// <summary>The hashes of the private check-in's artifacts.</summary>
    public IReadOnlyList<string> PrivateArtifacts { get; private set; } = [];

    /// <summary>The hash of one public artifact both servers hold.</summary>
    public string PublicArtifact { get; private set; } = "";

    public async Task InitializeAsync()
    {
        string origin = _dir.File("origin.fossil");
        StockRepositoryBuilder.Build(origin, commits: 4, seed: 97);
        StockFossil.Ok(Folder, "user", "new", "alice", "alice@example.com", Password, "-R", origin);
        StockFossil.Ok(Folder, "user", "password", "developer", DeveloperPassword, "-R", origin);
        StockFossil.CommitInCheckout(origin, _dir.File("private-work"), "secret.txt", "private to the servers\n", "private work", "alice", isPrivate: true);
        File.WriteAllText(_dir.File("readme.txt"), "an unversioned file\n");
        StockFossil.Ok(Folder, "uv", "add", _dir.File("readme.txt"), "--as", UnversionedName, "-R", origin);
        ConfigurationSample.WriteInto(Folder, origin);
        ProjectCode = Rows(origin, "SELECT value FROM config WHERE name='project-code'").Single();
        PrivateArtifacts = Rows(origin, "SELECT uuid FROM blob WHERE rid IN private ORDER BY uuid");
        PublicArtifact = Rows(origin, "SELECT uuid FROM blob WHERE rid NOT IN private AND size>=0 ORDER BY rid LIMIT 1").Single();
        File.Copy(origin, StockRepository);
        File.Copy(origin, OurRepository);
        _stock = new StockServer(StockRepository);
        _ours = await FossilSyncServer.StartAsync(OurRepository, "http://127.0.0.1:0");
    }

    public async Task DisposeAsync()
    {
        _stock?.Dispose();
        if (_ours is not null) await _ours.DisposeAsync();
        _http.Dispose();
        _dir.Dispose();
    }

    /// <summary>
    /// Gives <c>alice</c>, <c>nobody</c> and <c>anonymous</c> these capabilities on both servers
    /// (every test sets all three, so none depends on what an earlier one left).
    /// </summary>
    public void SetCapabilities(string alice, string nobody = "", string anonymous = "") =>
        ExecuteOnBoth($"UPDATE user SET cap='{alice}' WHERE login='alice'; UPDATE user SET cap='{nobody}' WHERE login='nobody'; UPDATE user SET cap='{anonymous}' WHERE login='anonymous';");

    /// <summary>Puts <paramref name="request"/> to both servers.</summary>
    public async Task<TwinReplies> SendAsync(CraftedRequest request) => await SendAsync(request.Bytes);

    /// <summary>Puts the plain request body <paramref name="body"/> to both servers.</summary>
    public async Task<TwinReplies> SendAsync(byte[] body) =>
        new(await SyncReply.PostAsync(_http, "stock's server", StockUrl, body), await SyncReply.PostAsync(_http, "our server", OurUrl, body));

    /// <summary>The rows <paramref name="sql"/> gives on each server's repository.</summary>
    public (IReadOnlyList<string> Stock, IReadOnlyList<string> Ours) Query(string sql) => (Rows(StockRepository, sql), Rows(OurRepository, sql));

    /// <summary>Asserts that <paramref name="sql"/> gives <paramref name="expected"/> on both repositories.</summary>
    public void ShouldBothHold(string sql, string expected, string because)
    {
        var (stock, ours) = Query(sql);
        string.Join("\n", stock).Should().Be(expected, "on stock's server: " + because);
        string.Join("\n", ours).Should().Be(expected, "on our server: " + because);
    }

    /// <summary>Runs <paramref name="sql"/> on both repositories.</summary>
    public void ExecuteOnBoth(string sql)
    {
        Rows(StockRepository, sql);
        Rows(OurRepository, sql);
    }

    /// <summary>A URL of <paramref name="server"/> that carries alice's credentials.</summary>
    public static string WithAlice(Uri server, string password = Password) => server.ToString().Replace("http://", $"http://alice:{password}@");

    // Straight through SQLite rather than 'fossil sql': tests look often, and a process each
    // time would dominate their run time. No pooling: no handle stays open between requests.
    private static List<string> Rows(string repository, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = repository, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        do
        {
            while (reader.Read()) rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }
        while (reader.NextResult());
        return rows;
    }
}
