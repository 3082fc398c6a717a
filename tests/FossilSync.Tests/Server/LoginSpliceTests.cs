using System.Text;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

/// <summary>
/// The login splice: from one signed request <c>L + R</c> of an admin (login line L, rest R),
/// anyone who saw it can send <c>L + X + L + R</c>. The second L is still valid for R, so a
/// server that checks each nonce against the bytes after the last login line, rather than
/// after that login line itself, runs X with the admin's rights. Stock refuses the request
/// ("login failed") and stores nothing: the nonce of the first L does not cover X + L + R.
/// </summary>
/// <remarks>These tests fail on our server until its login check covers the bytes after each login line.</remarks>
[Collection(AccessRulesCollection.Name)]
public sealed class LoginSpliceTests(TwinServers servers)
{
    [Theory]
    [InlineData("a new user with setup rights")]
    [InlineData("a pushed file")]
    public async Task Cards_spliced_in_before_a_copy_of_an_admins_login_line_are_refused_and_nothing_is_stored(string splice)
    {
        servers.SetCapabilities(alice: "s");
        var signed = CraftedRequest.Signed("alice", TwinServers.Password, servers.ProjectCode, CraftedRequest.ClientVersion, new PullCard(new string('0', 40), servers.ProjectCode));
        (await servers.SendAsync(signed)).ShouldAgree().ShouldBothFailWith(null);

        string tag = Guid.NewGuid().ToString("N")[..12];
        var pushed = FreshArtifact.Create("spliced in");
        (byte[] cards, string check) = splice == "a pushed file"
            ? (CraftedRequest.Encode(CraftedRequest.ClientVersion, new PushCard(new string('0', 40), servers.ProjectCode), pushed.File), pushed.CountSql)
            : (CraftedRequest.Encode(new ConfigCard("/user", Encoding.UTF8.GetBytes($"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()} 'intruder-{tag}' pw 'intruder' cap 's'"))),
               $"SELECT count(*) FROM user WHERE login='intruder-{tag}'");
        byte[] spliced = [.. signed.LoginLine, .. cards, .. signed.LoginLine, .. signed.Rest];
        var replies = await servers.SendAsync(spliced);

        replies.Stock.Errors.Should().Equal(["login failed"], replies.Stock.ToString());
        servers.Query(check).Stock.Should().Equal(["0"], "stock stores nothing of a spliced request");
        replies.Ours.Errors.Should().Equal(["login failed"], replies.Ours.ToString());
        servers.Query(check).Ours.Should().Equal(["0"], $"our server must not store {splice} spliced into an admin's request");
    }

    [Fact]
    public async Task Two_login_lines_each_signing_the_bytes_after_it_are_accepted_as_stock_2_21_accepts_them()
    {
        // The legitimate form of a second login, which a fix for the splice must keep: stock
        // 2.21 checks every login line against the bytes that follow that very line.
        servers.SetCapabilities(alice: "o");
        var inner = CraftedRequest.Signed("alice", TwinServers.Password, servers.ProjectCode, CraftedRequest.ClientVersion, new PullCard(new string('0', 40), servers.ProjectCode));
        string nonce = XferLogin.Nonce(inner.Bytes);
        var outer = new LoginCard("alice", nonce, XferLogin.Sign(nonce, XferLogin.Secret(servers.ProjectCode, "alice", TwinServers.Password)));
        var replies = await servers.SendAsync([.. CraftedRequest.Encode(outer), .. inner.Bytes]);

        replies.Stock.Errors.Should().BeEmpty(replies.Stock.ToString());
        replies.Stock.Cards<IGotCard>().Should().NotBeEmpty(replies.Stock.ToString());
        replies.ShouldAgree().ShouldBothFailWith(null);
        replies.Ours.Cards<IGotCard>().Should().NotBeEmpty(replies.Ours.ToString());
    }
}
