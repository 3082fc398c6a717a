using System.Text;
using FossilSync.AspNetCore;
using FossilSync.Http;
using FossilSync.Repo;
using FossilSync.Repo.Tables;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Sync.Tables;

/// <summary>
/// Table sync against stock fossil 2.21, both ways: our client offers it to a stock server,
/// which ignores the offer, and the sync goes exactly as without tables; a stock client of our
/// server, which holds tables, is never sent a table-sync card.
/// </summary>
public sealed class TableInteropTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _served;

    public TableInteropTests()
    {
        _served = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(_served, commits: 6, seed: 19);
        StockFossil.Ok(_dir.Path, "user", "new", "alice", "", "secret", "-R", _served);
        StockFossil.Ok(_dir.Path, "user", "capabilities", "alice", "ois", "-R", _served);
    }

    public void Dispose() => _dir.Dispose();

    private sealed class RecordingTransport(ITransport inner) : ITransport
    {
        public List<XferMessage> Requests { get; } = [];
        public List<XferMessage> Replies { get; } = [];

        public async Task<XferMessage> ExchangeAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
        {
            Requests.Add(XferMessage.Decode(request));
            var reply = await inner.ExchangeAsync(request, cancellationToken);
            Replies.Add(reply);
            return reply;
        }
    }

    private static bool IsTableCard(XferCard card) => card is XSchemaCard or XIGotCard or XGimmeCard or XRowCard or XDeleteCard;

    [Fact]
    public async Task Against_a_stock_server_a_sync_with_tables_on_goes_exactly_as_without()
    {
        using var server = new StockServer(_served);
        using var http = new HttpTransport(server.Url);
        var (withTables, _) = await FossilClient.CloneAsync(http, _dir.File("with.fossil"), new CloneOptions { Tables = true });
        var (without, _) = await FossilClient.CloneAsync(http, _dir.File("without.fossil"));
        using (withTables)
        using (without)
        {
            var table = withTables.Tables.Define(new TableDefinition("tasks", [new TableColumn("id", ColumnType.Integer), new TableColumn("title", ColumnType.Text)], ["id"]));
            table.Put(new TableRow { ["id"] = 1L, ["title"] = "stays here" });
            StockFossil.CommitInCheckout(_served, Path.Combine(_dir.Path, "work"), "new.txt", "a check-in made after the clones\n", "after the clones", "alice");

            var recording = new RecordingTransport(http);
            var on = await FossilClient.SyncAsync(withTables, recording, new SyncOptions { Tables = true, User = "alice", Password = "secret" });
            var off = await FossilClient.SyncAsync(without, http, new SyncOptions { User = "alice", Password = "secret" });

            (on.Rounds, on.FilesReceived, on.FilesSent, on.Messages.Count).Should().Be((off.Rounds, off.FilesReceived, off.FilesSent, off.Messages.Count));
            on.FilesReceived.Should().BeGreaterThan(0);
            (on.TableRowsSent, on.TableRowsReceived).Should().Be((0, 0));
            recording.Requests.Should().OnlyContain(r => r.Cards.Contains(new PragmaCard("xtables", "1")));
            recording.Requests.SelectMany(r => r.Cards).Where(IsTableCard).Should().BeEmpty();
            recording.Replies.SelectMany(r => r.Cards).Should().NotContain(c => c is ErrorCard || IsTableCard(c));
            withTables.Verify().IsOk.Should().BeTrue();
            table.Rows().Should().ContainSingle();
        }
    }

    [Fact]
    public async Task A_stock_client_of_our_server_with_tables_is_sent_no_table_card()
    {
        using (var ours = Repository.Open(_served))
        {
            var table = ours.Tables.Define(new TableDefinition("tasks", [new TableColumn("id", ColumnType.Integer), new TableColumn("title", ColumnType.Text)], ["id"]));
            table.Put(new TableRow { ["id"] = 1L, ["title"] = "only for peers that ask" });
        }
        await using var server = await FossilSyncServer.StartAsync(_served, "http://127.0.0.1:0");
        string url = server.Url.ToString().Replace("http://", "http://alice:secret@");
        string traces = Path.Combine(_dir.Path, "traces");
        Directory.CreateDirectory(traces);
        string clone = _dir.File("stock-clone.fossil");
        var cloned = StockFossil.Run(traces, "clone", "--httptrace", url, clone);
        cloned.ExitCode.Should().Be(0, cloned.Stdout + cloned.Stderr);
        var synced = StockFossil.Run(traces, "sync", "--httptrace", url, "-R", clone);
        synced.ExitCode.Should().Be(0, synced.Stdout + synced.Stderr);
        (synced.Stdout + synced.Stderr).Should().NotContainAny("error", "Error", "unknown command");

        var replies = Directory.GetFiles(traces, "http-reply-*.txt");
        replies.Should().NotBeEmpty("--httptrace keeps every reply");
        foreach (string reply in replies)
        {
            string text = Encoding.Latin1.GetString(File.ReadAllBytes(reply));
            text.Should().NotContainAny("xschema", "xtables", "xrow", "xigot");
        }
        Directory.GetFiles(traces, "http-request-*.txt").Select(f => Encoding.Latin1.GetString(File.ReadAllBytes(f))).Should().OnlyContain(t => !t.Contains("xtables"));
        StockFossil.Run(_dir.Path, "test-integrity", "-R", clone).IntegrityOk.Should().BeTrue();
    }
}
