using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

/// <summary>
/// Unversioned files are written only by a user with 'y' ('a'/'s' do not include it; without it
/// a <c>uvfile</c> is silently ignored), and the catalogue is shown only to a reader, with the
/// verdict on uploads. Each request is put to stock's server and to ours.
/// </summary>
[Collection(AccessRulesCollection.Name)]
public sealed class UnversionedRuleTests(TwinServers servers)
{
    [Theory]
    [InlineData("o", false)]
    [InlineData("i", false)]
    [InlineData("s", false)]
    [InlineData("y", true)]
    [InlineData("oy", true)]
    public async Task An_unversioned_file_is_stored_only_for_a_user_with_y(string capabilities, bool stored)
    {
        servers.SetCapabilities(alice: capabilities);
        var file = FreshArtifact.Create("unversioned from " + capabilities);
        string name = $"uploads/{file.Hash[..12]}.txt";
        var replies = await servers.SendAsync(CraftedRequest.Signed("alice", TwinServers.Password, servers.ProjectCode,
            CraftedRequest.ClientVersion, new UvFileCard(name, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), file.Hash, file.Content.Length, 0, file.Content)));

        replies.ShouldAgree().ShouldBothFailWith(null);
        servers.ShouldBothHold($"SELECT count(*) FROM unversioned WHERE name='{name}' AND hash='{file.Hash}'", stored ? "1" : "0", $"a user with '{capabilities}' uploaded it");
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("g", null)]
    [InlineData("o", "uv-pull-only")]
    [InlineData("s", "uv-pull-only")]
    [InlineData("oy", "uv-push-ok")]
    public async Task The_unversioned_catalogue_is_shown_only_to_a_reader_with_the_verdict_on_uploads(string capabilities, string? verdict)
    {
        servers.SetCapabilities(alice: capabilities);
        var replies = await servers.SendAsync(CraftedRequest.Signed("alice", TwinServers.Password, servers.ProjectCode,
            CraftedRequest.ClientVersion, new PragmaCard("uv-hash", new string('0', 40))));

        replies.ShouldAgree().ShouldBothFailWith(null);
        foreach (var reply in replies.Each)
        {
            reply.Cards<PragmaCard>().Where(p => p.Name.StartsWith("uv-", StringComparison.Ordinal)).Select(p => p.Name)
                .Should().Equal(verdict is null ? [] : [verdict], reply.ToString());
            reply.Cards<UvIGotCard>().Any(u => u.Name == TwinServers.UnversionedName).Should().Be(verdict is not null, reply.ToString());
        }
    }
}
