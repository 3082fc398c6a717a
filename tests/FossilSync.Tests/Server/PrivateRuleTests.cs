using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

/// <summary>
/// Private content moves only for a user with 'x' ('a'/'s' do not include it): it is listed and
/// sent only in a private sync, and a pushed <c>private</c> card or private <c>igot</c> is
/// honoured only with 'x'. Each request is put to stock's server and to ours.
/// </summary>
[Collection(AccessRulesCollection.Name)]
public sealed class PrivateRuleTests(TwinServers servers)
{
    private const string NotAuthorized = "not authorized to sync private content";
    private PullCard Pull => new(new string('0', 40), servers.ProjectCode);
    private PushCard Push => new(new string('0', 40), servers.ProjectCode);

    [Theory]
    [InlineData("o", false)]
    [InlineData("s", false)]
    [InlineData("ox", true)]
    public async Task A_private_sync_needs_the_private_capability(string capabilities, bool allowed)
    {
        servers.SetCapabilities(alice: capabilities);
        var listing = await servers.SendAsync(CraftedRequest.Signed("alice", TwinServers.Password, servers.ProjectCode,
            new PragmaCard("send-private"), CraftedRequest.ClientVersion, Pull));
        listing.ShouldAgree().ShouldBothFailWith(allowed ? null : NotAuthorized);
        foreach (var reply in listing.Each)
        {
            reply.Cards<IGotCard>().Where(i => i.IsPrivate).Select(i => i.Hash).Should().BeEquivalentTo(allowed ? servers.PrivateArtifacts : [], reply.ToString());
        }

        var fetch = await servers.SendAsync(CraftedRequest.Signed("alice", TwinServers.Password, servers.ProjectCode,
            new PragmaCard("send-private"), CraftedRequest.ClientVersion, Pull, new GimmeCard(servers.PrivateArtifacts[0])));
        fetch.ShouldAgree().ShouldBothFailWith(allowed ? null : NotAuthorized);
        foreach (var reply in fetch.Each)
        {
            reply.Cards<FileCard>().Any(f => f.Hash == servers.PrivateArtifacts[0]).Should().Be(allowed, reply.ToString());
        }
    }

    [Fact]
    public async Task A_private_artifact_is_not_sent_outside_a_private_sync_even_to_a_user_with_x()
    {
        servers.SetCapabilities(alice: "ox");
        var replies = await servers.SendAsync(CraftedRequest.Signed("alice", TwinServers.Password, servers.ProjectCode,
            CraftedRequest.ClientVersion, Pull, new GimmeCard(servers.PrivateArtifacts[0]), new GimmeCard(servers.PublicArtifact)));

        replies.ShouldAgree().ShouldBothFailWith(null);
        foreach (var reply in replies.Each)
        {
            reply.Cards<FileCard>().Select(f => f.Hash).Should().Equal([servers.PublicArtifact], reply.ToString());
            reply.Cards<IGotCard>().Where(i => !i.IsPrivate).Select(i => i.Hash).Should().NotIntersectWith(servers.PrivateArtifacts, reply.ToString());
        }
    }

    [Theory]
    [InlineData("i", false)]
    [InlineData("s", false)]
    [InlineData("ix", true)]
    public async Task A_pushed_private_card_makes_the_next_file_private_only_with_the_private_capability(string capabilities, bool isPrivate)
    {
        servers.SetCapabilities(alice: capabilities);
        var pushed = FreshArtifact.Create("pushed as private by " + capabilities);
        var replies = await servers.SendAsync(CraftedRequest.Signed("alice", TwinServers.Password, servers.ProjectCode,
            CraftedRequest.ClientVersion, Push, new PrivateCard(), pushed.File));

        replies.ShouldAgree().ShouldBothFailWith(isPrivate ? null : NotAuthorized);
        // Stock then stores the file as public, ours drops it: neither may keep it private.
        servers.ShouldBothHold($"SELECT count(*) FROM blob WHERE uuid='{pushed.Hash}' AND rid IN private", isPrivate ? "1" : "0", $"a user with '{capabilities}' pushed it as private");
    }

    [Theory]
    [InlineData("i", false)]
    [InlineData("ix", true)]
    public async Task A_private_igot_leaves_a_phantom_only_with_the_private_capability(string capabilities, bool phantom)
    {
        servers.SetCapabilities(alice: capabilities);
        var announced = FreshArtifact.Create("announced as private by " + capabilities);
        var replies = await servers.SendAsync(CraftedRequest.Signed("alice", TwinServers.Password, servers.ProjectCode,
            CraftedRequest.ClientVersion, Push, new IGotCard(announced.Hash, IsPrivate: true)));

        replies.ShouldAgree().ShouldBothFailWith(null);
        servers.ShouldBothHold(announced.CountSql, phantom ? "1" : "0", $"a user with '{capabilities}' announced it as private");
    }
}
