using FossilSync.Exchange;
using FossilSync.Repo;
using FossilSync.Xfer;

namespace FossilSync.Server;

/// <summary>
/// Unversioned files: a client whose catalogue hash differs gets ours (<c>uvigot</c>) once and
/// learns whether it may upload; <c>uvgimme</c> is answered within the reply's budget; an
/// uploaded <c>uvfile</c> is kept only from a user who may write unversioned files.
/// </summary>
internal sealed class UnversionedHandler(RoundContext round)
{
    private bool _catalogueSent;

    private UnversionedFiles Files => round.Repository.Unversioned;

    /// <summary><c>pragma uv-hash HASH</c>: our catalogue, when the client's differs.</summary>
    public void Catalogue(string clientHash)
    {
        if (!round.Caps.Read || _catalogueSent || clientHash == Files.CatalogueHash()) return;
        _catalogueSent = true;
        round.Reply.Add(new PragmaCard(round.Caps.WriteUnversioned ? "uv-push-ok" : "uv-pull-only"));
        foreach (var entry in Files.List()) round.Reply.Add(new UvIGotCard(entry.Name, entry.MTime, entry.Hash, entry.Size));
    }

    /// <summary><c>uvgimme NAME</c>: the file, its deletion, or (over budget) its catalogue entry.</summary>
    public void Send(UvGimmeCard gimme)
    {
        string name = gimme.Name;
        if (!UnversionedFiles.IsValidName(name)) return;
        var entry = Files.List().FirstOrDefault(e => e.Name == name);
        if (entry is null) return;
        if (entry.Hash is null)
        {
            round.Reply.Add(new UvFileCard(name, entry.MTime, null, 0, UvFileCard.Deleted, null));
            return;
        }
        if (round.Sender.OverBudget)
        {
            round.Reply.Add(new UvIGotCard(name, entry.MTime, entry.Hash, entry.Size));
            return;
        }
        byte[] content = Files.Get(name)!;
        round.Reply.Add(new UvFileCard(name, entry.MTime, entry.Hash, content.Length, 0, content));
        round.Sender.Spend(content.Length);
    }

    /// <summary>An uploaded <c>uvfile</c>: a malformed name fails the round; from a user who may not write it, it is ignored as in stock.</summary>
    public void Receive(UvFileCard file)
    {
        if (!UnversionedFiles.IsValidName(file.Name))
        {
            round.Fail("malformed uvfile line");
            return;
        }
        if (!round.Caps.WriteUnversioned) return;
        UnversionedFileReceiver.Accept(Files, file, round.Receiver.Receipt);
    }
}
