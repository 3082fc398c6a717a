using FossilSync.Primitives;

namespace FossilSync.Repo;

/// <summary>One user of a repository: login, capability letters (stock's, e.g. <c>oi</c> to pull and push), contact information.</summary>
public sealed record RepositoryUser(string Login, string Capabilities, string Contact);

/// <summary>
/// The repository's users, as stock's <c>fossil user</c> manages them: who may log in to sync
/// and with which capabilities. Passwords are stored as stock stores them, as the SHA1 secret
/// of project code, login and password, never in clear.
/// </summary>
public sealed class RepositoryUsers
{
    /// <summary>The four users every repository has, whose capabilities apply to everyone (nobody, anonymous) or are inherited (developer, reader).</summary>
    public static IReadOnlyList<string> BuiltIn { get; } = ["anonymous", "nobody", "developer", "reader"];

    private const int MaxLoginLength = 100;
    private readonly Repository _repository;

    internal RepositoryUsers(Repository repository) => _repository = repository;

    /// <summary>Every user, by login.</summary>
    public IReadOnlyList<RepositoryUser> List()
    {
        var users = new List<RepositoryUser>();
        using var cmd = _repository.Command("SELECT login, coalesce(cap,''), coalesce(info,'') FROM user ORDER BY login");
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) users.Add(new RepositoryUser(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        return users;
    }

    /// <summary>The user <paramref name="login"/>, or null when there is none.</summary>
    public RepositoryUser? Find(string login)
    {
        ArgumentNullException.ThrowIfNull(login);
        using var cmd = _repository.Command("SELECT login, coalesce(cap,''), coalesce(info,'') FROM user WHERE login=$l", ("$l", login));
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? new RepositoryUser(reader.GetString(0), reader.GetString(1), reader.GetString(2)) : null;
    }

    /// <summary>Adds a user who can log in with <paramref name="password"/>.</summary>
    /// <exception cref="RepositoryException">The login is taken or not a valid name, the password is empty, or a capability is not a letter or digit.</exception>
    public RepositoryUser Create(string login, string password, string capabilities = "", string contact = "")
    {
        CheckLogin(login);
        CheckPassword(password);
        CheckCapabilities(capabilities);
        ArgumentNullException.ThrowIfNull(contact);
        if (Find(login) is not null) throw new RepositoryException($"user '{login}' already exists.");
        _repository.Execute("INSERT INTO user(login, pw, cap, info, mtime) VALUES($l, $p, $c, $i, $m)",
            ("$l", login), ("$p", SharedSecret.Of(_repository.ProjectCode, login, password)), ("$c", capabilities), ("$i", contact), ("$m", _repository.UnixNow()));
        return new RepositoryUser(login, capabilities, contact);
    }

    /// <summary>Gives <paramref name="login"/> a new password (stock's <c>fossil user password</c>).</summary>
    /// <exception cref="RepositoryException">There is no such user, it is a built-in one, or the password is empty.</exception>
    public void SetPassword(string login, string password)
    {
        ArgumentNullException.ThrowIfNull(login);
        CheckPassword(password);
        if (BuiltIn.Contains(login)) throw new RepositoryException($"'{login}' is a built-in user: it has no password of its own to log in with.");
        Update(login, "pw=$v", SharedSecret.Of(_repository.ProjectCode, login, password));
    }

    /// <summary>Replaces the capability letters of <paramref name="login"/> (stock's <c>fossil user capabilities</c>).</summary>
    /// <exception cref="RepositoryException">There is no such user, or a capability is not a letter or digit.</exception>
    public void SetCapabilities(string login, string capabilities)
    {
        ArgumentNullException.ThrowIfNull(login);
        CheckCapabilities(capabilities);
        Update(login, "cap=$v", capabilities);
    }

    private void Update(string login, string assignment, string value)
    {
        int changed = _repository.Execute($"UPDATE user SET {assignment}, mtime=$m WHERE login=$l", ("$v", value), ("$m", _repository.UnixNow()), ("$l", login));
        if (changed == 0) throw new RepositoryException($"no user '{login}' in {_repository.Path}.");
    }

    // A login travels in URLs (user:password@host) and login cards: nothing that would break either.
    private static void CheckLogin(string login)
    {
        ArgumentNullException.ThrowIfNull(login);
        if (login.Length is 0 or > MaxLoginLength || login.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is ':' or '@' or '/' or '\\'))
        {
            throw new RepositoryException($"'{login}' is not a valid login: 1 to {MaxLoginLength} characters, no spaces, control characters, ':', '@' or slashes.");
        }
        if (BuiltIn.Contains(login)) throw new RepositoryException($"'{login}' is a built-in user and always exists.");
    }

    private static void CheckPassword(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length == 0) throw new RepositoryException("the password is empty: a user without a password cannot log in.");
    }

    private static void CheckCapabilities(string capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        if (!capabilities.All(char.IsAsciiLetterOrDigit)) throw new RepositoryException($"'{capabilities}' is not a capability string: only letters and digits, as stock's (e.g. 'oi' to pull and push).");
    }
}
