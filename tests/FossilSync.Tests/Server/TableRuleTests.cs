using System.Text;
using FossilSync.Repo;
using FossilSync.Repo.Tables;
using FossilSync.Server;
using FossilSync.Tests.Infrastructure;
using FossilSync.Tests.Sync.Tables;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

/// <summary>
/// Hostile table-sync cards sent straight to the server's round: defining or changing a table
/// needs 'a' or 's', rows need 'i' and the table's policy, nothing reaches outside <c>x_</c> or a
/// core table, and a refused request leaves the repository exactly as it was.
/// </summary>
public sealed class TableRuleTests : IDisposable
{
    private readonly TablePeers _peers = new();
    private readonly Repository _server;

    public TableRuleTests()
    {
        _server = _peers.Server;
        _server.Tables.Define(TablePeers.Tasks()).Put(new TableRow { ["id"] = 1L, ["title"] = "held" });
        _server.Tables.Define(new TableDefinition("notes", [new TableColumn("id", ColumnType.Integer), new TableColumn("text", ColumnType.Text)], ["id"], ConflictPolicy.OwnerWrite))
            .Put(new TableRow { ["id"] = 1L, ["text"] = "alice's note" }, user: "alice");
        _server.Tables.Define(new TableDefinition("presence", [new TableColumn("who", ColumnType.Text), new TableColumn("at", ColumnType.Integer)], ["who"], ConflictPolicy.SelfWrite));
    }

    public void Dispose() => _peers.Dispose();

    private async Task<XferMessage> SendAsync(string user, params XferCard[] cards)
    {
        var modes = new XferCard[] { new PullCard(new string('0', 40), _server.ProjectCode), new PushCard(new string('0', 40), _server.ProjectCode), new PragmaCard("xtables", "1") };
        return await SendRawAsync(CraftedRequest.Signed(user, "secret", _server.ProjectCode, [.. modes, .. cards]).Bytes);
    }

    private async Task<XferMessage> SendRawAsync(byte[] body)
    {
        var response = await SyncHandler.HandleSyncAsync(_server, new SyncRequest(body, XferContentType.Uncompressed));
        return XferContentType.IsCompressed(response.ContentType) ? XferMessage.DecodeCompressed(response.Body) : XferMessage.Decode(response.Body);
    }

    // Every table's schema and every row of every table: what "exactly as it was" means.
    private string State()
    {
        var text = new StringBuilder();
        var tables = new List<string>();
        using (var reader = _server.Query("SELECT name, sql FROM sqlite_schema WHERE type='table' ORDER BY name"))
        {
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
                text.AppendLine(reader.GetString(1));
            }
        }
        foreach (string table in tables.Where(t => t.StartsWith("x", StringComparison.Ordinal) || t is "user" or "blob" or "config"))
        {
            // The registry's cached catalogue hash is filled in by any summary: not a change.
            using var reader = _server.Query(table == "xtable" ? "SELECT name, columns, policy, mtime FROM xtable" : $"SELECT * FROM \"{table}\"");
            while (reader.Read())
            {
                for (int i = 0; i < reader.FieldCount; i++) text.Append(reader.GetValue(i) is byte[] b ? Convert.ToHexString(b) : reader.GetValue(i)?.ToString()).Append('|');
                text.AppendLine();
            }
        }
        return text.ToString();
    }

    private static XSchemaCard Schema(string name, string json) => new(name, new string('0', 40), Encoding.UTF8.GetBytes(json));

    private static XRowCard Row(TableDefinition definition, TableRow row, long mtime, string? owner = null)
    {
        string json = SyncedTable.ToJson(definition, row);
        if (owner is not null) json = json[..^1] + $",\"_owner\":\"{owner}\"}}";
        var values = RowCodec.Values(definition, row, keyOnly: false);
        return new XRowCard(definition.Name, RowKeyHash.Compute(definition, values), mtime, Encoding.UTF8.GetBytes(json));
    }

    private const string TwoColumns = """{"columns":[["id","integer"],["text","text"]],"key":["id"],"policy":"mtime-wins","owner":false}""";

    [Theory]
    [InlineData("alice")]   // i: write, not admin
    [InlineData("carol")]   // o: read only
    public async Task Defining_a_table_needs_admin_capability(string user)
    {
        string before = State();
        var reply = await SendAsync(user, Schema("intruder", TwoColumns));
        reply.Cards.OfType<ErrorCard>().Should().BeEmpty("a refused table leaves the rest of the round going");
        reply.Cards.OfType<XRefusedCard>().Should().ContainSingle().Which.Should().Match<XRefusedCard>(r => r.Table == "intruder" && r.PkHash == null && r.Code == "schema" && r.Message.Contains("needs admin capability"));
        State().Should().Be(before);
        _server.Tables.Find("intruder").Should().BeNull();
    }

    [Fact]
    public async Task An_admin_defines_a_table_and_adds_columns_but_cannot_change_a_key()
    {
        (await SendAsync("admin", Schema("fresh", TwoColumns))).Cards.Should().NotContain(c => c is ErrorCard || c is XRefusedCard);
        _server.Tables["fresh"].Definition.Columns.Should().HaveCount(2);

        string before = State();
        var changedKey = await SendAsync("admin", Schema("fresh", TwoColumns.Replace("\"key\":[\"id\"]", "\"key\":[\"text\"]")));
        changedKey.Cards.OfType<XRefusedCard>().Should().ContainSingle().Which.Should().Match<XRefusedCard>(r => r.Code == "incompatible" && r.Message.Contains("incompatible schema change refused") && r.Message.Contains("primary key"));
        State().Should().Be(before);

        var alice = await SendAsync("alice", Schema("fresh", TwoColumns.Replace("[\"text\",\"text\"]", "[\"text\",\"text\"],[\"more\",\"real\"]")));
        alice.Cards.OfType<XRefusedCard>().Should().ContainSingle().Which.Message.Should().Contain("needs admin capability");
        State().Should().Be(before);
    }

    [Theory]
    [InlineData("user")]
    [InlineData("blob")]
    [InlineData("config")]
    [InlineData("xtable")]
    [InlineData("xtable_tombstone")]
    [InlineData("sqlite_master")]
    public async Task No_card_reaches_a_core_table_even_from_an_admin(string name)
    {
        string before = State();
        var schema = await SendAsync("admin", Schema(name, TwoColumns));
        schema.Cards.OfType<XRefusedCard>().Should().ContainSingle().Which.Message.Should().Contain("reserved");

        var row = new XRowCard(name, new string('a', 40), 1, "{\"id\":1}"u8.ToArray());
        var rowReply = await SendAsync("admin", row);
        rowReply.Cards.OfType<XRefusedCard>().Should().ContainSingle().Which.Message.Should().Contain("no synced table");
        State().Should().Be(before);
    }

    [Theory]
    [InlineData("xschema USER 0000000000000000000000000000000000000000 2\n{}\n")]
    [InlineData("xschema a\"b 0000000000000000000000000000000000000000 2\n{}\n")]
    [InlineData("xrow tasks 0000000000000000000000000000000000000000 1 99999999999\n{}\n")]
    [InlineData("xrow tasks NOTAHASH 1 2\n{}\n")]
    public async Task A_malformed_table_card_fails_the_round_and_changes_nothing(string card)
    {
        string before = State();
        var modes = CraftedRequest.Encode(new PushCard(new string('0', 40), _server.ProjectCode), new PragmaCard("xtables", "1"));
        var good = CraftedRequest.Encode(Row(_server.Tables["tasks"].Definition, new TableRow { ["id"] = 9L }, 5_000_000_000_000));
        var reply = await SendRawAsync(CraftedRequest.Signed("admin", "secret", _server.ProjectCode, [.. modes, .. good, .. Encoding.UTF8.GetBytes(card)]).Bytes);
        reply.Cards.OfType<ErrorCard>().Should().ContainSingle();
        State().Should().Be(before);
    }

    [Fact]
    public async Task A_row_whose_key_does_not_match_its_name_fails_the_round_and_changes_nothing()
    {
        string before = State();
        var tasks = _server.Tables["tasks"].Definition;
        var good = Row(tasks, new TableRow { ["id"] = 9L }, 5_000_000_000_000);
        var lying = Row(tasks, new TableRow { ["id"] = 1L, ["title"] = "overwritten" }, 5_000_000_000_000) with { PkHash = good.PkHash.Replace('a', 'b') };
        var reply = await SendAsync("admin", good, lying with { PkHash = RowKeyHash.Compute(tasks, [2L, null, null, null]) });
        reply.Cards.OfType<ErrorCard>().Should().ContainSingle().Which.Message.Should().Contain("has the key of");
        State().Should().Be(before);
    }

    [Fact]
    public async Task Rows_need_write_capability()
    {
        string before = State();
        var reply = await SendAsync("carol", Row(_server.Tables["tasks"].Definition, new TableRow { ["id"] = 1L, ["title"] = "by a reader" }, 5_000_000_000_000));
        reply.Cards.OfType<ErrorCard>().Should().Contain(e => e.Message.Contains("not authorized to write"));
        State().Should().Be(before);
    }

    [Fact]
    public async Task An_owner_write_row_is_changed_only_by_its_owner()
    {
        var notes = _server.Tables["notes"].Definition;
        string before = State();
        var taken = await SendAsync("bob", Row(notes, new TableRow { ["id"] = 1L, ["text"] = "bob was here" }, 5_000_000_000_000, owner: "bob"));
        taken.Cards.OfType<XRefusedCard>().Should().ContainSingle().Which.Should().Match<XRefusedCard>(r => r.Code == "row" && r.PkHash != null && r.Message.Contains("belongs to 'alice'"));
        var forged = await SendAsync("bob", Row(notes, new TableRow { ["id"] = 2L, ["text"] = "signed alice" }, 5_000_000_000_000, owner: "alice"));
        forged.Cards.OfType<XRefusedCard>().Should().ContainSingle().Which.Message.Should().Contain("only by its owner");
        var ownerless = await SendAsync("bob", Row(notes, new TableRow { ["id"] = 3L, ["text"] = "no owner" }, 5_000_000_000_000));
        ownerless.Cards.OfType<XRefusedCard>().Should().ContainSingle();
        State().Should().Be(before);

        var own = await SendAsync("alice", Row(notes, new TableRow { ["id"] = 1L, ["text"] = "edited by alice" }, 5_000_000_000_000, owner: "alice"));
        own.Cards.OfType<XRefusedCard>().Should().BeEmpty();
        _server.Tables["notes"].Get(new TableRow { ["id"] = 1L })!["text"].Should().Be("edited by alice");
    }

    [Fact]
    public async Task A_self_write_row_is_written_only_by_the_user_it_names()
    {
        var presence = _server.Tables["presence"].Definition;
        string before = State();
        var other = await SendAsync("bob", Row(presence, new TableRow { ["who"] = "alice", ["at"] = 1L }, 5_000_000_000_000));
        other.Cards.OfType<XRefusedCard>().Should().ContainSingle().Which.Message.Should().Contain("self-write");
        State().Should().Be(before);

        await SendAsync("bob", Row(presence, new TableRow { ["who"] = "bob", ["at"] = 2L }, 5_000_000_000_000));
        _server.Tables["presence"].Get(new TableRow { ["who"] = "bob" })!["at"].Should().Be(2L);
    }

    [Fact]
    public async Task Table_cards_without_the_offer_fail_the_round()
    {
        string before = State();
        var body = CraftedRequest.Signed("admin", "secret", _server.ProjectCode,
            new PushCard(new string('0', 40), _server.ProjectCode), Schema("fresh", TwoColumns)).Bytes;
        var reply = await SendRawAsync(body);
        reply.Cards.OfType<ErrorCard>().Should().ContainSingle().Which.Message.Should().Contain("without pragma xtables");
        reply.Cards.Should().NotContain(c => c is XSchemaCard);
        State().Should().Be(before);
    }
}
