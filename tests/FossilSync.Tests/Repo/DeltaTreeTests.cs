using System.Text;
using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo;

public sealed class DeltaTreeTests
{
    [Fact]
    public void Children_of_each_source_in_rid_order()
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("r.fossil"), new RepositoryOptions { Random = new Random(2), InitialCheckIn = false });
        for (int i = 0; i < 8; i++) repository.PutArtifact(Encoding.UTF8.GetBytes($"artifact {i}\n"));
        // rid 1 is the source of 5, 3 and 7 (inserted out of order); 2 of 4; 6 of nothing.
        repository.Execute("INSERT INTO delta(rid, srcid) VALUES(5,1),(4,2),(3,1),(7,1)");

        var tree = DeltaTree.Read(repository);

        tree.ChildrenOf(1).ToArray().Should().Equal(3, 5, 7);
        tree.ChildrenOf(2).ToArray().Should().Equal(4);
        tree.ChildrenOf(6).ToArray().Should().BeEmpty();
        tree.ChildrenOf(0).ToArray().Should().BeEmpty();
        tree.ChildrenOf(99).ToArray().Should().BeEmpty();
    }
}
