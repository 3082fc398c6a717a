using System.Text;
using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo;

/// <summary>
/// The name lists must walk their small table and look rows up in blob: the other order reads
/// every artifact's content (a no-op sync of a large history spent most of its time there).
/// </summary>
public sealed class NameListsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Repository _repository;

    public NameListsTests()
    {
        _repository = Repository.Create(_dir.File("r.fossil"), new RepositoryOptions { Random = new Random(5), InitialCheckIn = false });
        for (int i = 0; i < 50; i++) _repository.PutArtifact(Encoding.UTF8.GetBytes($"artifact {i}\n"));
    }

    public void Dispose()
    {
        _repository.Dispose();
        _dir.Dispose();
    }

    public static TheoryData<string> Queries() =>
    [
        NameLists.Unsent, NameLists.PublicUnclustered, NameLists.AnnouncedUnclustered, NameLists.ClusterMembers,
        NameLists.Private, NameLists.Phantoms(200, includePrivate: false), NameLists.Phantoms(200, includePrivate: true),
    ];

    [Theory]
    [MemberData(nameof(Queries))]
    public void Each_list_scans_its_own_table_never_blob(string sql)
    {
        var plan = new List<string>();
        using (var cmd = _repository.Command("EXPLAIN QUERY PLAN " + sql))
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read()) plan.Add(reader.GetString(3));
        }
        plan.Should().NotBeEmpty();
        plan.Should().NotContain(step => step.StartsWith("SCAN b", StringComparison.Ordinal), "a scan of blob reads every artifact's content");
        plan.Should().Contain(step => step.StartsWith("SEARCH b USING INTEGER PRIMARY KEY", StringComparison.Ordinal));
    }

    [Fact]
    public void The_lists_name_what_their_tables_hold()
    {
        string phantom = new('a', 64);
        long phantomRid = _repository.Content.GetOrCreatePhantom(phantom);
        string privateName = _repository.Scalar<string>("SELECT uuid FROM blob WHERE rid=3")!;
        _repository.Execute("INSERT INTO private(rid) VALUES(3); DELETE FROM unsent; INSERT INTO unsent(rid) VALUES(4);");

        _repository.Names(NameLists.Unsent).Should().Equal(_repository.Scalar<string>("SELECT uuid FROM blob WHERE rid=4"));
        _repository.Names(NameLists.Private).Should().Equal(privateName);
        _repository.Names(NameLists.Phantoms(200, includePrivate: false)).Should().Equal(phantom);
        _repository.Names(NameLists.PublicUnclustered).Should().NotContain([privateName, phantom]).And.HaveCount(49).And.BeInAscendingOrder(StringComparer.Ordinal);
        _repository.Names(NameLists.AnnouncedUnclustered).Should().HaveCount(49).And.BeInAscendingOrder(StringComparer.Ordinal);
        phantomRid.Should().BePositive();
    }
}
