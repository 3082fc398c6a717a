namespace FossilSync.Repo;

/// <summary>How an artifact being stored is marked.</summary>
internal readonly record struct StoreOptions
{
    /// <summary>Private artifacts are never advertised or sent unless both sides sync private content.</summary>
    public bool Private { get; init; }

    /// <summary>Made here (not received): queued in <c>unsent</c> for the next push.</summary>
    public bool Local { get; init; }

    /// <summary>The <c>rcvfrom</c> row of the session that delivered it (0 = none).</summary>
    public long ReceiptId { get; init; }

    /// <summary>
    /// Skip the hash check now because the caller checks every artifact later in one pass (a
    /// clone, whose final rebuild expands everything anyway and deletes the file on a mismatch).
    /// </summary>
    public bool VerifyLater { get; init; }

    /// <summary>
    /// With <see cref="VerifyLater"/>: a received envelope was already checked with
    /// <see cref="ContentStore.CheckEnvelope"/> (on another core, while this one stores), so it is
    /// not inflated again here.
    /// </summary>
    public bool EnvelopeChecked { get; init; }
}
