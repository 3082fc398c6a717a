namespace FossilSync.Observability;

/// <summary>What the server did for one request.</summary>
/// <param name="Operation">clone, pull, push, sync, or none (a request that asked for no exchange).</param>
/// <param name="User">The login that held; null for nobody.</param>
/// <param name="CardsIn">Cards read from the request.</param>
/// <param name="CardsOut">Cards in the reply.</param>
/// <param name="FilesIn">Artifacts received.</param>
/// <param name="FilesOut">Artifacts (and clone pages' artifacts) sent.</param>
/// <param name="BytesOut">The reply body's size.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Duration">Time from start to reply.</param>
public sealed record ServerRequestStats(string Operation, string? User, int CardsIn, int CardsOut, int FilesIn, int FilesOut, long BytesOut, ServerRequestOutcome Outcome, TimeSpan Duration);

/// <summary>How a server request ended.</summary>
public enum ServerRequestOutcome
{
    /// <summary>Answered without an error card.</summary>
    Ok,

    /// <summary>Answered with an error card (refused, bad login, damaged artifact, busy).</summary>
    Refused,

    /// <summary>Failed with an exception (a failing disk, a bug); the host reports it.</summary>
    Failed,

    /// <summary>Abandoned by cancellation.</summary>
    Cancelled,
}
