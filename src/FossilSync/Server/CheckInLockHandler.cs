using System.Globalization;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Xfer;

namespace FossilSync.Server;

/// <summary>Stock's advisory check-in lock (<c>pragma ci-lock</c>/<c>ci-unlock</c>): one client at a time may commit on top of a check-in.</summary>
internal sealed class CheckInLockHandler(RoundContext round)
{
    /// <summary><c>pragma ci-lock CHECKIN CLIENTID</c>: takes the lock, or answers <c>ci-lock-fail</c> naming its holder.</summary>
    public void Lock(string checkIn, string clientId)
    {
        if (!ArtifactHash.IsValid(checkIn)) return;
        var repository = round.Repository;
        long now = round.Options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (CheckInLocks.TryTake(repository, checkIn, clientId, LoginName, now) is { } holder)
        {
            round.Reply.Add(new PragmaCard("ci-lock-fail", FossilEscaping.Encode(holder.Login), holder.Since.ToString(CultureInfo.InvariantCulture)));
        }
    }

    /// <summary><c>pragma ci-unlock CLIENTID</c>: releases that client's locks.</summary>
    public void Unlock(string clientId) => CheckInLocks.Release(round.Repository, clientId);

    private string LoginName() => round.UserId == 0 ? "nobody" : UserAccounts.LoginOf(round.Repository, round.UserId) ?? "nobody";
}
