using FossilSync.Primitives;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Server;

/// <summary>
/// The access rules as a stock fossil client meets them: the same command, with the same
/// credentials, against stock's server and against ours, must fail (or succeed) alike and
/// leave the servers alike.
/// </summary>
[Collection(AccessRulesCollection.Name)]
public sealed class StockClientAccessTests(TwinServers servers) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("o", false)]
    [InlineData("g", true)]
    public void Stock_fossil_clones_only_as_a_user_with_the_clone_capability(string capabilities, bool allowed)
    {
        servers.SetCapabilities(alice: capabilities);
        foreach (var (name, url) in Servers())
        {
            var clone = StockFossil.Run(_dir.Path, "clone", TwinServers.WithAlice(url), _dir.File($"{name}-{capabilities}.fossil"));
            ShouldBeRefusedUnless(allowed, clone, "not authorized to clone", name);
        }
    }

    [Fact]
    public void Stock_fossil_pulls_only_as_a_user_with_the_read_capability()
    {
        string clone = CloneAndCommit(out _);
        foreach (var (capabilities, allowed) in new[] { ("g", false), ("o", true) })
        {
            servers.SetCapabilities(alice: capabilities);
            foreach (var (name, url) in Servers())
            {
                var pull = StockFossil.Run(_dir.Path, "pull", TwinServers.WithAlice(url), "-R", clone);
                ShouldBeRefusedUnless(allowed, pull, "not authorized to read", $"{name} with '{capabilities}'");
            }
        }
    }

    [Fact]
    public void Stock_fossil_pushes_a_check_in_only_as_a_user_with_the_write_capability()
    {
        string clone = CloneAndCommit(out string committed);
        foreach (var (capabilities, allowed) in new[] { ("o", false), ("gox", false), ("i", true) })
        {
            servers.SetCapabilities(alice: capabilities);
            foreach (var (name, url) in Servers())
            {
                var push = StockFossil.Run(_dir.Path, "push", TwinServers.WithAlice(url), "-R", clone);
                ShouldBeRefusedUnless(allowed, push, "not authorized to write", $"{name} with '{capabilities}'");
            }
            servers.ShouldBothHold($"SELECT count(*) FROM blob WHERE uuid='{committed}' AND size>=0", allowed ? "1" : "0", $"alice with '{capabilities}' pushed the check-in's file");
        }
    }

    [Fact]
    public void Stock_fossil_uploads_unversioned_files_only_as_a_user_with_y()
    {
        string clone = CloneAndCommit(out _);
        string name = $"uploads/{Guid.NewGuid():N}.txt";
        File.WriteAllText(_dir.File("upload.txt"), "uploaded with fossil uv sync\n");
        StockFossil.Ok(_dir.Path, "uv", "add", _dir.File("upload.txt"), "--as", name, "-R", clone);
        foreach (var (capabilities, allowed) in new[] { ("o", false), ("s", false), ("oy", true) })
        {
            servers.SetCapabilities(alice: capabilities);
            foreach (var (server, url) in Servers())
            {
                var sync = StockFossil.Run(_dir.Path, "uv", "sync", TwinServers.WithAlice(url), "-R", clone);
                sync.ExitCode.Should().Be(0, $"{server} with '{capabilities}': {sync.Stdout}{sync.Stderr}");
            }
            servers.ShouldBothHold($"SELECT count(*) FROM unversioned WHERE name='{name}'", allowed ? "1" : "0", $"alice with '{capabilities}' ran fossil uv sync");
        }
    }

    [Fact]
    public void Stock_fossil_pushes_configuration_only_as_an_admin()
    {
        string clone = CloneAndCommit(out _);
        string header = $"<div>header {Guid.NewGuid():N}</div>";
        StockFossil.Ok(_dir.Path, "sql", "-R", clone, $"REPLACE INTO config(name, value, mtime) VALUES('header', '{header}', now())");
        foreach (var (capabilities, allowed) in new[] { ("oi", false), ("s", true) })
        {
            servers.SetCapabilities(alice: capabilities);
            foreach (var (name, url) in Servers())
            {
                var push = StockFossil.Run(_dir.Path, "configuration", "push", "skin", TwinServers.WithAlice(url), "-R", clone);
                ShouldBeRefusedUnless(allowed, push, "not authorized to push configuration", $"{name} with '{capabilities}'");
            }
            servers.ShouldBothHold($"SELECT count(*) FROM config WHERE name='header' AND value='{header}'", allowed ? "1" : "0", $"alice with '{capabilities}' pushed the skin");
        }
    }

    // Stock 2.21 exits 0 after most refusals: the error it prints is what tells.
    private static void ShouldBeRefusedUnless(bool allowed, FossilResult run, string error, string who)
    {
        string output = run.Stdout + run.Stderr;
        if (allowed)
        {
            run.ExitCode.Should().Be(0, $"{who}: {output}");
            output.Should().NotContainAny(["Error", "error"], who);
        }
        else
        {
            output.Should().Contain(error, who);
        }
    }

    private IEnumerable<(string Name, Uri Url)> Servers() => [("stock's server", servers.StockUrl), ("our server", servers.OurUrl)];

    // A clone (from stock's server) with one new check-in; returns the new file's hash.
    private string CloneAndCommit(out string committedFile)
    {
        servers.SetCapabilities(alice: "gio");
        string clone = _dir.File("clone.fossil");
        StockFossil.Ok(_dir.Path, "clone", TwinServers.WithAlice(servers.StockUrl), clone);
        string text = $"committed by a stock client {Guid.NewGuid()}\n";
        StockFossil.CommitInCheckout(clone, _dir.File("work"), "new.txt", text, "a check-in to push", "alice");
        committedFile = ArtifactHash.Compute(System.Text.Encoding.UTF8.GetBytes(text), HashKind.Sha3_256);
        return clone;
    }
}
