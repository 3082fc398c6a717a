using FossilSync.Exchange;
using FossilSync.Repo;
using FossilSync.Testing;
using FossilSync.Xfer;

namespace FossilSync.Server;

/// <summary>
/// The artifacts of a round: <c>pull</c> and <c>push</c> set what the client may do,
/// <c>gimme</c> is answered with the artifact, <c>igot</c> of what we lack makes a phantom,
/// <c>file</c>/<c>cfile</c> are stored; at the end we ask for our phantoms and advertise what
/// the client may lack, listed in clusters once many artifacts are unclustered.
/// </summary>
internal sealed class ContentExchangeHandler(RoundContext round)
{
    private readonly HashSet<string> _asked = new(StringComparer.Ordinal);
    private readonly List<string> _gimmes = [];
    private const int TruncatedIGots = 3;

    private bool _syncPrivate;
    private int _advertiseLimit = int.MaxValue;

    /// <summary><c>pull SERVERCODE PROJECTCODE</c>.</summary>
    public void Pull(PullCard pull)
    {
        if (!round.ProjectMatches(pull.ProjectCode)) return;
        if (!round.Caps.Read) { round.Fail("not authorized to read"); return; }
        round.Pull = true;
    }

    /// <summary><c>push SERVERCODE PROJECTCODE</c>; a user who may only read is told so when also pulling.</summary>
    public void Push(PushCard push)
    {
        if (!round.ProjectMatches(push.ProjectCode)) return;
        if (!round.Caps.Write)
        {
            if (round.Pull) round.Reply.Add(new MessageCard("pull only - not authorized to push"));
            else round.Fail("not authorized to write");
            return;
        }
        round.Push = true;
    }

    /// <summary><c>pragma send-private</c>: private artifacts go both ways, for a user who may sync them.</summary>
    public void SendPrivate()
    {
        if (round.Caps.Private) _syncPrivate = round.Sender.SyncPrivate = true;
        else round.Reply.Add(new ErrorCard("not authorized to sync private content"));
    }

    /// <summary><c>gimme HASH</c>: sent when pulling (as a delta of its parent when that saves), or <c>igot</c> once over budget.</summary>
    public void Gimme(GimmeCard gimme)
    {
        string hash = gimme.Hash;
        if (FaultSites.Fires(round.Options.Faults, FaultSites.ServerSkipGimme)) return;
        _asked.Add(hash);
        round.OnRemote.Remove(hash);
        if (round.Pull) _gimmes.Add(hash);
    }

    /// <summary>
    /// Answers the round's <c>gimme</c> cards, in the order asked, each expanded newest first
    /// (<see cref="AskedOrderSender"/>): history is stored as reverse deltas, so each artifact
    /// and the parent its delta is made against expand from ones the sender's window holds.
    /// </summary>
    public void SendAsked()
    {
        if (_gimmes.Count == 0) return;
        AskedOrderSender.Send(round.Sender, round.Repository, _gimmes, round.Reply, (hash, cards) =>
        {
            round.OnRemote.Add(hash);
            if (FaultSites.Fires(round.Options.Faults, FaultSites.ServerSendsDamagedFile)) FaultSites.DamageLastFile(cards);
        });
        _gimmes.Clear();
        round.ShareAndReleaseExpansions();
    }

    /// <summary><c>igot HASH [1]</c>: a phantom for what a pushing client has and we lack.</summary>
    public void IGot(IGotCard igot)
    {
        // Remembered only where it counts (not advertising back what the client has, taking
        // what it offers): a flood of igots from someone who may do neither costs nothing.
        if (round.Pull || round.Push) round.OnRemote.Add(igot.Hash);
        var content = round.Repository.Content;
        if (round.Push && (!igot.IsPrivate || round.Caps.Private) && content.FindRid(igot.Hash) is null)
        {
            content.GetOrCreatePhantom(igot.Hash, igot.IsPrivate);
        }
    }

    /// <summary>A pushed <c>file</c>.</summary>
    public void Receive(FileCard file)
    {
        if (!round.Push) { round.Fail("not authorized to write"); return; }
        if (FaultSites.Fires(round.Options.Faults, FaultSites.ServerRejectFile)) round.Receiver.DropNext();
        round.Receiver.Receive(file);
        round.OnRemote.Add(file.Hash);
    }

    /// <summary>A pushed <c>cfile</c>.</summary>
    public void Receive(CFileCard file)
    {
        if (!round.Push) { round.Fail("not authorized to write"); return; }
        if (FaultSites.Fires(round.Options.Faults, FaultSites.ServerRejectFile)) round.Receiver.DropNext();
        round.Receiver.Receive(file);
        round.OnRemote.Add(file.Hash);
    }

    /// <summary>A <c>private</c> card: the next file is private, or (for a user who may not sync private content) dropped.</summary>
    public void Private()
    {
        if (FaultSites.Fires(round.Options.Faults, FaultSites.ServerDropPrivate))
        {
            round.Receiver.DropNext();
            return;
        }
        if (round.Caps.Private)
        {
            round.Receiver.MarkNextPrivate();
            return;
        }
        // Stock stores the next file as public anyway; we drop it.
        round.Reply.Add(new ErrorCard("not authorized to sync private content"));
        round.Receiver.DropNext();
    }

    /// <summary>A <c>file</c>/<c>cfile</c> not read because the user may not push.</summary>
    public void Refuse() => round.Fail("not authorized to write");

    /// <summary>End of a push: a <c>gimme</c> for each phantom the client was not itself asked for (private ones too in a private sync, as stock).</summary>
    public void AskForPhantoms()
    {
        if (!round.Push) return;
        foreach (string hash in NameLists.ListPhantoms(round.Repository, 500, includePrivate: _syncPrivate))
        {
            if (!_asked.Contains(hash)) round.Reply.Add(new GimmeCard(hash));
        }
    }

    /// <summary>End of a pull: <c>igot</c> for what the client may lack (everything, for a clone by protocol 1).</summary>
    public void Advertise()
    {
        if (!round.Pull) return;
        var repository = round.Repository;
        _advertiseLimit = FaultSites.Fires(round.Options.Faults, FaultSites.ServerTruncateIGots) ? TruncatedIGots : int.MaxValue;
        if (!round.Clone)
        {
            foreach (long cluster in Clusters.CreateDue(repository, round.Unexpandable)) round.Receiver.AddMadeHere(cluster);
        }
        foreach (string hash in NameLists.EnumerateAnnounced(repository, toCloner: round.Clone)) Advertise(hash, isPrivate: false);
        if (_syncPrivate)
        {
            foreach (string hash in NameLists.ListPrivate(repository)) Advertise(hash, isPrivate: true);
        }
    }

    private void Advertise(string hash, bool isPrivate)
    {
        if (_advertiseLimit <= 0) return;
        if (!round.OnRemote.Contains(hash) && !round.Unexpandable.Contains(hash))
        {
            round.Reply.Add(new IGotCard(hash, isPrivate));
            _advertiseLimit--;
        }
    }
}
