namespace FossilSync.Repo;

/// <summary>
/// Stock's advisory check-in locks, kept as <c>ci-lock-CHECKIN</c> config rows holding the
/// holder's login and client id: a lock lapses after <c>lock-timeout</c> seconds (60 by
/// default) or once its check-in is no longer a leaf.
/// </summary>
internal static class CheckInLocks
{
    /// <summary>Who holds a lock, and since when (Unix seconds).</summary>
    internal readonly record struct Holder(string Login, long Since);

    /// <summary>
    /// Takes the lock on <paramref name="checkIn"/> for <paramref name="clientId"/>, after
    /// dropping lapsed locks; returns the other client's hold when it has it (the lock is then
    /// not taken), else null (taken now, or held already by this client).
    /// </summary>
    public static Holder? TryTake(Repository repository, string checkIn, string clientId, Func<string> login, long now)
    {
        long timeout = long.TryParse(repository.GetConfig("lock-timeout"), out long t) ? t : 60;
        repository.Execute("""
            DELETE FROM config WHERE name GLOB 'ci-lock-*'
               AND (NOT json_valid(value) OR mtime<$old
                    OR NOT EXISTS(SELECT 1 FROM blob b JOIN leaf l ON l.rid=b.rid WHERE b.uuid=substr(config.name, 9)))
            """, ("$old", now - timeout));
        string name = "ci-lock-" + checkIn;
        using (var cmd = repository.Command("SELECT json_extract(value,'$.login'), mtime FROM config WHERE name=$n AND json_extract(value,'$.clientid')<>$c", ("$n", name), ("$c", clientId)))
        using (var reader = repository.Read(cmd))
        {
            if (reader.Read()) return new Holder(reader.IsDBNull(0) ? "" : reader.GetString(0), reader.GetInt64(1));
        }
        if (repository.Scalar<long>("SELECT count(*) FROM config WHERE name=$n", ("$n", name)) > 0) return null;
        repository.Execute("INSERT INTO config(name, value, mtime) VALUES($n, json_object('login', $l, 'clientid', $c), $m)",
            ("$n", name), ("$l", login()), ("$c", clientId), ("$m", now));
        return null;
    }

    /// <summary>Releases every lock <paramref name="clientId"/> holds (and any unreadable one).</summary>
    public static void Release(Repository repository, string clientId) =>
        repository.Execute("DELETE FROM config WHERE name GLOB 'ci-lock-*' AND (NOT json_valid(value) OR json_extract(value,'$.clientid')=$c)", ("$c", clientId));
}
