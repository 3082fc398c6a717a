using System.Text;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

/// <summary>
/// Configuration is read by readers, except that users go only to admins ('a'/'s') and
/// concealed addresses only to admins and holders of 'e'; configuration is written only by
/// admins. Each request is put to stock's server and to ours.
/// </summary>
[Collection(AccessRulesCollection.Name)]
public sealed class ConfigurationRuleTests(TwinServers servers)
{
    private static long _pushes;

    [Theory]
    [InlineData("/project", "", false)]
    [InlineData("/project", "g", false)]
    [InlineData("/project", "o", true)]
    [InlineData("/user", "o", false)]
    [InlineData("/user", "oe", false)]
    [InlineData("/user", "a", true)]
    [InlineData("/user", "s", true)]
    [InlineData("/email", "o", false)]
    [InlineData("/email", "oe", true)]
    [InlineData("/email", "s", true)]
    public async Task A_configuration_area_is_sent_only_to_users_allowed_to_read_it(string area, string capabilities, bool sent)
    {
        // What the sample configuration holds in each area: a setting, a user, an address.
        string expected = area switch { "/project" => "Configuration sample", "/user" => "Bob the reader", _ => "bob@example.com" };
        servers.SetCapabilities(alice: capabilities);
        var replies = await servers.SendAsync(CraftedRequest.Signed("alice", TwinServers.Password, servers.ProjectCode, CraftedRequest.ClientVersion, new ReqConfigCard(area)));

        replies.ShouldAgree().ShouldBothFailWith(null);
        foreach (var reply in replies.Each)
        {
            string received = string.Join("\n", reply.Cards<ConfigCard>().Select(c => c.Name + " " + Encoding.UTF8.GetString(c.Content.Span)));
            received.Contains(expected, StringComparison.Ordinal).Should().Be(sent, $"{reply.Server} sent to '{capabilities}':\n{received}");
        }
    }

    [Theory]
    [InlineData("/config", "oi", false)]
    [InlineData("/config", "oiex", false)]
    [InlineData("/config", "a", true)]
    [InlineData("/config", "s", true)]
    [InlineData("/user", "oi", false)]
    [InlineData("/user", "s", true)]
    public async Task Configuration_is_accepted_only_from_an_admin(string table, string capabilities, bool accepted)
    {
        servers.SetCapabilities(alice: capabilities);
        string tag = Guid.NewGuid().ToString("N")[..12];
        // A record is taken only when newer than the row it replaces: each test's is.
        long mtime = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + Interlocked.Increment(ref _pushes);
        // A new project name, or a new user with setup rights: what an intruder would push.
        (string record, string check) = table == "/config"
            ? ($"{mtime} 'project-name' value 'renamed {tag}'", $"SELECT count(*) FROM config WHERE name='project-name' AND value='renamed {tag}'")
            : ($"{mtime} 'intruder-{tag}' pw 'intruder' cap 's' info 'pushed'", $"SELECT count(*) FROM user WHERE login='intruder-{tag}'");
        var replies = await servers.SendAsync(CraftedRequest.Signed("alice", TwinServers.Password, servers.ProjectCode,
            CraftedRequest.ClientVersion, new ConfigCard(table, Encoding.UTF8.GetBytes(record))));

        replies.ShouldAgree().ShouldBothFailWith(accepted ? null : "not authorized to push configuration");
        servers.ShouldBothHold(check, accepted ? "1" : "0", $"a user with '{capabilities}' pushed {table}");
    }
}
