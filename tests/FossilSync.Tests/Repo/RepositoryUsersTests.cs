using System.Security.Cryptography;
using System.Text;
using FossilSync.AspNetCore;
using FossilSync.Cli;
using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo;

public sealed class RepositoryUsersTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_created_user_is_listed_with_its_capabilities_and_its_password_is_stored_as_stocks_secret()
    {
        using var repository = Repository.Create(_dir.File("users.fossil"));
        repository.Users.Create("alice", "secret", "oi", "alice@example.org");

        repository.Users.Find("alice").Should().Be(new RepositoryUser("alice", "oi", "alice@example.org"));
        repository.Users.List().Select(u => u.Login).Should().Contain(["alice", "anonymous", "nobody", "developer", "reader"]);
        string expected = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes($"{repository.ProjectCode}/alice/secret")));
        StockFossil.Ok(_dir.Path, "sql", "-R", repository.Path, "SELECT pw FROM user WHERE login='alice'").Trim().Trim('\'').Should().Be(expected);

        repository.Users.SetCapabilities("alice", "o");
        repository.Users.SetPassword("alice", "other");
        repository.Users.Find("alice")!.Capabilities.Should().Be("o");
        StockFossil.Ok(_dir.Path, "sql", "-R", repository.Path, "SELECT pw FROM user WHERE login='alice'").Trim().Trim('\'')
            .Should().Be(Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes($"{repository.ProjectCode}/alice/other"))));
    }

    [Theory]
    [InlineData("", "pw", "o")]
    [InlineData("has space", "pw", "o")]
    [InlineData("alice:x", "pw", "o")]
    [InlineData("a@b", "pw", "o")]
    [InlineData("nobody", "pw", "o")]
    [InlineData("alice", "", "o")]
    [InlineData("alice", "pw", "o i")]
    [InlineData("alice", "pw", "o'; DROP TABLE user; --")]
    public void Bad_logins_passwords_and_capabilities_are_refused_and_change_nothing(string login, string password, string capabilities)
    {
        using var repository = Repository.Create(_dir.File("users.fossil"));
        var before = repository.Users.List();

        var create = () => repository.Users.Create(login, password, capabilities);

        create.Should().Throw<RepositoryException>();
        repository.Users.List().Should().Equal(before);
    }

    [Fact]
    public void Changing_an_unknown_user_or_a_taken_login_is_a_clear_error()
    {
        using var repository = Repository.Create(_dir.File("users.fossil"));
        repository.Users.Create("alice", "secret");

        repository.Invoking(r => r.Users.Create("alice", "again")).Should().Throw<RepositoryException>().WithMessage("*already exists*");
        repository.Invoking(r => r.Users.SetPassword("bob", "x")).Should().Throw<RepositoryException>().WithMessage("*no user 'bob'*");
        repository.Invoking(r => r.Users.SetCapabilities("bob", "o")).Should().Throw<RepositoryException>().WithMessage("*no user 'bob'*");
        repository.Invoking(r => r.Users.SetPassword("nobody", "x")).Should().Throw<RepositoryException>().WithMessage("*built-in*");
    }

    [Fact]
    public async Task A_user_made_with_fossilsync_user_pushes_with_stock_fossil_to_our_server_and_to_a_stock_server()
    {
        string served = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(served, commits: 5, seed: 77);
        (await Cli("user", "new", served, "carol", "--password", "pa55", "--capabilities", "oi")).Should().Be(0);

        await using (var ours = await FossilSyncServer.StartAsync(served, "http://127.0.0.1:0"))
        {
            PushCheckIn(ours.Url, "to-ours");
        }
        using (var stock = new StockServer(served))
        {
            PushCheckIn(stock.Url, "to-stock");
        }

        string timeline = StockFossil.Ok(_dir.Path, "timeline", "-n", "0", "-t", "ci", "-R", served);
        timeline.Should().Contain("carol's check-in to-ours").And.Contain("carol's check-in to-stock");
    }

    [Fact]
    public async Task Fossilsync_new_shows_the_setup_users_password_and_it_logs_in()
    {
        string repositoryPath = _dir.File("fresh.fossil");
        var stdout = new StringWriter();
        (await CommandLine.RunAsync(["new", repositoryPath], stdout, new StringWriter(), CancellationToken.None)).Should().Be(0);
        var match = System.Text.RegularExpressions.Regex.Match(stdout.ToString(), "admin-user: (\\S+) \\(initial password is \"([^\"]+)\"\\)");
        match.Success.Should().BeTrue(stdout.ToString());
        string admin = match.Groups[1].Value, password = match.Groups[2].Value;

        await using var server = await FossilSyncServer.StartAsync(repositoryPath, "http://127.0.0.1:0");
        string url = server.Url.ToString().Replace("http://", $"http://{admin}:{password}@");
        var clone = StockFossil.Run(_dir.Path, "clone", url, _dir.File("clone.fossil"));
        clone.ExitCode.Should().Be(0, clone.Stdout + clone.Stderr);
        var wrong = StockFossil.Run(_dir.Path, "clone", server.Url.ToString().Replace("http://", $"http://{admin}:not-{password}@"), _dir.File("refused.fossil"));
        (wrong.Stdout + wrong.Stderr).Should().Contain("login failed");
    }

    [Fact]
    public async Task The_user_command_lists_and_sets_capabilities_and_refuses_bad_input_in_one_line()
    {
        string repositoryPath = _dir.File("cli.fossil");
        using (Repository.Create(repositoryPath)) { }
        var stdout = new StringWriter();
        (await CommandLine.RunAsync(["user", "new", repositoryPath, "dave"], stdout, new StringWriter(), CancellationToken.None)).Should().Be(0);
        stdout.ToString().Should().MatchRegex("password: [A-Za-z0-9]{16}");
        (await Cli("user", "capabilities", repositoryPath, "dave", "oi")).Should().Be(0);
        var listed = new StringWriter();
        (await CommandLine.RunAsync(["user", "list", repositoryPath], listed, new StringWriter(), CancellationToken.None)).Should().Be(0);
        listed.ToString().Should().MatchRegex("(?m)^dave +oi *$");

        var stderr = new StringWriter();
        (await CommandLine.RunAsync(["user", "capabilities", repositoryPath, "nosuch", "o"], new StringWriter(), stderr, CancellationToken.None)).Should().Be(1);
        stderr.ToString().Trim().Should().StartWith("fossilsync: error:").And.Contain("no user 'nosuch'").And.NotContain("\n");
    }

    private void PushCheckIn(Uri server, string name)
    {
        string url = server.ToString().Replace("http://", "http://carol:pa55@");
        string clone = _dir.File($"clone-{name}.fossil");
        StockFossil.Ok(_dir.Path, "clone", url, clone);
        StockFossil.CommitInCheckout(clone, Path.Combine(_dir.Path, "work-" + name), $"{name}.txt", $"{name}\n", $"carol's check-in {name}", "carol");
        var push = StockFossil.Run(_dir.Path, "push", url, "-R", clone);
        push.ExitCode.Should().Be(0, push.Stdout + push.Stderr);
        (push.Stdout + push.Stderr).Should().NotContain("rror");
    }

    private static Task<int> Cli(params string[] args) => CommandLine.RunAsync(args, new StringWriter(), new StringWriter(), CancellationToken.None);
}
