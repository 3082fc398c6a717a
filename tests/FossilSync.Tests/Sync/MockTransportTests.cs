using FossilSync.Sync;
using FossilSync.Testing;
using FossilSync.Xfer;

namespace FossilSync.Tests.Sync;

public sealed class MockTransportTests
{
    [Fact]
    public async Task Records_decoded_requests_and_returns_the_delegates_answer()
    {
        var transport = new MockTransport(request => new XferMessage([new MessageCard($"got {request.Cards.Count} cards")]));
        byte[] request = new XferMessage([new PragmaCard("client-version", "22100"), new CloneCard(3, 1)]).Encode();
        var reply = await transport.ExchangeAsync(request, CancellationToken.None);
        reply.Cards.Should().Equal(new MessageCard("got 2 cards"));
        transport.Requests.Should().ContainSingle().Which.Cards[1].Should().Be(new CloneCard(3, 1));
        var cancelled = () => transport.ExchangeAsync(request, new CancellationToken(canceled: true));
        await cancelled.Should().ThrowAsync<OperationCanceledException>();
    }
}
