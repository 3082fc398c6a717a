namespace FossilSync.Sync;

/// <summary>What a clone did.</summary>
/// <param name="Rounds">HTTP round trips.</param>
/// <param name="ArtifactsReceived">file and cfile cards stored.</param>
/// <param name="BytesReceived">Payload bytes received.</param>
/// <param name="ArtifactsLinked">Structural artifacts crosslinked into the timeline.</param>
/// <param name="ProjectCode">The project code adopted from the server.</param>
/// <param name="ServerCode">The clone's own (new, random) server code.</param>
/// <param name="Messages">Texts of <c>message</c> cards the server sent.</param>
public sealed record CloneResult(int Rounds, int ArtifactsReceived, long BytesReceived, int ArtifactsLinked, string ProjectCode, string ServerCode, IReadOnlyList<string> Messages)
{
    /// <summary>Unversioned files received (with <see cref="CloneOptions.Unversioned"/>).</summary>
    public int UnversionedReceived { get; init; }

    /// <summary><c>gimme</c> cards sent (by the unversioned pull after the clone; a clone itself asks by sequence number).</summary>
    public int GimmesSent { get; init; }

    /// <summary>The peer cloned from (its URL without credentials); null when the transport cannot say.</summary>
    public string? PeerId { get; init; }

    /// <summary>Errors that did not end the clone (a refusal of the anonymous first round), in order.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];
}
