using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Server;

/// <summary>
/// The access-rule tests share one pair of servers (stock's and ours on copies of one
/// repository) and run one after another, each setting the capabilities it needs.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AccessRulesCollection : ICollectionFixture<TwinServers>
{
    public const string Name = "Access rules";
}
