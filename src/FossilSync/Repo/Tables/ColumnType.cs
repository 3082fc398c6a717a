namespace FossilSync.Repo.Tables;

/// <summary>The type of a synced table's column; values keep it exactly on every peer.</summary>
public enum ColumnType
{
    /// <summary>UTF-8 text (<see cref="string"/>).</summary>
    Text,

    /// <summary>A 64-bit signed integer (<see cref="long"/>), exact at any magnitude.</summary>
    Integer,

    /// <summary>A finite IEEE-754 double (<see cref="double"/>), bit for bit.</summary>
    Real,

    /// <summary>Bytes (<see cref="T:byte[]"/>); base64 in JSON.</summary>
    Blob,
}
