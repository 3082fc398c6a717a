using System.Collections.Concurrent;
using System.Text;
using FossilSync.AspNetCore;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

/// <summary>The HTTP host keeps one cache of expanded artifacts per repository across requests, shared by concurrent ones.</summary>
public sealed class SharedContentCacheTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _path;
    private readonly string _projectCode;
    private readonly Dictionary<string, byte[]> _versions = new(StringComparer.Ordinal);

    public SharedContentCacheTests()
    {
        _path = _dir.File("served.fossil");
        using var repository = Repository.Create(_path, new RepositoryOptions { Random = new Random(7), InitialCheckIn = false });
        _projectCode = repository.ProjectCode;
        // A chain of deltas, each version a delta of the one before, as a file's history is.
        byte[] previous = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 400).Select(i => $"line {i}\n")));
        string previousHash = repository.PutArtifact(previous);
        _versions[previousHash] = previous;
        using var transaction = repository.BeginTransaction();
        for (int i = 1; i <= 40; i++)
        {
            byte[] next = [.. previous, .. Encoding.UTF8.GetBytes($"version {i}\n")];
            string hash = ArtifactHash.Compute(next, HashKind.Sha3_256);
            repository.Content.PutDelta(hash, previousHash, FossilDelta.Create(previous, next), new StoreOptions());
            _versions[hash] = next;
            (previous, previousHash) = (next, hash);
        }
        transaction.Commit();
    }

    public void Dispose() => _dir.Dispose();

    // A pull asking for every version (nobody may read a new repository).
    private byte[] PullEverything() => CraftedRequest.Unsigned(
        [CraftedRequest.ClientVersion, new PullCard(new string('0', 40), _projectCode), .. _versions.Keys.Select(h => new GimmeCard(h))]).Bytes;

    private void ShouldHoldEveryVersion(SyncReply reply)
    {
        reply.Errors.Should().BeEmpty();
        var files = reply.Cards<FileCard>().ToList();
        files.Select(f => f.Hash).Should().BeEquivalentTo(_versions.Keys);
        foreach (var file in files)
        {
            byte[] content = file.DeltaSource is { } source ? FossilDelta.Apply(_versions[source], file.Content.Span) : file.Content.ToArray();
            content.Should().Equal(_versions[file.Hash]);
        }
    }

    // Records the cache each request's repository was opened with, and its hits when the request ended.
    private static SyncRequestWrapper Recording(ConcurrentQueue<(ContentCache? Cache, long Hits)> seen) => next => async (repository, request, cancellationToken) =>
    {
        var response = await next(repository, request, cancellationToken);
        seen.Enqueue((repository.Options.ContentCache, repository.Options.ContentCache?.Hits ?? 0));
        return response;
    };

    [Fact]
    public async Task A_second_request_finds_what_the_first_expanded()
    {
        var seen = new ConcurrentQueue<(ContentCache? Cache, long Hits)>();
        await using var server = await FossilSyncServer.StartAsync(_path, "http://127.0.0.1:0", new SyncServerOptions { Wrappers = [Recording(seen)] });
        using var http = new HttpClient();

        ShouldHoldEveryVersion(await SyncReply.PostAsync(http, "ours", server.Url, PullEverything()));
        ShouldHoldEveryVersion(await SyncReply.PostAsync(http, "ours", server.Url, PullEverything()));

        var (first, second) = (seen.ElementAt(0), seen.ElementAt(1));
        first.Cache.Should().NotBeNull().And.BeSameAs(second.Cache, "the host keeps one cache for the repository");
        (second.Hits - first.Hits).Should().BeGreaterThanOrEqualTo(_versions.Count - 1, "every delta the first request expanded is found by the second");
    }

    [Fact]
    public async Task Concurrent_requests_share_an_injected_cache_and_each_gets_the_right_content()
    {
        var cache = new ContentCache();
        var seen = new ConcurrentQueue<(ContentCache? Cache, long Hits)>();
        await using var server = await FossilSyncServer.StartAsync(_path, "http://127.0.0.1:0", new SyncServerOptions { ContentCache = cache, Wrappers = [Recording(seen)] });
        using var http = new HttpClient();

        var replies = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SyncReply.PostAsync(http, "ours", server.Url, PullEverything())));

        foreach (var reply in replies) ShouldHoldEveryVersion(reply);
        seen.Should().HaveCount(4).And.OnlyContain(s => ReferenceEquals(s.Cache, cache));
        cache.Hits.Should().BeGreaterThan(0);
        cache.Count.Should().BeGreaterThan(0);
    }
}
