using FossilSync.Repo;
using FossilSync.Xfer;

namespace FossilSync.Exchange;

/// <summary>
/// The artifacts of one push request: expanded newest first, sent in the order they were asked
/// for, as stock's client sends them.
/// </summary>
/// <remarks>
/// The two orders serve the two sides. Here history is stored as reverse deltas, so expanding
/// newest first lets each artifact, and the parent its delta is made against, expand from the
/// one expanded just before it. Stock's server does its work in the order the files arrive: a
/// delta whose source it holds is stored as full text, one whose source has not come yet is
/// kept as a delta, and crosslinking a check-in deltifies each changed file's previous version
/// against the new one, first storing the new one whole when it is a delta of the old. Sent
/// newest first, a file's versions mostly arrive each before its source, and crosslinking then
/// stores them whole one by one; its server then compresses more full texts than under stock's
/// push and keeps more of them.
/// </remarks>
internal static class AskedOrderSender
{
    /// <summary>
    /// Adds to <paramref name="output"/>, in the order of <paramref name="asked"/>, the cards
    /// that <paramref name="sender"/> makes for each name (a name asked twice goes out once).
    /// </summary>
    /// <param name="sender">Makes each artifact's cards and keeps the request's byte budget.</param>
    /// <param name="repository">Where the names are looked up.</param>
    /// <param name="asked">Names in the order the server asked for them (or were queued unasked).</param>
    /// <param name="output">The request's cards.</param>
    /// <param name="onSent">Told each name whose content went out, in the order made, with its own cards (to damage for a fault test).</param>
    public static void Send(ArtifactSender sender, Repository repository, IReadOnlyList<string> asked, List<XferCard> output, Action<string, List<XferCard>> onSent)
    {
        var cardsOf = new Dictionary<string, List<XferCard>>(StringComparer.Ordinal);
        var newestFirst = asked.Distinct(StringComparer.Ordinal)
            .Select(h => (Hash: h, Rid: repository.Content.FindRid(h)))
            .OrderByDescending(x => x.Rid ?? 0);
        foreach (var (hash, found) in newestFirst)
        {
            // A name not known here is neither sent nor announced.
            if (found is not long rid) continue;
            var cards = new List<XferCard>(2);
            if (sender.Send(hash, rid, cards)) onSent(hash, cards);
            cardsOf[hash] = cards;
        }
        foreach (string hash in asked)
        {
            if (cardsOf.Remove(hash, out var cards)) output.AddRange(cards);
        }
    }
}
