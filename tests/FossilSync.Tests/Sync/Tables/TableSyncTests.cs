using FossilSync.Repo.Tables;
using FossilSync.Sync;
using FossilSync.Xfer;

namespace FossilSync.Tests.Sync.Tables;

public sealed class TableSyncTests : IDisposable
{
    private readonly TablePeers _peers = new();

    public void Dispose() => _peers.Dispose();

    [Fact]
    public async Task Rows_travel_both_ways_with_exact_types_and_deletions_follow()
    {
        var client = await _peers.CloneAsync();
        var served = _peers.Server.Tables.Define(TablePeers.Tasks());
        const long big = (1L << 53) + 1;
        double third = 1.0 / 3.0;
        served.Put(new TableRow { ["id"] = big, ["title"] = "from the server", ["weight"] = third, ["data"] = new byte[] { 0, 255 } });
        served.Put(new TableRow { ["id"] = 2L, ["title"] = "to be deleted" });

        var pulled = await _peers.SyncAsync(client);
        pulled.TableRowsReceived.Should().Be(2);
        var mine = client.Tables["tasks"];
        var row = mine.Get(new TableRow { ["id"] = big })!;
        row["id"].Should().Be(big);
        BitConverter.DoubleToInt64Bits((double)row["weight"]!).Should().Be(BitConverter.DoubleToInt64Bits(third));
        row["data"].Should().BeEquivalentTo(new byte[] { 0, 255 });

        mine.Put(new TableRow { ["id"] = 3L, ["title"] = "from the client" });
        mine.Delete(new TableRow { ["id"] = 2L }).Should().BeTrue();
        var pushed = await _peers.SyncAsync(client);
        pushed.TableRowsSent.Should().Be(2);

        TablePeers.Rows(_peers.Server).Should().Equal(TablePeers.Rows(client));
        TablePeers.Rows(_peers.Server).Should().HaveCount(2);
        served.Get(new TableRow { ["id"] = 2L }).Should().BeNull();
        served.CatalogueHash().Should().Be(mine.CatalogueHash());
    }

    [Fact]
    public async Task The_observer_hears_each_table_once_with_the_rows_it_moved_each_way()
    {
        var client = await _peers.CloneAsync();
        var served = _peers.Server.Tables.Define(TablePeers.Tasks());
        served.Put(new TableRow { ["id"] = 1L, ["title"] = "one" });
        served.Put(new TableRow { ["id"] = 2L, ["title"] = "two" });
        var first = new TableObserver();
        await _peers.SyncAsync(client, observer: first);
        client.Tables["tasks"].Put(new TableRow { ["id"] = 3L, ["title"] = "three" });
        var second = new TableObserver();

        await _peers.SyncAsync(client, observer: second);

        first.Events.Should().Equal("start tasks", "end tasks sent 0 received 2");
        second.Events.Should().Equal("start tasks", "end tasks sent 1 received 0");
        first.Sessions.Should().ContainSingle("start and end name the session they belong to");
    }

    [Fact]
    public async Task The_server_observer_hears_each_table_of_each_request_with_the_rows_it_moved()
    {
        var client = await _peers.CloneAsync();
        var served = _peers.Server.Tables.Define(TablePeers.Tasks());
        served.Put(new TableRow { ["id"] = 1L, ["title"] = "one" });
        served.Put(new TableRow { ["id"] = 2L, ["title"] = "two" });
        var first = new ServerTableObserver();
        _peers.ServerOptions = new FossilSync.Server.SyncServerOptions { Observer = first };
        await _peers.SyncAsync(client);
        client.Tables["tasks"].Put(new TableRow { ["id"] = 3L, ["title"] = "three" });
        var second = new ServerTableObserver();
        _peers.ServerOptions = new FossilSync.Server.SyncServerOptions { Observer = second };

        await _peers.SyncAsync(client);

        first.Totals().Should().Be("tasks sent 2 received 0");
        second.Totals().Should().Be("tasks sent 0 received 1");
        foreach (var observer in new[] { first, second })
        {
            observer.Ends.Select(e => e.Request).Should().Equal(observer.Starts.Select(s => s.Request), "each start is ended, in the same request");
            observer.Starts.Select(s => s.Request).Should().OnlyHaveUniqueItems("a table is reported once per request").And.BeSubsetOf(observer.Requests);
        }
    }

    private sealed class ServerTableObserver : FossilSync.Observability.ISyncObserver
    {
        public List<long> Requests { get; } = [];
        public List<(long Request, string Table)> Starts { get; } = [];
        public List<(long Request, string Table, int Sent, int Received)> Ends { get; } = [];

        public string Totals() => string.Join("; ", Ends.GroupBy(e => e.Table).Select(g => $"{g.Key} sent {g.Sum(e => e.Sent)} received {g.Sum(e => e.Received)}"));

        public void OnServerRequestStart(FossilSync.Observability.ServerRequestInfo request) => Requests.Add(request.Id);

        public void OnTableSyncStart(FossilSync.Observability.TableSyncInfo table) => Starts.Add((table.SessionId, table.Table));

        public void OnTableSyncEnd(FossilSync.Observability.TableSyncInfo table, FossilSync.Observability.TableSyncStats stats) =>
            Ends.Add((table.SessionId, table.Table, stats.RowsSent, stats.RowsReceived));
    }

    private sealed class TableObserver : FossilSync.Observability.ISyncObserver
    {
        public List<string> Events { get; } = [];
        public HashSet<long> Sessions { get; } = [];

        public void OnTableSyncStart(FossilSync.Observability.TableSyncInfo table)
        {
            Sessions.Add(table.SessionId);
            Events.Add($"start {table.Table}");
        }

        public void OnTableSyncEnd(FossilSync.Observability.TableSyncInfo table, FossilSync.Observability.TableSyncStats stats)
        {
            Sessions.Add(table.SessionId);
            Events.Add($"end {table.Table} sent {stats.RowsSent} received {stats.RowsReceived}");
        }
    }

    [Fact]
    public async Task A_second_sync_of_equal_tables_costs_one_summary_card_per_table_and_no_rows()
    {
        var client = await _peers.CloneAsync();
        _peers.Server.Tables.Define(TablePeers.Tasks()).Put(new TableRow { ["id"] = 1L });
        await _peers.SyncAsync(client);

        var again = await _peers.SyncAsync(client);
        again.Rounds.Should().Be(1);
        again.TableRowsReceived.Should().Be(0);
        _peers.Replies.SelectMany(r => r.Cards).OfType<XSchemaCard>().Should().ContainSingle();
        _peers.Replies.SelectMany(r => r.Cards).Where(c => c is XRowCard or XDeleteCard or XIGotCard).Should().BeEmpty();
        _peers.Requests.SelectMany(r => r.Cards).Where(c => c is XSchemaCard or XIGotCard or XRowCard).Should().BeEmpty();
    }

    [Fact]
    public async Task Nothing_but_the_offer_is_sent_until_the_server_accepts_it()
    {
        var client = await _peers.CloneAsync();
        client.Tables.Define(TablePeers.Tasks()).Put(new TableRow { ["id"] = 1L });
        await _peers.SyncAsync(client);
        var first = _peers.Requests[0].Cards;
        first.Should().Contain(new PragmaCard("xtables", "1"));
        first.Where(c => c is XSchemaCard or XIGotCard or XGimmeCard or XRowCard or XDeleteCard).Should().BeEmpty();
        TablePeers.Rows(_peers.Server).Should().Equal(TablePeers.Rows(client));
    }

    [Fact]
    public async Task Without_the_option_no_table_card_is_sent_or_answered()
    {
        var client = await _peers.CloneAsync();
        client.Tables.Define(TablePeers.Tasks()).Put(new TableRow { ["id"] = 1L });
        _peers.Server.Tables.Define(TablePeers.Tasks()).Put(new TableRow { ["id"] = 2L });
        await _peers.SyncAsync(client, tables: false);
        _peers.Requests.SelectMany(r => r.Cards).OfType<PragmaCard>().Should().NotContain(p => p.Name == "xtables");
        _peers.Replies.SelectMany(r => r.Cards).Should().NotContain(c => c is XSchemaCard || (c is PragmaCard && ((PragmaCard)c).Name == "xtables"));
        TablePeers.Rows(client).Should().ContainSingle();
    }

    [Fact]
    public async Task An_added_column_is_replicated_and_old_rows_keep_their_hash()
    {
        var client = await _peers.CloneAsync();
        _peers.Server.Tables.Define(TablePeers.Tasks()).Put(new TableRow { ["id"] = 1L, ["title"] = "old" });
        await _peers.SyncAsync(client);

        _peers.Server.Tables.Define(TablePeers.Tasks(extra: new TableColumn("due", ColumnType.Integer)))
            .Put(new TableRow { ["id"] = 2L, ["due"] = 20261205L });
        await _peers.SyncAsync(client);
        client.Tables["tasks"].Definition.Columns.Select(c => c.Name).Should().Equal("id", "title", "weight", "data", "due");
        TablePeers.Rows(client).Should().Equal(TablePeers.Rows(_peers.Server));
        client.Tables["tasks"].CatalogueHash().Should().Be(_peers.Server.Tables["tasks"].CatalogueHash());
    }

    [Fact]
    public async Task A_table_defined_on_a_client_reaches_the_server_only_from_an_admin()
    {
        var client = await _peers.CloneAsync();
        client.Tables.Define(TablePeers.Tasks()).Put(new TableRow { ["id"] = 1L });

        var refused = await _peers.SyncAsync(client, user: "alice");
        refused.TableErrors.Should().ContainSingle().Which.Should().Match<TableSyncError>(e =>
            e.Table == "tasks" && e.Kind == TableSyncErrorKind.SchemaRefused && e.ByServer && e.PkHash == null && e.Message.Contains("needs admin capability"));
        refused.Errors.Should().Contain(e => e.Contains("needs admin capability"));
        _peers.Server.Tables.Find("tasks").Should().BeNull();

        await _peers.SyncAsync(client, user: "admin");
        TablePeers.Rows(_peers.Server).Should().Equal(TablePeers.Rows(client));
    }

    [Fact]
    public async Task An_incompatible_schema_is_refused_with_a_clear_error_and_nothing_changes()
    {
        var client = await _peers.CloneAsync();
        _peers.Server.Tables.Define(TablePeers.Tasks()).Put(new TableRow { ["id"] = 1L });
        client.Tables.Define(new TableDefinition("tasks", [new TableColumn("id", ColumnType.Text)], ["id"])).Put(new TableRow { ["id"] = "x" });

        var result = await _peers.SyncAsync(client);
        result.TableErrors.Should().ContainSingle().Which.Should().Match<TableSyncError>(e =>
            e.Table == "tasks" && e.Kind == TableSyncErrorKind.IncompatibleSchema && !e.ByServer && e.Message.Contains("incompatible"));
        result.Errors.Should().ContainSingle().Which.Should().Contain("tasks").And.Contain("incompatible");
        TablePeers.Rows(client).Should().ContainSingle().Which.Should().StartWith("{\"id\":\"x\"}");
        TablePeers.Rows(_peers.Server).Should().ContainSingle().Which.Should().StartWith("{\"id\":1}");
    }

    [Fact]
    public async Task Writes_need_the_write_capability_and_owner_write_rows_their_owner()
    {
        var alice = await _peers.CloneAsync();
        var bob = await _peers.CloneAsync();
        var definition = TablePeers.Tasks(ConflictPolicy.OwnerWrite);
        _peers.Server.Tables.Define(definition);
        await _peers.SyncAsync(alice, user: "alice");
        await _peers.SyncAsync(bob, user: "bob");

        alice.Tables["tasks"].Put(new TableRow { ["id"] = 1L, ["title"] = "alice's" }, user: "alice");
        await _peers.SyncAsync(alice, user: "alice");
        _peers.Server.Tables["tasks"].Get(new TableRow { ["id"] = 1L })!.Owner.Should().Be("alice");

        // Bob writes a row as if it were alice's: the server keeps alice's.
        bob.Tables["tasks"].Put(new TableRow { ["id"] = 2L, ["title"] = "forged" }, user: "alice");
        var forged = await _peers.SyncAsync(bob, user: "bob", pull: false);
        string forgedKey = RowKeyHash.Compute(definition, RowCodec.Values(definition, new TableRow { ["id"] = 2L }, keyOnly: true));
        forged.TableErrors.Should().ContainSingle().Which.Should().Match<TableSyncError>(e =>
            e.Table == "tasks" && e.Kind == TableSyncErrorKind.RowRefused && e.ByServer && e.PkHash == forgedKey && e.Message.Contains("owner"));
        forged.Errors.Should().ContainSingle();
        _peers.Server.Tables["tasks"].Get(new TableRow { ["id"] = 2L }).Should().BeNull();

        // A reader sends nothing that is kept.
        var readerClient = await _peers.CloneAsync();
        await _peers.SyncAsync(readerClient, user: "carol");
        readerClient.Tables["tasks"].Put(new TableRow { ["id"] = 3L }, user: "carol");
        await _peers.SyncAsync(readerClient, user: "carol");
        _peers.Server.Tables["tasks"].Get(new TableRow { ["id"] = 3L }).Should().BeNull();
    }

    [Fact]
    public async Task An_incompatible_schema_leaves_out_the_table_and_keeps_the_artifacts_of_the_same_rounds()
    {
        var client = await _peers.CloneAsync();
        string artifact = _peers.Server.PutArtifact("an artifact beside an incompatible table\n"u8);
        _peers.Server.Tables.Define(TablePeers.Tasks()).Put(new TableRow { ["id"] = 1L });
        client.Tables.Define(new TableDefinition("tasks", [new TableColumn("id", ColumnType.Text)], ["id"])).Put(new TableRow { ["id"] = "x" });
        var other = client.Tables.Define(new TableDefinition("notes", [new TableColumn("id", ColumnType.Integer)], ["id"]));
        other.Put(new TableRow { ["id"] = 5L });

        var result = await _peers.SyncAsync(client);

        _peers.Replies.Where(r => r.Cards.Any(c => c is FileCard or CFileCard) && r.Cards.OfType<XSchemaCard>().Any(x => x.Table == "tasks")).Should().NotBeEmpty(
            "a reply carries artifacts and the incompatible table together");
        client.HasArtifact(artifact).Should().BeTrue();
        result.FilesReceived.Should().BeGreaterThan(0);
        result.TableErrors.Should().ContainSingle().Which.Kind.Should().Be(TableSyncErrorKind.IncompatibleSchema);
        _peers.Server.Tables["notes"].CatalogueHash().Should().Be(other.CatalogueHash(), "the other table still syncs");
        TablePeers.Rows(_peers.Server).Should().ContainSingle().Which.Should().StartWith("{\"id\":1");
    }

    [Fact]
    public async Task A_catalogue_past_the_cards_a_message_may_carry_is_spread_over_rounds()
    {
        // Both sides read at most 40 cards a message and name at most 5 versions of a kind in one.
        var limits = new XferLimits { MaxCards = 40, MaxTableVersionsPerMessage = 5 };
        var client = await _peers.CloneAsync();
        var served = _peers.Server.Tables.Define(TablePeers.Tasks());
        var mine = client.Tables.Define(TablePeers.Tasks());
        for (long id = 0; id < 60; id++)
        {
            served.Put(new TableRow { ["id"] = id, ["title"] = "server's" });
            mine.Put(new TableRow { ["id"] = 1000 + id, ["title"] = "client's" });
        }
        mine.Put(new TableRow { ["id"] = 7L, ["title"] = "newer on the client" });

        var result = await _peers.SyncAsync(client, limits: limits);

        TablePeers.Rows(client).Should().HaveCount(120).And.Equal(TablePeers.Rows(_peers.Server));
        mine.CatalogueHash().Should().Be(served.CatalogueHash());
        result.TableRowsReceived.Should().Be(59);
        result.TableRowsSent.Should().Be(61);
        foreach (var message in _peers.Requests.Concat(_peers.Replies))
        {
            message.Cards.Count(c => c is XIGotCard).Should().BeLessThanOrEqualTo(5);
            message.Cards.Count(c => c is XRowCard or XDeleteCard).Should().BeLessThanOrEqualTo(5);
        }
        _peers.Requests.Count(r => r.Cards.Any(c => c is XIGotCard)).Should().BeGreaterThan(10, "the client's catalogue went out in parts");
    }
}
