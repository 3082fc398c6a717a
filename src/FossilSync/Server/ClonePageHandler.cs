using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Testing;
using FossilSync.Xfer;

namespace FossilSync.Server;

/// <summary>
/// <c>clone [VERSION [SEQNO]]</c>: protocol 2 and 3 send every artifact from SEQNO on in rid
/// order, within the reply's budget, then <c>clone_seqno</c> with where to go on (0 when
/// done); protocol 1 is a pull that advertises everything. The reply ends with the
/// <c>push</c> card that names the project.
/// </summary>
internal sealed class ClonePageHandler(RoundContext round)
{
    /// <summary>True for a clone by pages (protocol 2 or 3), which is all its reply holds.</summary>
    public bool Paged => round.Clone && round.CloneVersion is 2 or 3;

    /// <summary>A <c>clone</c> card: a page of artifacts, or a pull of everything (protocol 1).</summary>
    public void Clone(CloneCard clone)
    {
        if (!round.Caps.Clone)
        {
            round.Reply.Clear();
            round.Reply.Add(round.ProjectCard());
            round.Fail("not authorized to clone");
            return;
        }
        round.Clone = true;
        round.CloneVersion = clone.Version ?? 1;
        if (clone.Version is not (2 or 3) || clone.SequenceNumber is null)
        {
            round.Pull = true;   // protocol 1: a pull that advertises everything
            return;
        }
        SendPage(clone.Version.Value, Math.Max(1, clone.SequenceNumber.Value));
    }

    private void SendPage(int version, long seq)
    {
        var repository = round.Repository;
        var sender = round.Sender;
        long max = ClonePages.LastSequence(repository);
        long next = 0;
        int pageLimit = FaultSites.Fires(round.Options.Faults, FaultSites.ServerTinyClonePage) ? 1 : int.MaxValue;
        var unexpandable = round.Unexpandable;
        foreach (var artifact in ClonePages.From(repository, seq, round.StoredPayloads))
        {
            if (sender.OverBudget || pageLimit <= 0) { next = artifact.Rid; break; }
            if (unexpandable.Count > 0 && unexpandable.Contains(Name(artifact.Hash))) continue;
            var stored = artifact.Stored;
            var source = artifact.SourceHash;
            // A public artifact never travels as a delta of a private one.
            if (!source.IsEmpty && artifact.SourceIsPrivate)
            {
                if (sender.ExpandOrNull(artifact.Rid) is not { } whole) continue;
                stored = BlobCompression.Compress(whole);
                source = default;
            }
            round.Reply.Add(version == 3
                ? new StoredCFileCard(artifact.Hash, source, artifact.Size, stored)
                : new FileCard(Name(artifact.Hash), source.IsEmpty ? null : Name(source), BlobCompression.Decompress(stored)));
            sender.Spend(stored.Length);
            pageLimit--;
        }
        round.Reply.Add(new CloneSeqnoCard(next > 0 && next <= max ? next : 0));
    }

    private static string Name(ReadOnlyMemory<byte> utf8) => System.Text.Encoding.UTF8.GetString(utf8.Span);

    /// <summary>Ends a clone's reply: the <c>push</c> card that names the project (and queues the client's next page).</summary>
    public void NameProject() => round.Reply.Add(round.ProjectCard());
}
