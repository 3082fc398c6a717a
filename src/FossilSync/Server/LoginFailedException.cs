namespace FossilSync.Server;

/// <summary>
/// A round's login does not hold: unknown user, wrong signature, a nonce that is not the hash
/// of the rest of the message, or a second login card. The round keeps nothing and answers
/// <c>error login failed</c>, as stock does.
/// </summary>
internal sealed class LoginFailedException() : FossilSyncException("login failed");
