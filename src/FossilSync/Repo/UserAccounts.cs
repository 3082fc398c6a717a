namespace FossilSync.Repo;

/// <summary>The <c>user</c> table as a server reads it: who may log in to sync, and each user's capability letters.</summary>
internal static class UserAccounts
{
    /// <summary>A user who may log in to sync: a real account (not one of the four built-in ones) with a password.</summary>
    internal readonly record struct SyncLogin(long UserId, string Password, string Capabilities);

    /// <summary>The account <paramref name="login"/> logs in to, or null when it cannot log in to sync.</summary>
    public static SyncLogin? FindSyncLogin(Repository repository, string login)
    {
        using var cmd = repository.Command("SELECT uid, pw, cap FROM user WHERE login=$l AND login NOT IN ('anonymous','nobody','developer','reader') AND length(pw)>0", ("$l", login));
        using var reader = repository.Read(cmd);
        if (!reader.Read()) return null;
        return new SyncLogin(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? "" : reader.GetString(2));
    }

    /// <summary>The capability letters of <paramref name="login"/>, or null when there is no such user.</summary>
    public static string? CapabilitiesOf(Repository repository, string login) =>
        repository.Scalar<string>("SELECT cap FROM user WHERE login=$l", ("$l", login));

    /// <summary>The login name of user <paramref name="userId"/>, or null.</summary>
    public static string? LoginOf(Repository repository, long userId) =>
        repository.Scalar<string>("SELECT login FROM user WHERE uid=$u", ("$u", userId));
}
