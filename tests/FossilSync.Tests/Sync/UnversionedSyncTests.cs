using System.Text;
using FossilSync.Http;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Sync;

public sealed class UnversionedSyncTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _served;

    public UnversionedSyncTests()
    {
        _served = _dir.File("served.fossil");
        StockRepositoryBuilder.Build(_served, commits: 5, seed: 31);
        StockFossil.Ok(_dir.Path, "user", "new", "alice", "", "secret", "-R", _served);
        StockFossil.Ok(_dir.Path, "user", "capabilities", "alice", "oiy", "-R", _served);
        File.WriteAllText(_dir.File("readme.txt"), "unversioned readme from the server\n");
        // An explicit time in the past: a deletion made "now" must be newer, even within the same second.
        StockFossil.Ok(_dir.Path, "uv", "add", _dir.File("readme.txt"), "--as", "docs/readme.txt", "--mtime", "2026-01-01 00:00:00", "-R", _served);
    }

    public void Dispose() => _dir.Dispose();

    // name mtime hash of every live file, as stock fossil stores them.
    private string[] StockCatalogue() =>
        StockFossil.Ok(_dir.Path, "sql", "-R", _served, "SELECT name, mtime, hash FROM unversioned WHERE hash IS NOT NULL ORDER BY name")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Replace("'", "")).ToArray();

    [Fact]
    public async Task Unversioned_files_travel_both_ways_and_deletions_follow()
    {
        using var server = new StockServer(_served);
        using var transport = new HttpTransport(server.Url);
        var (clone, _) = await FossilClient.CloneAsync(transport, _dir.File("clone.fossil"));
        using (clone)
        {
            // Pull: the server's file arrives, verified, with its time.
            await FossilClient.SyncAsync(clone, transport, new SyncOptions { Push = false, Unversioned = true });
            Encoding.UTF8.GetString(clone.Unversioned.Get("docs/readme.txt")!).Should().Be("unversioned readme from the server\n");
            clone.Unversioned.List().Where(e => e.Hash is not null).Select(e => $"{e.Name},{e.MTime},{e.Hash}").Should().Equal(StockCatalogue());

            // Push: a file of ours reaches the server (alice has the y capability).
            clone.Unversioned.Put("notes/ours.txt", "written by FossilSync\n"u8, new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero));
            var pushed = await FossilClient.SyncAsync(clone, transport, new SyncOptions { Unversioned = true, User = "alice", Password = "secret" });
            StockFossil.Ok(_dir.Path, "uv", "cat", "notes/ours.txt", "-R", _served).Should().Be("written by FossilSync\n");
            clone.Unversioned.CatalogueHash().Should().NotBe("da39a3ee5e6b4b0d3255bfef95601890afd80709");
            clone.Unversioned.List().Where(e => e.Hash is not null).Select(e => $"{e.Name},{e.MTime},{e.Hash}").Should().Equal(StockCatalogue());

            // A deletion made with stock fossil reaches us as a marker.
            StockFossil.Ok(_dir.Path, "uv", "rm", "docs/readme.txt", "-R", _served);
            await FossilClient.SyncAsync(clone, transport, new SyncOptions { Push = false, Unversioned = true });
            clone.Unversioned.Get("docs/readme.txt").Should().BeNull();
            clone.Unversioned.List().Single(e => e.Name == "docs/readme.txt").Hash.Should().BeNull();
        }
    }

    [Fact]
    public async Task A_clone_with_unversioned_files_brings_them_too()
    {
        using var server = new StockServer(_served);
        using var transport = new HttpTransport(server.Url);
        var (clone, result) = await FossilClient.CloneAsync(transport, _dir.File("uv-clone.fossil"), new CloneOptions { Unversioned = true });
        using (clone)
        {
            Encoding.UTF8.GetString(clone.Unversioned.Get("docs/readme.txt")!).Should().Be("unversioned readme from the server\n");
            result.Rounds.Should().BeGreaterThan(1);
        }
    }

    [Fact]
    public async Task Without_the_y_capability_nothing_is_uploaded()
    {
        StockFossil.Ok(_dir.Path, "user", "capabilities", "alice", "oi", "-R", _served);
        using var server = new StockServer(_served);
        using var transport = new HttpTransport(server.Url);
        var (clone, _) = await FossilClient.CloneAsync(transport, _dir.File("clone.fossil"));
        using (clone)
        {
            clone.Unversioned.Put("notes/ours.txt", "stays here\n"u8);
            await FossilClient.SyncAsync(clone, transport, new SyncOptions { Unversioned = true, User = "alice", Password = "secret" });
            clone.Unversioned.Get("docs/readme.txt").Should().NotBeNull("pulling still works");
        }
        StockCatalogue().Should().ContainSingle().Which.Should().StartWith("docs/readme.txt,");
    }
}
