namespace FossilSync.Observability;

/// <summary>What one round moved.</summary>
/// <param name="Round">The round's number, from 1.</param>
/// <param name="FilesSent">Artifacts sent.</param>
/// <param name="FilesReceived">Artifacts received and stored.</param>
/// <param name="BytesSent">Request bytes sent.</param>
/// <param name="BytesReceived">Payload bytes received.</param>
public sealed record RoundStats(int Round, int FilesSent, int FilesReceived, long BytesSent, long BytesReceived)
{
    /// <summary><c>gimme</c> cards sent (artifacts asked for).</summary>
    public int GimmesSent { get; init; }

    /// <summary><c>gimme</c> cards received (artifacts the peer asked for).</summary>
    public int GimmesReceived { get; init; }

    /// <summary><c>igot</c> cards sent (artifacts announced).</summary>
    public int IGotsSent { get; init; }

    /// <summary><c>igot</c> cards received (artifacts the peer announced).</summary>
    public int IGotsReceived { get; init; }

    /// <summary>Unversioned files sent.</summary>
    public int UnversionedSent { get; init; }

    /// <summary>Unversioned files received.</summary>
    public int UnversionedReceived { get; init; }
}
