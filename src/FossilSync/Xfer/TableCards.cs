namespace FossilSync.Xfer;

// The cards of extension-table sync. Only peers that both said `pragma xtables 1` exchange
// them: stock fossil answers any of them with `error bad command` and drops its whole reply.

/// <summary>
/// <c>xschema NAME CATHASH SIZE</c> + SIZE bytes of JSON + one newline: a synced table's
/// definition and the catalogue hash of the sender's copy (equal hashes: nothing to exchange).
/// </summary>
public sealed record XSchemaCard(string Table, string CatalogueHash, ReadOnlyMemory<byte> Definition) : XferCard;

/// <summary><c>xigot NAME PKHASH MTIME VHASH</c>: the sender holds this version of a row (or of its deletion).</summary>
public sealed record XIGotCard(string Table, string PkHash, long MTime, string VersionHash) : XferCard;

/// <summary><c>xgimme NAME PKHASH</c>: the sender wants the receiver's version of a row.</summary>
public sealed record XGimmeCard(string Table, string PkHash) : XferCard;

/// <summary><c>xrow NAME PKHASH MTIME SIZE</c> + SIZE bytes of the row's JSON + one newline: a version of a row.</summary>
public sealed record XRowCard(string Table, string PkHash, long MTime, ReadOnlyMemory<byte> Json) : XferCard;

/// <summary><c>xdelete NAME PKHASH MTIME SIZE</c> + SIZE bytes of the key's JSON + one newline: a row's deletion.</summary>
public sealed record XDeleteCard(string Table, string PkHash, long MTime, ReadOnlyMemory<byte> KeyJson) : XferCard;

/// <summary>
/// <c>xrefused NAME PKHASH|- CODE MESSAGE</c>: the sender refused a table (<c>-</c>) or one row of
/// it, and goes on with the rest of the round. CODE says why in a word a program can branch on
/// (<c>incompatible</c>, <c>schema</c>, <c>row</c>); MESSAGE is for people (escaped as in <c>error</c>).
/// </summary>
public sealed record XRefusedCard(string Table, string? PkHash, string Code, string Message) : XferCard;
