using FossilSync.AspNetCore;
using FossilSync.Http;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Server;

/// <summary>
/// A stock client pushing a file larger than a web server's default body limit: stored, as
/// stock's own server stores it; and over our configured limit, refused with an error the stock
/// client prints.
/// </summary>
public sealed class LargeRequestTests(LargeRequestTests.LargeCheckIn checkIn) : IClassFixture<LargeRequestTests.LargeCheckIn>
{
    /// <summary>An empty repository and a clone holding one check-in of a large, incompressible file.</summary>
    public sealed class LargeCheckIn : IDisposable
    {
        private readonly TempDirectory _dir = new();

        public LargeCheckIn()
        {
            Empty = _dir.File("empty.fossil");
            StockFossil.Ok(_dir.Path, "new", Empty, "--admin-user", "alice");
            StockFossil.Ok(_dir.Path, "user", "password", "alice", "secret", "-R", Empty);
            Clone = _dir.File("clone.fossil");
            StockFossil.Ok(_dir.Path, "clone", "file://" + Empty, Clone);
            // Just over Kestrel's default body limit of 30,000,000 bytes, and incompressible so the
            // request carries all of it.
            Content = new byte[30_500_000];
            new Random(40).NextBytes(Content);
            Hash = ArtifactHash.Compute(Content, HashKind.Sha3_256);
            StockFossil.CommitInCheckout(Clone, Path.Combine(_dir.Path, "work"), "large.bin", Content, "a large file", "alice");
        }

        public string Empty { get; }
        public string Clone { get; }
        public byte[] Content { get; }
        public string Hash { get; }

        /// <summary>A fresh copy of the empty repository to serve.</summary>
        public string ServedCopy(string name)
        {
            string path = _dir.File(name);
            File.Copy(Empty, path);
            return path;
        }

        public string Folder => _dir.Path;

        public void Dispose() => _dir.Dispose();
    }

    [Fact]
    public async Task Stock_fossil_pushes_a_file_larger_than_kestrels_default_limit_to_our_server()
    {
        string served = checkIn.ServedCopy("accepts.fossil");
        await using var server = await FossilSyncServer.StartAsync(served, "http://127.0.0.1:0");

        var push = StockFossil.Run(checkIn.Folder, "push", server.Url.ToString().Replace("http://", "http://alice:secret@"), "-R", checkIn.Clone);

        push.ExitCode.Should().Be(0, push.Stdout + push.Stderr);
        using (var repository = Repository.Open(served)) repository.GetArtifact(checkIn.Hash).Should().Equal(checkIn.Content, "the file arrived whole");
        StockFossil.Run(checkIn.Folder, "test-integrity", "-R", served).IntegrityOk.Should().BeTrue();
    }

    [Fact]
    public async Task A_push_over_the_servers_limit_is_refused_with_an_error_the_stock_client_prints()
    {
        string served = checkIn.ServedCopy("refuses.fossil");
        await using var server = await FossilSyncServer.StartAsync(served, "http://127.0.0.1:0", new SyncServerOptions { MaxRequestBytes = 1 << 20 });

        var push = StockFossil.Run(checkIn.Folder, "push", server.Url.ToString().Replace("http://", "http://alice:secret@"), "-R", checkIn.Clone);

        (push.Stdout + push.Stderr).Should().Contain("larger than this server accepts");
        using var repository = Repository.Open(served);
        repository.Content.FindRid(checkIn.Hash).Should().BeNull();
    }
}
