using FossilSync.Repo.Tables;
using FossilSync.Xfer;

namespace FossilSync.Exchange;

/// <summary>
/// Table-sync cards to and from the repository, for client and server alike: the one-card
/// summary of a table, its catalogue as <c>xigot</c>s, a version as <c>xrow</c>/<c>xdelete</c>,
/// whether a peer's version is newer than ours, and taking a version a peer sent.
/// </summary>
internal static class TableRowCards
{
    /// <summary>The pragma that offers table sync (client) and accepts the offer (server); stock fossil ignores it.</summary>
    public static readonly PragmaCard Offer = new("xtables", "1");

    /// <summary>The word of an <c>xrefused</c> card for two definitions that cannot be reconciled.</summary>
    public const string RefusedIncompatible = "incompatible";

    /// <summary>The word of an <c>xrefused</c> card for a definition the sender may not take (capability, malformed, unknown table).</summary>
    public const string RefusedSchema = "schema";

    /// <summary>The word of an <c>xrefused</c> card for a row the writer may not write.</summary>
    public const string RefusedRow = "row";

    /// <summary>The highest key hash: a catalogue range that ends here runs to the end of the table.</summary>
    public const string LastKeyHash = "ffffffffffffffffffffffffffffffffffffffff";

    /// <summary>
    /// <c>pragma xtables-range NAME AFTER|- UPTO</c>: from a client, the catalogue that follows
    /// covers the key hashes after AFTER (<c>-</c>: from the first) up to UPTO; from the server,
    /// how far its answer got (less than asked when it stopped at its card bound).
    /// </summary>
    public static PragmaCard Range(string table, string after, string upTo) => new("xtables-range", table, after.Length == 0 ? "-" : after, upTo);

    /// <summary>The table and range of an <c>xtables-range</c> pragma (AFTER empty for the first), or null for any other or a malformed one.</summary>
    public static (string Table, string After, string UpTo)? ReadRange(PragmaCard pragma) =>
        pragma is { Name: "xtables-range", Arguments: [var table, var after, var upTo] } && TableNames.IsValidTable(table) && (after == "-" || IsKeyHash(after)) && IsKeyHash(upTo)
            ? (table, after == "-" ? "" : after, upTo)
            : null;

    private static bool IsKeyHash(string text) => text.Length == 40 && !text.AsSpan().ContainsAnyExcept("0123456789abcdef");

    /// <summary>True for the offer or its acceptance.</summary>
    public static bool IsOffer(PragmaCard pragma) => pragma is { Name: "xtables", Arguments: ["1", ..] };

    /// <summary>A table's definition and catalogue hash: all a peer with an equal table needs.</summary>
    public static XSchemaCard Summary(TableReplica replica, TableDefinition definition) =>
        new(definition.Name, replica.CatalogueHash(definition), TableReplica.DefinitionJson(definition));

    /// <summary>The card that carries our version of a row, or null when we hold none.</summary>
    public static XferCard? RowCard(TableReplica replica, TableDefinition definition, string pkHash) =>
        replica.Export(definition, pkHash) switch
        {
            { Deleted: true } d => new XDeleteCard(definition.Name, pkHash, d.MTime, d.Json),
            { } r => new XRowCard(definition.Name, pkHash, r.MTime, r.Json),
            null => null,
        };

    /// <summary>Payload bytes of a row card, for send budgets.</summary>
    public static int Size(XferCard card) => card switch
    {
        XRowCard r => r.Json.Length,
        XDeleteCard d => d.KeyJson.Length,
        _ => 0,
    };

    /// <summary>True when a peer's version of a row is newer than ours (or we hold none).</summary>
    public static bool IsNewer(XIGotCard theirs, RowVersion? ours) =>
        new RowVersion(theirs.PkHash, theirs.MTime, theirs.VersionHash).IsNewerThan(ours);

    /// <summary>True when our version of a row is newer than a peer's.</summary>
    public static bool IsOlder(XIGotCard theirs, RowVersion? ours) =>
        ours is { } held && held.IsNewerThan(new RowVersion(theirs.PkHash, theirs.MTime, theirs.VersionHash));

    /// <summary>Takes an <c>xrow</c> or <c>xdelete</c> into a table held here.</summary>
    /// <exception cref="TableRowException">The row does not fit the table or its name.</exception>
    public static RowArrival Receive(TableReplica replica, TableDefinition definition, XferCard card, TableWriter? writer, out string refusal) => card switch
    {
        XRowCard r => replica.Receive(definition, r.PkHash, r.MTime, deleted: false, r.Json, writer, out refusal),
        XDeleteCard d => replica.Receive(definition, d.PkHash, d.MTime, deleted: true, d.KeyJson, writer, out refusal),
        _ => throw new ArgumentException($"{card.GetType().Name} carries no row.", nameof(card)),
    };

    /// <summary>The key hash an <c>xrow</c> or <c>xdelete</c> came under.</summary>
    public static string KeyHashOf(XferCard card) => card switch
    {
        XRowCard r => r.PkHash,
        XDeleteCard d => d.PkHash,
        _ => throw new ArgumentException($"{card.GetType().Name} carries no row.", nameof(card)),
    };

    /// <summary>The table a row card names.</summary>
    public static string TableOf(XferCard card) => card switch
    {
        XRowCard r => r.Table,
        XDeleteCard d => d.Table,
        XIGotCard i => i.Table,
        XGimmeCard g => g.Table,
        XSchemaCard s => s.Table,
        XRefusedCard f => f.Table,
        _ => throw new ArgumentException($"{card.GetType().Name} is not a table-sync card.", nameof(card)),
    };
}
