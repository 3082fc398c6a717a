using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Xfer;

namespace FossilSync.Exchange;

/// <summary>
/// Sends artifacts as stock's <c>send_file</c> does, for the client's push and the server's
/// answers to <c>gimme</c> alike: never a phantom, never a private artifact outside a private
/// sync, an <c>igot</c> instead once the byte budget is spent, a <c>private</c> card before a
/// private artifact, and a delta of its parent when that saves (<see cref="ParentDelta"/>).
/// </summary>
internal sealed class ArtifactSender(Repository repository, ArtifactSenderOptions options)
{
    /// <summary>Private artifacts may go out (a server learns it from the request's <c>pragma send-private</c>).</summary>
    public bool SyncPrivate { get; set; } = options.SyncPrivate;

    /// <summary>Bytes sent so far (artifacts, and what <see cref="Spend"/> counted).</summary>
    public long BytesSent { get; private set; }

    /// <summary>Artifacts sent whole or as deltas.</summary>
    public int Sent { get; private set; }

    /// <summary>What is left of the budget (zero or less once it is spent).</summary>
    public long Remaining => options.Budget - BytesSent;

    /// <summary>True once the budget is spent: what is asked for is advertised, not sent.</summary>
    public bool OverBudget => BytesSent >= options.Budget;

    /// <summary>Counts bytes sent some other way (clone pages, unversioned files) against the budget.</summary>
    public void Spend(long bytes) => BytesSent += bytes;

    /// <summary>
    /// Adds to <paramref name="output"/> the cards that send <paramref name="hash"/> (stored as
    /// <paramref name="rid"/>), an <c>igot</c> when over budget, or nothing.
    /// </summary>
    /// <returns>True when the artifact itself was sent (the peer has it now).</returns>
    /// <exception cref="CorruptContentException">Its content is damaged, unless <see cref="ArtifactSenderOptions.SkipDamaged"/>.</exception>
    public bool Send(string hash, long rid, List<XferCard> output)
    {
        if (options.IsUnexpandable?.Invoke(hash) == true) return false;
        bool isPrivate = repository.Content.IsPrivate(rid);
        // Never leak a private artifact to a session that is not syncing private content.
        if (isPrivate && !SyncPrivate) return false;
        if (OverBudget)
        {
            // Advertised without being expanded: the peer asks again in its next round.
            if (!repository.Content.IsPhantom(rid)) output.Add(new IGotCard(hash, isPrivate));
            return false;
        }
        if (options.Expansions is { } window) return SendHeld(hash, rid, isPrivate, window, output);
        if ((options.SkipDamaged ? ExpandOrNull(rid) : repository.Content.Get(rid)) is not { } content) return false;
        var delta = ParentDelta.TryCreate(repository, rid, content, SyncPrivate);
        Add(isPrivate, delta is var (source, bytes) ? new FileCard(hash, source, bytes) : new FileCard(hash, null, content), output);
        return true;
    }

    // As Send, with the content and its parent held in the window: the card takes the bytes it
    // sends whole for its own, since the window hands a pooled array out again once released.
    private bool SendHeld(string hash, long rid, bool isPrivate, ExpansionWindow window, List<XferCard> output)
    {
        if (Held(window, rid) is not { } content) return false;
        try
        {
            var delta = ParentDelta.TryCreate(repository, rid, content.Span, SyncPrivate, window);
            Add(isPrivate, delta is var (source, bytes) ? new FileCard(hash, source, bytes) : new FileCard(hash, null, content.Detach()), output);
            return true;
        }
        finally
        {
            content.Release();
        }
    }

    private SharedExpansion? Held(ExpansionWindow window, long rid)
    {
        try
        {
            return window.Get(rid);
        }
        catch (CorruptContentException) when (options.SkipDamaged)
        {
            return null;
        }
    }

    private void Add(bool isPrivate, FileCard file, List<XferCard> output)
    {
        if (isPrivate) output.Add(new PrivateCard());
        output.Add(file);
        BytesSent += file.Content.Length;
        Sent++;
    }

    /// <summary>
    /// The content of <paramref name="rid"/>, or null for a phantom, an incomplete chain or a
    /// damaged blob: what a server leaves out of a reply rather than failing the round for
    /// everything else in it.
    /// </summary>
    public byte[]? ExpandOrNull(long rid)
    {
        try
        {
            return repository.Content.Get(rid);
        }
        catch (CorruptContentException)
        {
            return null;
        }
    }
}
