using System.Security.Cryptography;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

/// <summary>
/// The login card proves who sent the rest of the request: its nonce must be the SHA1 of every
/// byte after it and its signature must come from the user's password. Every request here is
/// put to stock's server and to ours, and both must judge it alike.
/// </summary>
[Collection(AccessRulesCollection.Name)]
public sealed class LoginRuleTests(TwinServers servers)
{
    private const string LoginFailed = "login failed";
    private PullCard Pull => new(new string('0', 40), servers.ProjectCode);
    private PushCard Push => new(new string('0', 40), servers.ProjectCode);

    [Theory]
    [InlineData(TwinServers.Password, null)]
    [InlineData("not-the-password", LoginFailed)]
    public async Task A_login_is_accepted_only_with_the_users_password(string password, string? error)
    {
        servers.SetCapabilities(alice: "o");
        var replies = await servers.SendAsync(CraftedRequest.Signed("alice", password, servers.ProjectCode, CraftedRequest.ClientVersion, Pull));

        replies.ShouldAgree().ShouldBothFailWith(error);
        foreach (var reply in replies.Each)
        {
            reply.Cards<IGotCard>().Should().HaveCount(error is null ? c => c > 0 : c => c == 0, "only a logged-in reader is shown the artifacts\n" + reply);
        }
    }

    [Fact]
    public async Task A_login_of_an_unknown_user_fails()
    {
        servers.SetCapabilities(alice: "o", nobody: "o");
        var replies = await servers.SendAsync(CraftedRequest.Signed("mallory", TwinServers.Password, servers.ProjectCode, CraftedRequest.ClientVersion, Pull));

        replies.ShouldAgree().ShouldBothFailWith(LoginFailed);
    }

    [Theory]
    [InlineData("replaced")]
    [InlineData("appended")]
    public async Task A_login_covers_every_byte_after_it_so_a_changed_body_fails_and_stores_nothing(string tampering)
    {
        // alice may write; someone who saw one of her signed pulls reuses its login line in
        // front of a push of his own.
        servers.SetCapabilities(alice: "i");
        var signed = CraftedRequest.Signed("alice", TwinServers.Password, servers.ProjectCode, CraftedRequest.ClientVersion, Pull);
        var pushed = FreshArtifact.Create("forged push");
        byte[] forged = tampering == "replaced"
            ? [.. signed.LoginLine, .. CraftedRequest.Encode(CraftedRequest.ClientVersion, Push, pushed.File)]
            : [.. signed.Bytes, .. CraftedRequest.Encode(Push, pushed.File)];

        (await servers.SendAsync(signed)).ShouldAgree().ShouldBothFailWith(null);
        var replies = await servers.SendAsync(forged);

        replies.ShouldAgree().ShouldBothFailWith(LoginFailed);
        servers.ShouldBothHold(pushed.CountSql, "0", "the forged push must not be stored");
    }

    [Fact]
    public async Task A_login_whose_nonce_is_not_the_hash_of_the_rest_fails_even_when_signed_correctly()
    {
        servers.SetCapabilities(alice: "i");
        var pushed = FreshArtifact.Create("push under a wrong nonce");
        byte[] rest = CraftedRequest.Encode(CraftedRequest.ClientVersion, Push, pushed.File);
        string nonce = Convert.ToHexStringLower(SHA1.HashData("some other body"u8));
        string signature = XferLogin.Sign(nonce, XferLogin.Secret(servers.ProjectCode, "alice", TwinServers.Password));
        byte[] request = [.. CraftedRequest.Encode(new LoginCard("alice", nonce, signature)), .. rest];

        var replies = await servers.SendAsync(request);

        replies.ShouldAgree().ShouldBothFailWith(LoginFailed);
        servers.ShouldBothHold(pushed.CountSql, "0", "a request with a wrong nonce must not be stored");
    }

    [Fact]
    public async Task The_built_in_developer_login_cannot_sign_in_even_with_a_password()
    {
        // 'developer' and 'reader' are capability templates (inherited through 'v' and 'u'),
        // never accounts: a password set on one must not open it.
        servers.SetCapabilities(alice: "");
        var replies = await servers.SendAsync(CraftedRequest.Signed("developer", TwinServers.DeveloperPassword, servers.ProjectCode, CraftedRequest.ClientVersion, Pull));

        replies.ShouldAgree().ShouldBothFailWith(LoginFailed);
    }

    [Theory]
    [InlineData("nobody")]
    [InlineData("anonymous")]
    public async Task Nobody_and_anonymous_log_in_without_a_signature_but_only_with_a_correct_nonce(string user)
    {
        servers.SetCapabilities(alice: "", nobody: "o");
        var signed = CraftedRequest.Signed(user, "any password", servers.ProjectCode, CraftedRequest.ClientVersion, Pull);
        var replies = await servers.SendAsync(signed);
        replies.ShouldAgree().ShouldBothFailWith(null);

        byte[] changed = [.. signed.LoginLine, .. CraftedRequest.Encode(CraftedRequest.ClientVersion, Pull)];
        (await servers.SendAsync(changed)).ShouldAgree().ShouldBothFailWith(LoginFailed);
    }
}
