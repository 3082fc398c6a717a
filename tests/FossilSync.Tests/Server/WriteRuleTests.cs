using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

/// <summary>
/// Writing needs 'i' (or 'a'/'s', which include it): without it a push is refused and no
/// <c>file</c>, <c>cfile</c> or <c>igot</c> changes the repository; and every push names the
/// served project. Each request is put to stock's server and to ours, and what each stored
/// is checked.
/// </summary>
[Collection(AccessRulesCollection.Name)]
public sealed class WriteRuleTests(TwinServers servers)
{
    private PullCard Pull => new(new string('0', 40), servers.ProjectCode);
    private PushCard Push => new(new string('0', 40), servers.ProjectCode);

    [Theory]
    [InlineData("", false)]
    [InlineData("o", false)]
    [InlineData("gox", false)]
    [InlineData("i", true)]
    [InlineData("a", true)]
    [InlineData("s", true)]
    [InlineData("v", true)]   // inherits 'i' from the built-in user developer
    public async Task A_pushed_file_is_stored_only_for_a_user_who_may_write(string capabilities, bool stored)
    {
        servers.SetCapabilities(alice: capabilities);
        var pushed = FreshArtifact.Create("pushed by " + capabilities);
        var replies = await servers.SendAsync(CraftedRequest.Signed("alice", TwinServers.Password, servers.ProjectCode, CraftedRequest.ClientVersion, Push, pushed.File));

        replies.ShouldAgree().ShouldBothFailWith(stored ? null : "not authorized to write");
        servers.ShouldBothHold(pushed.CountSql, stored ? "1" : "0", $"a user with '{capabilities}' pushed it");
    }

    [Theory]
    [InlineData("file", "o", false)]
    [InlineData("cfile", "o", false)]
    [InlineData("file", "i", true)]
    [InlineData("cfile", "i", true)]
    public async Task A_reader_who_pulls_and_pushes_is_told_pull_only_and_its_artifacts_are_refused(string kind, string capabilities, bool stored)
    {
        servers.SetCapabilities(alice: capabilities);
        var pushed = FreshArtifact.Create($"{kind} pushed with a pull by {capabilities}");
        byte[] card = kind == "file" ? CraftedRequest.Encode(pushed.File) : pushed.CFileBytes;
        byte[] rest = [.. CraftedRequest.Encode(CraftedRequest.ClientVersion, Pull, Push), .. card];
        var replies = await servers.SendAsync(CraftedRequest.Signed("alice", TwinServers.Password, servers.ProjectCode, rest));

        foreach (var reply in replies.Each) reply.Errors.Should().Equal(stored ? [] : ["not authorized to write"], reply.ToString());
        servers.ShouldBothHold(pushed.CountSql, stored ? "1" : "0", $"a user with '{capabilities}' sent it in a {kind} card");
    }

    [Fact]
    public async Task A_reader_who_pulls_and_pushes_without_artifacts_is_told_pull_only_and_served()
    {
        servers.SetCapabilities(alice: "o");
        var replies = await servers.SendAsync(CraftedRequest.Signed("alice", TwinServers.Password, servers.ProjectCode, CraftedRequest.ClientVersion, Pull, Push));

        replies.ShouldAgree().ShouldBothFailWith(null);
        foreach (var reply in replies.Each)
        {
            reply.Messages.Should().Equal(["pull only - not authorized to push"], reply.ToString());
            reply.Cards<IGotCard>().Should().NotBeEmpty(reply.ToString());
        }
    }

    [Theory]
    [InlineData("o", false)]
    [InlineData("i", true)]
    public async Task An_igot_of_an_unknown_artifact_leaves_a_phantom_only_for_a_user_who_may_write(string capabilities, bool phantom)
    {
        servers.SetCapabilities(alice: capabilities);
        var announced = FreshArtifact.Create("announced by " + capabilities);
        var replies = await servers.SendAsync(CraftedRequest.Signed("alice", TwinServers.Password, servers.ProjectCode, CraftedRequest.ClientVersion, Pull, Push, new IGotCard(announced.Hash)));

        replies.ShouldAgree().ShouldBothFailWith(null);
        servers.ShouldBothHold(announced.CountSql, phantom ? "1" : "0", $"a user with '{capabilities}' announced it");
    }

    [Theory]
    [InlineData("push")]
    [InlineData("pull")]
    public async Task A_request_for_another_project_is_refused_and_stores_nothing(string kind)
    {
        servers.SetCapabilities(alice: "i");
        string otherProject = new('5', 40);
        XferCard card = kind == "push" ? new PushCard(new string('0', 40), otherProject) : new PullCard(new string('0', 40), otherProject);
        var pushed = FreshArtifact.Create("pushed to another project");
        var replies = await servers.SendAsync(CraftedRequest.Signed("alice", TwinServers.Password, servers.ProjectCode, CraftedRequest.ClientVersion, card, pushed.File));

        replies.ShouldAgree().ShouldBothFailWith("wrong project");
        foreach (var reply in replies.Each) reply.Cards<IGotCard>().Should().BeEmpty(reply.ToString());
        servers.ShouldBothHold(pushed.CountSql, "0", "the push named another project");
    }
}
