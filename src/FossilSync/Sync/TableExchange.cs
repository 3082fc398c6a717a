using FossilSync.Exchange;
using FossilSync.Observability;
using FossilSync.Repo;
using FossilSync.Repo.Tables;
using FossilSync.Xfer;

namespace FossilSync.Sync;

/// <summary>
/// The extension-table part of a sync. Every request offers table sync (<c>pragma xtables
/// 1</c>, which stock fossil ignores); nothing else of it is sent until the server has accepted
/// the offer. Its reply sums up each of its tables (<c>xschema</c>); for each table whose
/// catalogue hash differs from ours we send our definition and catalogue once, take the rows it
/// sends when pulling, and send the rows it asks for when pushing, until nothing is left to ask.
/// </summary>
/// <remarks>
/// The server is trusted as for artifacts: its definitions are adopted when pulling and its rows
/// kept when newer, but every name, type and key is still checked. A definition that does not
/// extend ours (or that ours does not extend), or one the server refuses, leaves that table out of
/// the session with a <see cref="TableSyncError"/>; the artifacts and the other tables go on.
/// The observer hears of a table when it first takes part (the server holds it, or we push it)
/// and, at <see cref="Finish"/>, what the session moved for it.
/// </remarks>
internal sealed class TableExchange(Repository repository, bool pull, bool push, SessionTracker? tracker = null, int versionsPerMessage = 100_000)
{
    // Rows sent and received per table, in the order the tables took part.
    private readonly Dictionary<string, (int Sent, int Received)> _moved = new(StringComparer.Ordinal);
    private readonly TableReplica _replica = new(repository);
    private readonly Dictionary<string, XSchemaCard> _summaries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _catalogueSent = new(StringComparer.Ordinal);
    private readonly Queue<string> _catalogueDue = new();
    // Where each table's catalogue goes on (after this key hash; empty: from the first).
    private readonly Dictionary<string, string> _cursor = new(StringComparer.Ordinal);
    private readonly RowQueue _wanted = new();
    private readonly RowQueue _asked = new();
    private readonly HashSet<string> _leftOut = new(StringComparer.Ordinal);
    private readonly List<TableSyncError> _errors = [];
    private bool _accepted;

    /// <summary>Tables and rows left out so far, in order.</summary>
    public IReadOnlyList<TableSyncError> Errors => _errors;

    /// <summary>Rows and deletions sent.</summary>
    public int RowsSent => _moved.Values.Sum(moved => moved.Sent);

    /// <summary>Rows and deletions received and stored.</summary>
    public int RowsReceived => _moved.Values.Sum(moved => moved.Received);

    /// <summary>
    /// The offer, then what is due: (within <paramref name="budget"/>) the rows the server asked
    /// for, asks for rows, and catalogues; of each kind at most the versions one message may carry,
    /// the rest in later rounds.
    /// </summary>
    /// <remarks>
    /// Rows go first: the server takes them before it reads a catalogue part sent again, which
    /// would otherwise make it ask once more for a row already on its way.
    /// </remarks>
    public void AddRequestCards(List<XferCard> cards, ref long budget)
    {
        cards.Add(TableRowCards.Offer);
        if (!_accepted) return;
        for (int room = versionsPerMessage; room > 0 && budget > 0 && _asked.TryDequeue(out var asked); room--)
        {
            if (_leftOut.Contains(asked.Table) || _replica.Find(asked.Table) is not { } definition || TableRowCards.RowCard(_replica, definition, asked.PkHash) is not { } row) continue;
            cards.Add(row);
            budget -= TableRowCards.Size(row);
            Count(asked.Table, sent: 1, received: 0);
        }
        for (int room = versionsPerMessage; room > 0 && _wanted.TryDequeue(out var wanted);)
        {
            if (_leftOut.Contains(wanted.Table)) continue;
            cards.Add(new XGimmeCard(wanted.Table, wanted.PkHash));
            room--;
        }
        AddCatalogues(cards);
    }

    // Each due table's summary, the range its catalogue covers and that part of the catalogue; a
    // table whose catalogue does not fit goes on from where it stopped in the next round.
    private void AddCatalogues(List<XferCard> cards)
    {
        int room = versionsPerMessage;
        for (int due = _catalogueDue.Count; due > 0; due--)
        {
            string name = _catalogueDue.Dequeue();
            if (_leftOut.Contains(name) || _replica.Find(name) is not { } definition) continue;
            if (room == 0)
            {
                _catalogueDue.Enqueue(name);
                continue;
            }
            string after = _cursor.GetValueOrDefault(name, "");
            var part = _replica.Versions(definition, after, TableRowCards.LastKeyHash, room + 1);
            bool more = part.Count > room;
            if (more) part = part.Take(room).ToList();
            string upTo = more ? part[^1].PkHash : TableRowCards.LastKeyHash;
            cards.Add(TableRowCards.Summary(_replica, definition));
            cards.Add(TableRowCards.Range(name, after, upTo));
            cards.AddRange(part.Select(v => new XIGotCard(name, v.PkHash, v.MTime, v.VHash)));
            room -= part.Count;
            _cursor[name] = upTo;
            if (more) _catalogueDue.Enqueue(name);
        }
    }

    // The server answered a part of a catalogue only up to a key hash: the catalogue goes on from there.
    private void Covered(string table, string upTo)
    {
        if (_leftOut.Contains(table) || !_cursor.TryGetValue(table, out string? sent) || string.CompareOrdinal(upTo, sent) >= 0) return;
        _cursor[table] = upTo;
        if (!_catalogueDue.Contains(table)) _catalogueDue.Enqueue(table);
    }

    /// <summary>Takes a card of the reply if it is a table-sync card; false for any other card.</summary>
    /// <exception cref="SyncProtocolException">The server sent a row that does not fit its table.</exception>
    public bool Accept(XferCard card)
    {
        switch (card)
        {
            case XRefusedCard refused:
                Refused(refused);
                return true;
            case XSchemaCard or XRowCard or XDeleteCard or XIGotCard or XGimmeCard when _leftOut.Contains(TableRowCards.TableOf(card)):
                return true;
            case PragmaCard pragma when TableRowCards.IsOffer(pragma):
                _accepted = true;
                return true;
            case PragmaCard pragma when TableRowCards.ReadRange(pragma) is { } range:
                Covered(range.Table, range.UpTo);
                return true;
            case XSchemaCard schema:
                _summaries[schema.Table] = schema;
                return true;
            case XRowCard or XDeleteCard:
                if (pull) Receive(card);
                return true;
            case XIGotCard igot:
                if (pull && _replica.Find(igot.Table) is { } definition && TableRowCards.IsNewer(igot, _replica.Version(definition, igot.PkHash)))
                {
                    _wanted.Enqueue((igot.Table, igot.PkHash));
                }
                return true;
            case XGimmeCard gimme:
                if (push) _asked.Enqueue((gimme.Table, gimme.PkHash));
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// After a reply: the server's new tables and columns are adopted (when pulling), and each
    /// table whose catalogue differs from the server's has its catalogue sent next round, once.
    /// A table whose definition is malformed or incompatible with ours is left out of the session.
    /// </summary>
    public void EndOfReply()
    {
        if (!_accepted) return;
        foreach (var summary in _summaries.Values) Reconcile(summary);
        foreach (var (definition, hash) in _replica.Tables())
        {
            if (_leftOut.Contains(definition.Name)) continue;
            bool same = _summaries.TryGetValue(definition.Name, out var summary) && summary.CatalogueHash == hash;
            // A table only we hold matters only when we push it; one the server holds, only when we pull or push.
            bool serverHas = summary is not null;
            if (serverHas || push) Count(definition.Name, sent: 0, received: 0);
            if (!same && (serverHas || push) && _catalogueSent.Add(definition.Name)) _catalogueDue.Enqueue(definition.Name);
        }
        _summaries.Clear();
    }

    /// <summary>Another round is needed while catalogues, asks or asked-for rows wait.</summary>
    public bool WantsAnotherRound => _catalogueDue.Count > 0 || _wanted.Count > 0 || _asked.Count > 0;

    /// <summary>The session is over: each table that took part is reported with what it moved.</summary>
    public void Finish()
    {
        foreach (var (table, moved) in _moved) tracker?.TableSyncEnd(table, moved.Sent, moved.Received);
    }

    // The server's definition, adopted when it adds columns and we pull; a table that cannot be
    // reconciled is left out for the rest of the session, with its error.
    private void Reconcile(XSchemaCard summary)
    {
        try
        {
            var theirs = TableReplica.ReadDefinition(summary.Table, summary.Definition);
            var change = _replica.Compare(theirs, out string reason);
            if (change == SchemaChange.Incompatible)
            {
                LeaveOut(new TableSyncError(summary.Table, TableSyncErrorKind.IncompatibleSchema,
                    $"table '{summary.Table}': the server's definition is incompatible with ours: {reason}; only columns added at the end can be synced."));
                return;
            }
            if (change == SchemaChange.AddsColumns && pull) _replica.Adopt(theirs);
        }
        catch (TableSchemaException ex)
        {
            LeaveOut(new TableSyncError(summary.Table, TableSyncErrorKind.SchemaRefused, $"table '{summary.Table}': the server's definition is refused here: {ex.Message}"));
        }
    }

    private void Refused(XRefusedCard refused)
    {
        var kind = refused.Code switch
        {
            TableRowCards.RefusedIncompatible => TableSyncErrorKind.IncompatibleSchema,
            TableRowCards.RefusedRow when refused.PkHash is not null => TableSyncErrorKind.RowRefused,
            _ => TableSyncErrorKind.SchemaRefused,
        };
        var error = new TableSyncError(refused.Table, kind, refused.Message, refused.PkHash, ByServer: true);
        if (kind == TableSyncErrorKind.RowRefused) Report(error);
        else LeaveOut(error);
    }

    private void LeaveOut(TableSyncError error)
    {
        if (!_leftOut.Add(error.Table)) return;
        Report(error);
    }

    private void Report(TableSyncError error)
    {
        _errors.Add(error);
        tracker?.Error(SyncErrorKind.TableRefused, error.Message, fatal: false);
    }

    private void Count(string table, int sent, int received)
    {
        if (!_moved.TryGetValue(table, out var moved)) tracker?.TableSyncStart(table);
        _moved[table] = (moved.Sent + sent, moved.Received + received);
    }

    private void Receive(XferCard card)
    {
        string name = TableRowCards.TableOf(card);
        if (_replica.Find(name) is not { } definition) throw new SyncProtocolException($"the server sent a row of table '{name}', which is not synced here.");
        try
        {
            if (TableRowCards.Receive(_replica, definition, card, writer: null, out _) == RowArrival.Stored) Count(name, sent: 0, received: 1);
        }
        catch (TableRowException ex)
        {
            throw new SyncProtocolException($"the server sent a bad row: {ex.Message}");
        }
    }
}
