using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

/// <summary>
/// Every request has the capabilities of the user <c>nobody</c>, with or without a login, and
/// nothing more without one. Each request is put to stock's server and to ours.
/// </summary>
[Collection(AccessRulesCollection.Name)]
public sealed class BaselineCapabilityTests(TwinServers servers)
{
    private PullCard Pull => new(new string('0', 40), servers.ProjectCode);

    [Theory]
    [InlineData(false, "", false)]
    [InlineData(false, "g", false)]
    [InlineData(false, "o", true)]
    [InlineData(true, "", false)]
    [InlineData(true, "o", true)]
    public async Task A_pull_has_the_rights_of_nobody(bool loggedIn, string nobody, bool allowed)
    {
        // alice herself may do nothing: whatever she gets comes from the baseline.
        servers.SetCapabilities(alice: "", nobody: nobody);
        XferCard[] cards = [CraftedRequest.ClientVersion, Pull];
        var request = loggedIn ? CraftedRequest.Signed("alice", TwinServers.Password, servers.ProjectCode, cards) : CraftedRequest.Unsigned(cards);
        var replies = await servers.SendAsync(request);

        replies.ShouldAgree().ShouldBothFailWith(allowed ? null : "not authorized to read");
        foreach (var reply in replies.Each) reply.Cards<IGotCard>().Any().Should().Be(allowed, reply.ToString());
    }

    [Theory]
    [InlineData("gjorz", false)]   // what 'fossil new' gives nobody: anybody may clone and pull, not push
    [InlineData("i", true)]
    public async Task Without_a_login_a_push_is_stored_only_if_nobody_may_write(string nobody, bool stored)
    {
        servers.SetCapabilities(alice: "i", nobody: nobody, anonymous: "hmnc");
        var pushed = FreshArtifact.Create("pushed without a login");
        var replies = await servers.SendAsync(CraftedRequest.Unsigned(CraftedRequest.ClientVersion, new PushCard(new string('0', 40), servers.ProjectCode), pushed.File));

        replies.ShouldAgree().ShouldBothFailWith(stored ? null : "not authorized to write");
        servers.ShouldBothHold(pushed.CountSql, stored ? "1" : "0", $"nobody has '{nobody}'");
    }
}
