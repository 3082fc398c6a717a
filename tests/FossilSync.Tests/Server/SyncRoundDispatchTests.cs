using FossilSync.Server;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

public sealed class SyncRoundDispatchTests
{
    [Fact]
    public void Every_card_type_is_routed_or_explicitly_ignored_by_the_server_round()
    {
        var cardTypes = typeof(XferCard).Assembly.GetTypes()
            .Where(type => type.IsSubclassOf(typeof(XferCard)) && !type.IsAbstract)
            .ToList();

        cardTypes.Should().Contain([typeof(FileCard), typeof(LoginCard)], "the reflection must find the card records");
        SyncRound.RoutedCardTypes.Should().BeEquivalentTo(cardTypes,
            "a card type the server's round does not route would be dropped silently (or fail the round at run time)");
    }
}
