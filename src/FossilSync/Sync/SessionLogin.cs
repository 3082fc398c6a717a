namespace FossilSync.Sync;

/// <summary>
/// The login a session uses: the options' user and password when they name a user, else the
/// credentials the transport was given (e.g. written in its URL), else anonymous.
/// </summary>
internal sealed record SessionLogin(string? User, string? Password)
{
    public static SessionLogin Of(string? user, string? password, ITransport transport) =>
        user is not null ? new SessionLogin(user, password)
        : transport.Credentials is { UserName.Length: > 0 } given ? new SessionLogin(given.UserName, given.Password)
        : new SessionLogin(null, null);
}
