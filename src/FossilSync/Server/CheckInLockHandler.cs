using System.Globalization;
using FossilSync.Primitives;
using FossilSync.Xfer;

namespace FossilSync.Server;

/// <summary>Stock's advisory check-in lock (<c>pragma ci-lock</c>/<c>ci-unlock</c>): one client at a time may commit on top of a check-in.</summary>
internal sealed class CheckInLockHandler(RoundContext round)
{
    /// <summary><c>pragma ci-lock CHECKIN CLIENTID</c>: takes the lock, or answers <c>ci-lock-fail</c> naming its holder.</summary>
    public void Lock(string checkIn, string clientId)
    {
        var repository = round.Repository;
        if (!ArtifactHash.IsValid(checkIn)) return;
        long now = round.Options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        long timeout = long.TryParse(repository.GetConfig("lock-timeout"), out long t) ? t : 60;
        repository.Execute("""
            DELETE FROM config WHERE name GLOB 'ci-lock-*'
               AND (NOT json_valid(value) OR mtime<$old
                    OR NOT EXISTS(SELECT 1 FROM blob b JOIN leaf l ON l.rid=b.rid WHERE b.uuid=substr(config.name, 9)))
            """, ("$old", now - timeout));
        string name = "ci-lock-" + checkIn;
        using (var cmd = repository.Command("SELECT json_extract(value,'$.login'), mtime FROM config WHERE name=$n AND json_extract(value,'$.clientid')<>$c", ("$n", name), ("$c", clientId)))
        using (var reader = cmd.ExecuteReader())
        {
            if (reader.Read())
            {
                round.Reply.Add(new PragmaCard("ci-lock-fail", FossilEscaping.Encode(reader.IsDBNull(0) ? "" : reader.GetString(0)), reader.GetInt64(1).ToString(CultureInfo.InvariantCulture)));
                return;
            }
        }
        if (repository.Scalar<long>("SELECT count(*) FROM config WHERE name=$n", ("$n", name)) > 0) return;
        string login = round.UserId == 0 ? "nobody" : repository.Scalar<string>("SELECT login FROM user WHERE uid=$u", ("$u", round.UserId)) ?? "nobody";
        repository.Execute("INSERT INTO config(name, value, mtime) VALUES($n, json_object('login', $l, 'clientid', $c), $m)",
            ("$n", name), ("$l", login), ("$c", clientId), ("$m", now));
    }

    /// <summary><c>pragma ci-unlock CLIENTID</c>: releases that client's locks.</summary>
    public void Unlock(string clientId) =>
        round.Repository.Execute("DELETE FROM config WHERE name GLOB 'ci-lock-*' AND (NOT json_valid(value) OR json_extract(value,'$.clientid')=$c)", ("$c", clientId));
}
