using FossilSync.Repo;
using FossilSync.Xfer;

namespace FossilSync.Server;

/// <summary>
/// Who the request comes from and what it may do: everyone has nobody's capabilities, a
/// <c>login</c> card adds its user's once its signature holds, and <c>pragma client-version</c>
/// is answered with the version we speak.
/// </summary>
internal sealed class LoginHandler(RoundContext round)
{
    /// <summary>Everyone has nobody's capabilities. Anonymous's are not for sync (as in stock, where an anonymous login is a web session, not a sync login).</summary>
    public void GrantBaseline() => round.Caps.Add(CapsOf("nobody"), CapsOf);

    /// <summary>A <c>login</c> card: its user's capabilities, if the signature is theirs.</summary>
    /// <exception cref="LoginFailedException">No such user, or the signature does not hold.</exception>
    public void Login(LoginCard login)
    {
        var repository = round.Repository;
        bool ok = true;
        if (login.User is not ("nobody" or "anonymous"))
        {
            var account = UserAccounts.FindSyncLogin(repository, login.User);
            ok = account is { } found && XferLogin.Verify(login.Nonce, login.Signature, repository.ProjectCode, login.User, found.Password);
            if (ok)
            {
                round.UserId = account!.Value.UserId;
                round.UserName = login.User;
                round.Caps.Add(account.Value.Capabilities, CapsOf);
            }
        }
        if (!ok) throw new LoginFailedException();
        // The capabilities hold only if the nonce turns out to cover the rest of the message.
        round.Nonces.Add(login.Nonce);
    }

    /// <summary><c>pragma client-version</c>: the server's version, as stock 2.21 gives it.</summary>
    public void ClientVersion() => round.Reply.Add(new PragmaCard("server-version", "22100", "20230226", "192424"));

    private string? CapsOf(string login) => UserAccounts.CapabilitiesOf(round.Repository, login);
}
