using FossilSync.Http;
using FossilSync.Repo;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Sync;

/// <summary>
/// What a stock server refuses reaches the caller as data it can act on: a reason on the
/// exception, the refused push on the result (or an exception when asked), and the login written
/// in a transport's URL is used.
/// </summary>
public sealed class RefusalAndLoginTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _served;

    public RefusalAndLoginTests()
    {
        _served = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(_served, commits: 3, seed: 1717);
        StockFossil.Ok(_dir.Path, "user", "new", "alice", "", "secret", "-R", _served);
        StockFossil.Ok(_dir.Path, "user", "capabilities", "alice", "oi", "-R", _served);
        StockFossil.Ok(_dir.Path, "user", "new", "carol", "", "readonly", "-R", _served);
        StockFossil.Ok(_dir.Path, "user", "capabilities", "carol", "o", "-R", _served);
    }

    public void Dispose() => _dir.Dispose();

    // A clone of the served repository with one check-in the server does not have.
    private async Task<string> CloneWithLocalCheckInAsync(StockServer server, string comment)
    {
        string clone = _dir.File("ours.fossil");
        var (repository, _) = await FossilClient.CloneAsync(new HttpTransport(server.Url), clone, new CloneOptions { RememberRemote = false, Repository = new RepositoryOptions { AdminUser = "local" } });
        repository.Dispose();
        StockFossil.CommitInCheckout(clone, _dir.File("work"), "local.txt", "made here\n", comment, "local");
        return clone;
    }

    private string ServerTimeline() => StockFossil.Ok(_dir.Path, "timeline", "-n", "0", "-t", "ci", "-R", _served);

    [Fact]
    public async Task A_push_without_write_permission_is_reported_on_the_result_and_nothing_reaches_the_server()
    {
        using var server = new StockServer(_served);
        string clone = await CloneWithLocalCheckInAsync(server, "local change of a reader");
        StockFossil.CommitInCheckout(_served, _dir.File("server-work"), "later.txt", "later\n", "made on the server later", "alice");
        using var repository = Repository.Open(clone);

        var result = await FossilClient.SyncAsync(repository, new HttpTransport(server.Url), new SyncOptions { User = "carol", Password = "readonly" });

        result.PushRefused.Should().BeTrue();
        // Stock drops its "pull only" message when it refuses the files sent with the push.
        result.PushRefusal.Should().Be("not authorized to write");
        ServerTimeline().Should().NotContain("local change of a reader");
        // The pull still happened.
        StockFossil.Ok(_dir.Path, "timeline", "-n", "0", "-t", "ci", "-R", clone).Should().Contain("made on the server later");
    }

    [Fact]
    public async Task With_nothing_to_send_the_refusal_is_stocks_pull_only_message()
    {
        using var server = new StockServer(_served);
        var (repository, _) = await FossilClient.CloneAsync(new HttpTransport(server.Url), _dir.File("ours.fossil"), new CloneOptions { RememberRemote = false });
        using (repository)
        {
            var result = await FossilClient.SyncAsync(repository, new HttpTransport(server.Url), new SyncOptions { User = "carol", Password = "readonly" });
            result.PushRefusal.Should().Be("pull only - not authorized to push");
        }
    }

    [Fact]
    public async Task ThrowOnRefusal_turns_a_refused_push_into_an_exception_with_its_reason()
    {
        using var server = new StockServer(_served);
        string clone = await CloneWithLocalCheckInAsync(server, "local change of a reader");
        using var repository = Repository.Open(clone);

        var act = () => FossilClient.SyncAsync(repository, new HttpTransport(server.Url), new SyncOptions { User = "carol", Password = "readonly", ThrowOnRefusal = true });

        var thrown = (await act.Should().ThrowAsync<SyncProtocolException>()).Which;
        thrown.Reason.Should().Be(SyncFailureReason.NotAuthorized);
        thrown.ServerMessage.Should().Be("not authorized to write");
        ServerTimeline().Should().NotContain("local change of a reader");
    }

    [Fact]
    public async Task A_push_allowed_by_the_server_reports_no_refusal_even_when_refusals_throw()
    {
        using var server = new StockServer(_served);
        string clone = await CloneWithLocalCheckInAsync(server, "local change of a writer");
        using var repository = Repository.Open(clone);

        var result = await FossilClient.SyncAsync(repository, new HttpTransport(server.Url), new SyncOptions { User = "alice", Password = "secret", ThrowOnRefusal = true });

        result.PushRefused.Should().BeFalse();
        ServerTimeline().Should().Contain("local change of a writer");
    }

    [Fact]
    public async Task Refusals_carry_a_reason_login_failed_not_authorized_wrong_project()
    {
        using var server = new StockServer(_served);
        string clone = await CloneWithLocalCheckInAsync(server, "local");
        using (var repository = Repository.Open(clone))
        {
            var badLogin = () => FossilClient.SyncAsync(repository, new HttpTransport(server.Url), new SyncOptions { User = "alice", Password = "wrong" });
            (await badLogin.Should().ThrowAsync<SyncProtocolException>()).Which.Reason.Should().Be(SyncFailureReason.LoginFailed);

            var pushOnly = () => FossilClient.SyncAsync(repository, new HttpTransport(server.Url), new SyncOptions { Pull = false, User = "carol", Password = "readonly" });
            var refused = (await pushOnly.Should().ThrowAsync<SyncProtocolException>()).Which;
            refused.Reason.Should().Be(SyncFailureReason.NotAuthorized);
            refused.Message.Should().Contain("not authorized to write");
        }

        using var other = Repository.Create(_dir.File("other.fossil"));
        // Anonymous: a login is signed with the local project code, so the server would refuse the login first.
        var wrongProject = () => FossilClient.SyncAsync(other, new HttpTransport(server.Url), new SyncOptions { Push = false });
        (await wrongProject.Should().ThrowAsync<SyncProtocolException>()).Which.Reason.Should().Be(SyncFailureReason.WrongProject);
    }

    [Fact]
    public async Task Credentials_in_the_transports_url_log_in_when_the_options_name_no_user()
    {
        using var server = new StockServer(_served);
        string clone = await CloneWithLocalCheckInAsync(server, "pushed with the login of the url");
        var transport = new HttpTransport(new Uri(server.Url.ToString().Replace("http://", "http://alice:secret@")));
        transport.Endpoint.Should().Be(server.Url);
        transport.Credentials!.UserName.Should().Be("alice");

        using var repository = Repository.Open(clone);
        var result = await FossilClient.SyncAsync(repository, transport, new SyncOptions { ThrowOnRefusal = true });

        result.PushRefused.Should().BeFalse();
        ServerTimeline().Should().Contain("pushed with the login of the url");
    }

    [Fact]
    public async Task A_user_in_the_options_wins_over_the_one_in_the_url()
    {
        using var server = new StockServer(_served);
        string clone = await CloneWithLocalCheckInAsync(server, "local");
        using var repository = Repository.Open(clone);
        var transport = new HttpTransport(new Uri(server.Url.ToString().Replace("http://", "http://alice:secret@")));

        var act = () => FossilClient.SyncAsync(repository, transport, new SyncOptions { User = "alice", Password = "wrong" });

        (await act.Should().ThrowAsync<SyncProtocolException>()).Which.Reason.Should().Be(SyncFailureReason.LoginFailed);
    }
}
