using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

/// <summary>
/// Reading needs 'o' (a pull) or 'g' (a clone), each on its own; artifacts are sent only
/// inside a pull. Each request is put to stock's server and to ours.
/// </summary>
[Collection(AccessRulesCollection.Name)]
public sealed class ReadRuleTests(TwinServers servers)
{
    private PullCard Pull => new(new string('0', 40), servers.ProjectCode);

    [Theory]
    [InlineData("", false)]
    [InlineData("g", false)]
    [InlineData("o", true)]
    [InlineData("i", true)]
    public async Task A_pull_needs_the_read_capability(string capabilities, bool allowed)
    {
        servers.SetCapabilities(alice: capabilities);
        var replies = await servers.SendAsync(CraftedRequest.Signed("alice", TwinServers.Password, servers.ProjectCode, CraftedRequest.ClientVersion, Pull));

        replies.ShouldAgree().ShouldBothFailWith(allowed ? null : "not authorized to read");
        foreach (var reply in replies.Each) reply.Cards<IGotCard>().Any().Should().Be(allowed, reply.ToString());
    }

    [Theory]
    [InlineData("o", false)]
    [InlineData("g", true)]
    public async Task A_clone_needs_the_clone_capability(string capabilities, bool allowed)
    {
        servers.SetCapabilities(alice: capabilities);
        var replies = await servers.SendAsync(CraftedRequest.Signed("alice", TwinServers.Password, servers.ProjectCode, CraftedRequest.ClientVersion, new CloneCard(3, 1)));

        replies.ShouldAgree().ShouldBothFailWith(allowed ? null : "not authorized to clone");
        foreach (var reply in replies.Each)
        {
            reply.Cards<CFileCard>().Any().Should().Be(allowed, reply.ToString());
            reply.Cards<CloneSeqnoCard>().Any().Should().Be(allowed, reply.ToString());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_gimme_is_answered_only_inside_a_pull(bool withPull)
    {
        servers.SetCapabilities(alice: "o");
        XferCard[] cards = withPull
            ? [CraftedRequest.ClientVersion, Pull, new GimmeCard(servers.PublicArtifact)]
            : [CraftedRequest.ClientVersion, new GimmeCard(servers.PublicArtifact)];
        var replies = await servers.SendAsync(CraftedRequest.Signed("alice", TwinServers.Password, servers.ProjectCode, cards));

        replies.ShouldAgree().ShouldBothFailWith(null);
        foreach (var reply in replies.Each)
        {
            reply.Cards<FileCard>().Any(f => f.Hash == servers.PublicArtifact).Should().Be(withPull, reply.ToString());
        }
    }
}
