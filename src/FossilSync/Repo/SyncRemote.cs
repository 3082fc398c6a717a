using System.Globalization;
using FossilSync.Primitives;

namespace FossilSync.Repo;

/// <summary>
/// Where a repository syncs when no URL is given: what stock's <c>fossil clone</c> records and
/// its <c>fossil sync</c>, <c>open</c> and autosync use. <see cref="Password"/> is set only when it
/// was remembered on purpose (stock's <c>--save-http-password</c>).
/// </summary>
/// <param name="Url">The remote, without credentials.</param>
/// <param name="User">The login recorded with it, or null for anonymous.</param>
/// <param name="Password">The remembered password, or null.</param>
public sealed record SyncRemote(Uri Url, string? User, string? Password)
{
    private const string UrlKey = "last-sync-url", PasswordKey = "last-sync-pw";

    /// <summary>The remote recorded in <paramref name="repository"/>, or null.</summary>
    internal static SyncRemote? Read(Repository repository)
    {
        if (repository.GetConfig(UrlKey) is not { Length: > 0 } text || !Uri.TryCreate(text, UriKind.Absolute, out var recorded)) return null;
        string? user = recorded.UserInfo.Length > 0 ? Uri.UnescapeDataString(recorded.UserInfo.Split(':', 2)[0]) : null;
        string? password = repository.GetConfig(PasswordKey) is { Length: > 0 } obscured ? ObscuredText.Unobscure(obscured) : null;
        return new SyncRemote(new UriBuilder(recorded) { UserName = "", Password = "" }.Uri, user, password);
    }

    /// <summary>
    /// Records <paramref name="remote"/> as stock does: the URL in canonical form with the login
    /// but never the password, which goes obscured into its own row only when given.
    /// </summary>
    internal static void Write(Repository repository, SyncRemote remote)
    {
        var url = remote.Url;
        string login = remote.User is { Length: > 0 } user ? Uri.EscapeDataString(user) + "@" : "";
        string port = url.IsDefaultPort ? "" : ":" + url.Port.ToString(CultureInfo.InvariantCulture);
        using var scope = repository.WriteScope();
        repository.SetConfig(UrlKey, $"{url.Scheme}://{login}{url.Host}{port}{url.AbsolutePath}");
        if (remote.Password is { } password)
        {
            byte salt = byte.Parse(repository.RandomHex(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            repository.SetConfig(PasswordKey, ObscuredText.Obscure(password, salt));
        }
        else
        {
            // A password remembered for an earlier remote must not follow the new one.
            repository.RemoveConfig(PasswordKey);
        }
        scope.Complete();
    }
}
