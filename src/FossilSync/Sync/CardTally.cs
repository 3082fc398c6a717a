using FossilSync.Observability;
using FossilSync.Xfer;

namespace FossilSync.Sync;

/// <summary>Counts the cards of a request an observer reports (gimmes, igots, unversioned files), with a plain loop: nothing allocated.</summary>
internal static class CardTally
{
    public static void CountSent(List<XferCard> cards, ref RoundCounts counts)
    {
        for (int i = 0; i < cards.Count; i++)
        {
            switch (cards[i])
            {
                case GimmeCard: counts.GimmesSent++; break;
                case IGotCard: counts.IGotsSent++; break;
                case UvFileCard: counts.UnversionedSent++; break;
            }
        }
    }

    /// <summary>Counts one card of a reply.</summary>
    public static void CountReceived(XferCard card, ref RoundCounts counts)
    {
        switch (card)
        {
            case GimmeCard: counts.GimmesReceived++; break;
            case IGotCard: counts.IGotsReceived++; break;
            case UvFileCard: counts.UnversionedReceived++; break;
        }
    }
}
