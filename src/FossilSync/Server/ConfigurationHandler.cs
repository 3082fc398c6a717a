using FossilSync.Repo;
using FossilSync.Xfer;

namespace FossilSync.Server;

/// <summary>Configuration records: <c>reqconfig</c> answered with what the user may read, <c>config</c> taken from an administrator only.</summary>
internal sealed class ConfigurationHandler(RoundContext round)
{
    /// <summary><c>reqconfig /GROUP</c>: the group's records the user may read; anything else is ignored.</summary>
    public void Request(ReqConfigCard request)
    {
        var caps = round.Caps;
        if (!caps.Read || !request.Name.StartsWith('/')) return;
        var groups = ConfigurationTransfer.Permitted(ConfigurationTransfer.GroupsOf(request.Name), caps.Admin, caps.ReadAddresses);
        foreach (var (name, record) in ConfigurationTransfer.Send(round.Repository, groups)) round.Reply.Add(new ConfigCard(name, record));
    }

    /// <summary>A pushed <c>config</c> record: stored for an administrator, else the round is refused.</summary>
    public void Receive(ConfigCard config)
    {
        if (!round.Caps.Admin)
        {
            Refuse();
            return;
        }
        ConfigurationTransfer.Receive(round.Repository, config.Name, config.Content.Span, ConfigGroups.All);
    }

    /// <summary>A <c>config</c> record not read because the user may not push configuration.</summary>
    public void Refuse()
    {
        round.Reply.Clear();
        round.Fail("not authorized to push configuration");
    }
}
