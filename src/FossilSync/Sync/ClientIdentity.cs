namespace FossilSync.Sync;

/// <summary>What our client says it is: stock 2.21's version, so stock servers treat us as one of theirs.</summary>
internal static class ClientIdentity
{
    /// <summary>
    /// <c>pragma client-version</c> as stock 2.21 sends it. It must come first: a server that has
    /// not seen it refuses every SHA3 artifact.
    /// </summary>
    public static Xfer.PragmaCard ClientVersion { get; } = new("client-version", "22100", "20230226", "192424");

    /// <summary>The trailing <c># RANDOM</c> comment that makes every login nonce unique.</summary>
    public static Xfer.CommentCard Nonce(Random? random) =>
        new(" " + (random?.GetHexString(40) ?? System.Security.Cryptography.RandomNumberGenerator.GetHexString(40)));
}
