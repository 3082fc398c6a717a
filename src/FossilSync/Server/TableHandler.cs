using FossilSync.Exchange;
using FossilSync.Primitives;
using FossilSync.Repo.Tables;
using FossilSync.Xfer;

namespace FossilSync.Server;

/// <summary>
/// Extension-table sync, only for a client that offered it (<c>pragma xtables 1</c>): the reply
/// accepts the offer and sums up each table in one <c>xschema</c> card. A client whose table
/// differs sends its <c>xschema</c> and catalogue (<c>xigot</c>s): its newer versions are asked
/// for (<c>xgimme</c>) when it pushes, ours are sent when it pulls. Defining or changing a table
/// needs admin capability, rows need write capability and the table's policy; a table or row
/// refused is named in an <c>xrefused</c> card (never half taken) and the rest of the round goes on.
/// </summary>
/// <remarks>
/// A client that did not offer table sync (stock fossil) is never sent a table-sync card.
/// Each table that takes part is counted in <see cref="RoundContext.TablesMoved"/>, which the
/// request's tracker reports to the observer once the round is answered.
/// </remarks>
internal sealed class TableHandler(RoundContext round)
{
    private readonly Dictionary<string, (TableDefinition Definition, HashSet<string> ClientCurrent)> _catalogued = new(StringComparer.Ordinal);
    private readonly HashSet<string> _refused = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string After, string UpTo)> _ranges = new(StringComparer.Ordinal);
    private TableReplica? _replica;
    private bool _offered;

    private TableReplica Replica => _replica ??= new TableReplica(round.Repository);

    /// <summary><c>pragma xtables 1</c>: the client speaks table sync.</summary>
    public void Offer() => _offered = true;

    /// <summary><c>xschema NAME CATHASH</c> + definition: the client's table, whose catalogue follows.</summary>
    public void Schema(XSchemaCard schema)
    {
        if (!Offered()) return;
        string name = schema.Table;
        TableDefinition theirs;
        try
        {
            theirs = TableReplica.ReadDefinition(name, schema.Definition);
        }
        catch (TableSchemaException ex)
        {
            Refuse(name, TableRowCards.RefusedSchema, ex.Message);
            return;
        }
        switch (Replica.Compare(theirs, out string reason))
        {
            case SchemaChange.Incompatible:
                Refuse(name, TableRowCards.RefusedIncompatible, $"table '{name}': incompatible schema change refused: {reason}; only columns added at the end can be synced.");
                return;
            case SchemaChange.AddsColumns when !round.Caps.Admin:
                Refuse(name, TableRowCards.RefusedSchema, $"table '{name}': defining or changing a synced table needs admin capability.");
                return;
            case SchemaChange.AddsColumns:
                Replica.Adopt(theirs);
                break;
        }
        _catalogued[name] = (Replica.Find(name)!, new HashSet<string>(StringComparer.Ordinal));
        Count(name, sent: 0, received: 0);
    }

    /// <summary><c>pragma xtables-range</c>: the part of a table's catalogue the client sends in this round (without it: all of it).</summary>
    public void Range(string table, string after, string upTo)
    {
        if (Offered() && _catalogued.ContainsKey(table)) _ranges[table] = (after, upTo);
    }

    /// <summary><c>xigot</c>: the client's version of a row of a table whose catalogue it sent.</summary>
    public void IGot(XIGotCard igot)
    {
        if (!Offered() || !_catalogued.TryGetValue(igot.Table, out var table)) return;
        var ours = Replica.Version(table.Definition, igot.PkHash);
        if (TableRowCards.IsOlder(igot, ours)) return;   // ours goes out at the end
        table.ClientCurrent.Add(igot.PkHash);
        if (round.Push && TableRowCards.IsNewer(igot, ours)) round.Reply.Add(new XGimmeCard(igot.Table, igot.PkHash));
    }

    /// <summary><c>xgimme</c>: our version of a row, for a client that pulls and may read.</summary>
    public void Gimme(XGimmeCard gimme)
    {
        if (!Offered() || !round.Pull || !round.Caps.Read || Replica.Find(gimme.Table) is not { } definition) return;
        Send(definition, gimme.PkHash);
    }

    /// <summary>A pushed <c>xrow</c> or <c>xdelete</c>: stored when newer and the user may write it.</summary>
    /// <exception cref="CorruptContentException">The row does not fit its table: nothing of the round is kept.</exception>
    public void Receive(XferCard row)
    {
        if (!Offered()) return;
        if (!round.Push)
        {
            round.Fail("not authorized to write");
            return;
        }
        string name = TableRowCards.TableOf(row);
        if (_refused.Contains(name)) return;
        if (Replica.Find(name) is not { } definition)
        {
            Refuse(name, TableRowCards.RefusedSchema, $"there is no synced table '{name}': its rows come after its definition.");
            return;
        }
        try
        {
            var writer = new TableWriter(round.UserName, round.Caps.Write, round.Caps.Admin);
            switch (TableRowCards.Receive(Replica, definition, row, writer, out string refusal))
            {
                case RowArrival.Stored: Count(name, sent: 0, received: 1); break;
                case RowArrival.Refused: round.Reply.Add(new XRefusedCard(name, TableRowCards.KeyHashOf(row), TableRowCards.RefusedRow, refusal)); break;
            }
        }
        catch (TableRowException ex)
        {
            throw new CorruptContentException(ex.Message, ex);
        }
    }

    /// <summary>The reply's part: the acceptance, the versions a pulling client lacks, then every table's summary as it now stands.</summary>
    public void Finish()
    {
        if (!_offered) return;
        round.Reply.Add(TableRowCards.Offer);
        if (!round.Caps.Read) return;
        if (round.Pull)
        {
            foreach (var (definition, clientCurrent) in _catalogued.Values) SendNewer(definition, clientCurrent);
        }
        foreach (var (definition, _) in Replica.Tables())
        {
            if (!_refused.Contains(definition.Name)) round.Reply.Add(TableRowCards.Summary(Replica, definition));
        }
    }

    // Our versions in the range the client's catalogue covered that it lacks, up to the versions one
    // message may carry; the range's end as far as they got, so the client goes on from there.
    private void SendNewer(TableDefinition definition, HashSet<string> clientCurrent)
    {
        var (after, upTo) = _ranges.GetValueOrDefault(definition.Name, ("", TableRowCards.LastKeyHash));
        int room = round.Options.Limits.MaxTableVersionsPerMessage;
        // Every version the client holds may come first: read that many more than there is room for.
        int read = (int)Math.Min(int.MaxValue, (long)room + clientCurrent.Count);
        var versions = Replica.Versions(definition, after, upTo, read);
        string last = after;
        bool stopped = false;
        foreach (var version in versions)
        {
            if (!clientCurrent.Contains(version.PkHash))
            {
                if (room == 0)
                {
                    stopped = true;
                    break;
                }
                Send(definition, version.PkHash);
                room--;
            }
            last = version.PkHash;
        }
        round.Reply.Add(TableRowCards.Range(definition.Name, after, stopped || versions.Count == read ? last : upTo));
    }

    // Within the reply's budget; past it, named only, for the client to ask for again.
    private void Send(TableDefinition definition, string pkHash)
    {
        if (round.Sender.OverBudget)
        {
            if (Replica.Version(definition, pkHash) is { } v) round.Reply.Add(new XIGotCard(definition.Name, v.PkHash, v.MTime, v.VHash));
            return;
        }
        if (TableRowCards.RowCard(Replica, definition, pkHash) is not { } card) return;
        round.Reply.Add(card);
        round.Sender.Spend(TableRowCards.Size(card));
        Count(definition.Name, sent: 1, received: 0);
    }

    // A table takes part once its catalogue came or a row of it moved.
    private void Count(string table, int sent, int received)
    {
        round.TablesMoved.TryGetValue(table, out var moved);
        round.TablesMoved[table] = (moved.Sent + sent, moved.Received + received);
    }

    // A table-sync card from a client that did not offer table sync is not ours to act on.
    private bool Offered()
    {
        if (_offered) return true;
        round.Fail("table-sync card without pragma xtables");
        return false;
    }

    // The table is left out of the round, not the round: the client's artifacts and other tables go on.
    private void Refuse(string table, string code, string message)
    {
        _refused.Add(table);
        _catalogued.Remove(table);
        round.Reply.Add(new XRefusedCard(table, null, code, message));
        round.Errors++;
    }
}
