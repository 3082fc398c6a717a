namespace FossilSync.Repo.Tables;

/// <summary>One declared column of a synced table.</summary>
/// <param name="Name">Lowercase identifier: a letter, then letters, digits or <c>_</c> (at most 63).</param>
/// <param name="Type">Its type.</param>
public sealed record TableColumn(string Name, ColumnType Type);
