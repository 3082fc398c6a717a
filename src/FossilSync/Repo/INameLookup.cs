namespace FossilSync.Repo;

/// <summary>
/// How <see cref="ContentStore"/> answers its questions about names (the rid of a name, whether
/// a rid is a phantom or private, whether a name is shunned) and tells of the rows it changes.
/// Chosen once per bulk job: <see cref="SqlNameLookup"/> asks the database each time;
/// <see cref="NameIndex"/> keeps the answers in memory for a job that is the file's only writer.
/// </summary>
internal interface INameLookup
{
    long? FindRid(string hash);

    bool IsPhantom(long rid);

    bool IsPrivate(long rid);

    bool IsShunned(string hash);

    /// <summary>A new blob row (phantom or not, private or not).</summary>
    void Added(string hash, long rid, bool phantom, bool isPrivate);

    /// <summary>A phantom got its content.</summary>
    void Filled(long rid);

    /// <summary>A rid lost its content (a delta that failed its check) and is a phantom again.</summary>
    void Emptied(long rid);

    /// <summary>A rid became private.</summary>
    void MadePrivate(long rid);

    /// <summary>A rid is to become public; false when it is known to be public already (nothing to delete).</summary>
    bool MakingPublic(long rid);

    /// <summary>The shun list or the hash policy was written.</summary>
    void ShunningChanged();
}
