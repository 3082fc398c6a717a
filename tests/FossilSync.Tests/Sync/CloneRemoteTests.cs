using FossilSync.Http;
using FossilSync.Repo;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Sync;

/// <summary>A FossilSync clone remembers where it came from exactly as stock's does, so stock's own commands sync it with no URL.</summary>
public sealed class CloneRemoteTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _served;

    public CloneRemoteTests()
    {
        _served = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(_served, commits: 6, seed: 404);
        StockFossil.Ok(_dir.Path, "user", "new", "alice", "", "secret", "-R", _served);
        StockFossil.Ok(_dir.Path, "user", "capabilities", "alice", "oi", "-R", _served);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Stock_open_then_sync_with_no_url_pulls_from_where_our_clone_came_from()
    {
        using var server = new StockServer(_served);
        string clone = _dir.File("ours.fossil");
        // The clone's setup user is the one stock's commands below run as, as when one person uses both tools.
        var options = new CloneOptions { Repository = new RepositoryOptions { AdminUser = "fossilsync-test" } };
        var (repository, _) = await FossilClient.CloneAsync(new HttpTransport(server.Url), clone, options);
        repository.DefaultRemote.Should().Be(new SyncRemote(server.Url, null, null));
        repository.Dispose();
        StockFossil.Ok(_dir.Path, "sql", "-R", clone, "SELECT value FROM config WHERE name='last-sync-url'").Trim().Trim('\'').Should().Be(server.Url.ToString());

        StockFossil.CommitInCheckout(_served, _dir.File("server-work"), "later.txt", "after the clone\n", "made on the server after the clone", "alice");
        string checkout = _dir.File("checkout");
        Directory.CreateDirectory(checkout);
        StockFossil.Ok(checkout, "open", clone);
        var sync = StockFossil.Run(checkout, "sync");
        sync.ExitCode.Should().Be(0, sync.Stdout + sync.Stderr);
        (sync.Stdout + sync.Stderr).Should().NotContain("Usage");

        StockFossil.Ok(_dir.Path, "timeline", "-n", "0", "-t", "ci", "-R", clone).Should().Contain("made on the server after the clone");
    }

    [Fact]
    public async Task A_remembered_password_lets_stock_push_with_no_url_and_is_stored_obscured_only_when_asked()
    {
        using var server = new StockServer(_served);
        string clone = _dir.File("ours.fossil");
        var options = new CloneOptions { User = "alice", Password = "secret", RememberPassword = true };
        var (repository, _) = await FossilClient.CloneAsync(new HttpTransport(server.Url), clone, options);
        repository.DefaultRemote.Should().Be(new SyncRemote(server.Url, "alice", "secret"));
        repository.Dispose();
        string stored = StockFossil.Ok(_dir.Path, "sql", "-R", clone, "SELECT value FROM config WHERE name='last-sync-pw'").Trim().Trim('\'');
        stored.Should().NotContain("secret");
        StockFossil.Ok(_dir.Path, "test-obscure", stored).Should().Contain($"UNOBSCURE:  {stored} -> secret");
        StockFossil.Ok(_dir.Path, "sql", "-R", clone, "SELECT value FROM config WHERE name='last-sync-url'").Trim().Trim('\'')
            .Should().Be(server.Url.ToString().Replace("http://", "http://alice@"));

        StockFossil.CommitInCheckout(clone, _dir.File("work"), "from-clone.txt", "pushed with no URL\n", "pushed by stock with the remembered login", "alice");
        var push = StockFossil.Run(_dir.Path, "push", "-R", clone);
        push.ExitCode.Should().Be(0, push.Stdout + push.Stderr);
        StockFossil.Ok(_dir.Path, "timeline", "-n", "0", "-t", "ci", "-R", _served).Should().Contain("pushed by stock with the remembered login");
    }

    [Fact]
    public async Task The_password_is_not_remembered_unless_asked_and_never_kept_in_the_url()
    {
        using var server = new StockServer(_served);
        string clone = _dir.File("ours.fossil");
        var withCredentials = new Uri(server.Url.ToString().Replace("http://", "http://alice:secret@"));
        var (repository, _) = await FossilClient.CloneAsync(new HttpTransport(withCredentials), clone, new CloneOptions { User = "alice", Password = "secret" });
        using (repository) repository.DefaultRemote.Should().Be(new SyncRemote(server.Url, "alice", null));
        StockFossil.Ok(_dir.Path, "sql", "-R", clone, "SELECT count(*) FROM config WHERE value LIKE '%secret%' OR name='last-sync-pw'").Trim().Should().Be("0");

        string once = _dir.File("once.fossil");
        var (other, _) = await FossilClient.CloneAsync(new HttpTransport(server.Url), once, new CloneOptions { RememberRemote = false });
        using (other) other.DefaultRemote.Should().BeNull();
    }

    [Fact]
    public void Obscured_passwords_read_the_same_in_stock_fossil_and_here()
    {
        using var repository = Repository.Create(_dir.File("remote.fossil"));
        foreach (string password in new[] { "secret", "a longer password with spaces and ünïcode", "x" })
        {
            repository.RememberRemote(new SyncRemote(new Uri("https://fossil.example.org:8443/repo"), "bob", password));
            string stored = repository.GetConfig("last-sync-pw")!;
            StockFossil.Ok(_dir.Path, "test-obscure", stored).Should().Contain($"-> {password}\n");

            var obscured = System.Text.RegularExpressions.Regex.Match(StockFossil.Ok(_dir.Path, "test-obscure", password), "OBSCURE: +.* -> ([0-9a-f]+) \\(");
            obscured.Success.Should().BeTrue();
            string stockObscured = obscured.Groups[1].Value;
            repository.SetConfig("last-sync-pw", stockObscured);
            repository.DefaultRemote!.Password.Should().Be(password);
        }
        repository.GetConfig("last-sync-url").Should().Be("https://bob@fossil.example.org:8443/repo");
    }
}
