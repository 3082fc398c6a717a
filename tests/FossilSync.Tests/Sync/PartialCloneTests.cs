using FossilSync.Http;
using FossilSync.Repo;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Sync;

/// <summary>A repository whose clone takes many rounds: small download budget per round.</summary>
public sealed class ManyRoundsRepositoryFixture : GeneratedRepositoryFixture
{
    public ManyRoundsRepositoryFixture() : base("served.fossil")
    {
        StockRepositoryBuilder.Build(Path, commits: 60, seed: 23);
        StockFossil.Ok(Folder, "sql", "-R", Path, "REPLACE INTO config(name, value, mtime) VALUES('max-download', '10000', 0)");
    }
}

/// <summary>A clone is built beside its target and renamed when whole; an interrupted one is resumed.</summary>
public sealed class PartialCloneTests(ManyRoundsRepositoryFixture served) : IClassFixture<ManyRoundsRepositoryFixture>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string[] ServerArtifacts(string repository) =>
        StockFossil.Ok(_dir.Path, "sql", "-R", repository, "SELECT uuid FROM blob WHERE size>=0 ORDER BY uuid")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim().Trim('\'')).ToArray();

    private static string Partial(string target) => target + FossilClient.PartialCloneSuffix;

    // How many exchanges a whole clone of the served repository takes.
    private async Task<int> FullCloneRounds(Uri url)
    {
        var counting = new InterruptibleTransport(new HttpTransport(url));
        var (clone, _) = await FossilClient.CloneAsync(counting, _dir.File("reference.fossil"));
        clone.Dispose();
        return counting.Requests.Count;
    }

    [Fact]
    public async Task A_clone_cut_off_halfway_leaves_no_target_and_running_it_again_goes_on_from_its_last_round()
    {
        string servedPath = served.CopyTo(_dir, "served.fossil");
        using var server = new StockServer(servedPath);
        int rounds = await FullCloneRounds(server.Url);
        rounds.Should().BeGreaterThan(6, "the test needs a clone of many rounds");
        string target = _dir.File("clone.fossil");

        using var firstHttp = new HttpTransport(server.Url);
        var first = new InterruptibleTransport(firstHttp) { FailAt = rounds / 2 };
        var interrupted = () => FossilClient.CloneAsync(first, target);
        await interrupted.Should().ThrowAsync<TransportException>();
        File.Exists(target).Should().BeFalse("the target is only ever a whole clone");
        File.Exists(Partial(target)).Should().BeTrue("a clone that got this far is kept to be resumed");
        // The failed request was built from the last reply, which was stored before the failure surfaced.
        long reached = first.ClonesAskedFor[^1];
        reached.Should().BeGreaterThan(1);

        using var secondHttp = new HttpTransport(server.Url);
        var second = new InterruptibleTransport(secondHttp);
        var (clone, result) = await FossilClient.CloneAsync(second, target);
        using (clone)
        {
            clone.ListArtifacts().Should().Equal(ServerArtifacts(servedPath));
            clone.GetConfig(PartialClone.ResumeKey).Should().BeNull("the resume note goes once the clone is whole");
            clone.ProjectCode.Should().Be(StockFossil.Ok(_dir.Path, "sql", "-R", servedPath, "SELECT value FROM config WHERE name='project-code'").Trim().Trim('\''));
        }
        second.ClonesAskedFor[0].Should().Be(reached, "the rerun asks first for the sequence number the first run had reached");
        second.Requests.Count.Should().BeLessThan(rounds, "the rerun does not start over");
        result.Rounds.Should().Be(second.Requests.Count);
        File.Exists(Partial(target)).Should().BeFalse();
        StockFossil.Run(_dir.Path, "test-integrity", "-R", target).IntegrityOk.Should().BeTrue();
    }

    [Fact]
    public async Task Without_resuming_a_clone_that_fails_in_a_later_round_leaves_no_file_at_all()
    {
        using var server = new StockServer(served.CopyTo(_dir, "served.fossil"));
        using var http = new HttpTransport(server.Url);
        string target = _dir.File("clone.fossil");
        var act = () => FossilClient.CloneAsync(new InterruptibleTransport(http) { FailAt = 4 }, target, new CloneOptions { Resume = CloneResume.Never });
        await act.Should().ThrowAsync<TransportException>();
        Directory.GetFiles(_dir.Path, "clone.fossil*").Should().BeEmpty();
    }

    [Fact]
    public async Task A_cancelled_clone_leaves_no_target_and_its_rerun_completes_it()
    {
        string servedPath = served.CopyTo(_dir, "served.fossil");
        using var server = new StockServer(servedPath);
        using var http = new HttpTransport(server.Url);
        string target = _dir.File("clone.fossil");
        using var cancel = new CancellationTokenSource();
        var cancelling = new InterruptibleTransport(http) { BeforeExchange = n => { if (n == 4) cancel.Cancel(); } };
        var act = () => FossilClient.CloneAsync(cancelling, target, cancellationToken: cancel.Token);
        await act.Should().ThrowAsync<OperationCanceledException>();
        File.Exists(target).Should().BeFalse();

        var (clone, _) = await FossilClient.CloneAsync(http, target);
        using (clone) clone.ListArtifacts().Should().Equal(ServerArtifacts(servedPath));
    }

    [Fact]
    public async Task A_partial_file_of_another_project_is_discarded_and_the_clone_starts_clean()
    {
        string servedPath = served.CopyTo(_dir, "served.fossil");
        using var server = new StockServer(servedPath);
        using var http = new HttpTransport(server.Url);
        string target = _dir.File("clone.fossil");
        var act = () => FossilClient.CloneAsync(new InterruptibleTransport(http) { FailAt = 4 }, target);
        await act.Should().ThrowAsync<TransportException>();
        // The same URL now serves another project (as after a server was replaced).
        using (var partial = Repository.Open(Partial(target)))
        {
            var point = PartialClone.Read(partial)!;
            partial.SetConfig(PartialClone.ResumeKey, $"{point.Sequence}\n{new string('9', 40)}\n{point.Source}");
        }

        var recording = new InterruptibleTransport(http);
        var (clone, _) = await FossilClient.CloneAsync(recording, target);
        using (clone) clone.ListArtifacts().Should().Equal(ServerArtifacts(servedPath));
        recording.ClonesAskedFor[0].Should().BeGreaterThan(1, "the note was read");
        recording.ClonesAskedFor.Should().Contain(1, "the clone started again from the beginning");
        StockFossil.Run(_dir.Path, "test-integrity", "-R", target).IntegrityOk.Should().BeTrue();
    }

    [Fact]
    public async Task A_partial_file_from_another_url_is_not_resumed()
    {
        string servedPath = served.CopyTo(_dir, "served.fossil");
        using var server = new StockServer(servedPath);
        using var http = new HttpTransport(server.Url);
        string target = _dir.File("clone.fossil");
        var act = () => FossilClient.CloneAsync(new InterruptibleTransport(http) { FailAt = 4 }, target);
        await act.Should().ThrowAsync<TransportException>();

        // As if the first run had cloned from another server.
        using (var partial = Repository.Open(Partial(target)))
        {
            var point = PartialClone.Read(partial)!;
            partial.SetConfig(PartialClone.ResumeKey, $"{point.Sequence}\n{point.ProjectCode}\nhttp://elsewhere.example/repo");
        }
        var required = () => FossilClient.CloneAsync(http, target, new CloneOptions { Resume = CloneResume.Required });
        (await required.Should().ThrowAsync<RepositoryException>()).WithMessage("*no partial clone*");
        File.Exists(target).Should().BeFalse();

        var recording = new InterruptibleTransport(http);
        var (clone, _) = await FossilClient.CloneAsync(recording, target);
        using (clone) clone.ListArtifacts().Should().Equal(ServerArtifacts(servedPath));
        recording.ClonesAskedFor[0].Should().Be(1);
    }
}
