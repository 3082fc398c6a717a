namespace FossilSync.Exchange;

/// <summary>How an <see cref="ArtifactReceiver"/> stores a round's artifacts; the default checks each one as it arrives.</summary>
internal readonly record struct ArtifactReceiverOptions
{
    /// <summary>
    /// Store each artifact without checking its hash, and do not crosslink it: the caller checks
    /// and crosslinks everything later in one pass (a clone's final rebuild).
    /// </summary>
    public bool VerifyLater { get; init; }

    /// <summary>Count the arrivals the repository did not hold yet (<see cref="ArtifactReceiver.StoredNew"/>): a clone's progress check.</summary>
    public bool CountNew { get; init; }

    /// <summary>Keep the names of the public arrivals the repository did not hold yet (<see cref="ArtifactReceiver.NewNames"/>): what a server announces as changed.</summary>
    public bool NameNew { get; init; }
}
