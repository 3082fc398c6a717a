using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

/// <summary>
/// Over sync, stock 2.21 never grants the capabilities of the user <c>anonymous</c>: a request
/// without a login has only <c>nobody</c>'s, a login adds only the user's own (and
/// <c>anonymous</c> is a web login, which no sync request can make). Each request is put to
/// stock's server and to ours.
/// </summary>
[Collection(AccessRulesCollection.Name)]
public sealed class AnonymousCapabilityTests(TwinServers servers)
{
    [Theory]
    [InlineData("")]
    [InlineData("alice")]
    [InlineData("anonymous")]
    public async Task The_capabilities_of_anonymous_do_not_apply_to_a_sync_request(string login)
    {
        servers.SetCapabilities(alice: "", nobody: "", anonymous: "gio");
        XferCard[] cards = [CraftedRequest.ClientVersion, new PullCard(new string('0', 40), servers.ProjectCode)];
        var request = login == "" ? CraftedRequest.Unsigned(cards) : CraftedRequest.Signed(login, TwinServers.Password, servers.ProjectCode, cards);
        var replies = await servers.SendAsync(request);

        replies.ShouldAgree().ShouldBothFailWith("not authorized to read");
        foreach (var reply in replies.Each) reply.Cards<IGotCard>().Should().BeEmpty(reply.ToString());
    }
}
