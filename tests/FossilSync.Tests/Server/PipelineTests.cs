using System.Collections.Concurrent;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

/// <summary>The server's pipeline: wrappers around the round, as a host adds them.</summary>
public sealed class PipelineTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _served;

    public PipelineTests()
    {
        _served = _dir.File("served.fossil");
        using var setup = Repository.Create(_served);
        setup.Users.Create("alice", "alice-secret", "gio");
        setup.Users.Create("bob", "bob-secret", "gio");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_per_user_rate_limit_wraps_the_handler_and_refuses_only_the_user_over_it()
    {
        var options = new SyncServerOptions { Wrappers = [PerUserRateLimit.Wrapper(requestsPerUser: 2)] };
        string projectCode = ProjectCode();
        async Task<IReadOnlyList<ErrorCard>> PullAs(string user, string password)
        {
            byte[] body = XferLogin.EncodeSigned([new PullCard(new string('0', 40), projectCode)], user, password, projectCode);
            using var repository = Repository.Open(_served);
            var response = await SyncHandler.HandleSyncAsync(repository, new SyncRequest(body, XferContentType.Uncompressed), options);
            return [.. XferMessage.Decode(response.Body).Cards.OfType<ErrorCard>()];
        }

        (await PullAs("alice", "alice-secret")).Should().BeEmpty();
        (await PullAs("alice", "alice-secret")).Should().BeEmpty();
        (await PullAs("alice", "alice-secret")).Should().ContainSingle().Which.Message.Should().Contain("rate limit").And.Contain("alice");
        (await PullAs("bob", "bob-secret")).Should().BeEmpty("another user has a limit of his own");
    }

    [Fact]
    public async Task Wrappers_run_outermost_first_around_the_round()
    {
        var order = new ConcurrentQueue<string>();
        SyncRequestWrapper Named(string name) => next => async (repository, request, cancellationToken) =>
        {
            order.Enqueue(name + " in");
            var response = await next(repository, request, cancellationToken);
            order.Enqueue(name + " out");
            return response;
        };
        var options = new SyncServerOptions { Wrappers = [Named("outer"), Named("inner")] };
        using var repository = Repository.Open(_served);
        var reply = await SyncHandler.HandleSyncAsync(repository, new XferMessage([new PullCard(new string('0', 40), repository.ProjectCode)]), options);

        reply.Cards.OfType<ErrorCard>().Should().BeEmpty();
        order.Should().Equal("outer in", "inner in", "inner out", "outer out");
    }

    [Fact]
    public async Task The_claimed_user_is_read_from_a_compressed_or_plain_request_before_the_round()
    {
        byte[] plain = XferLogin.EncodeSigned([new PullCard(new string('0', 40), "p")], "carol", "pw", "p");
        (await new SyncRequest(plain, XferContentType.Uncompressed).ReadClaimedUserAsync()).Should().Be("carol");
        (await new SyncRequest(FossilSync.Primitives.BlobCompression.Compress(plain), XferContentType.Compressed).ReadClaimedUserAsync()).Should().Be("carol");
        (await new SyncRequest(new XferMessage([new PullCard(new string('0', 40), "p")]).Encode(), XferContentType.Uncompressed).ReadClaimedUserAsync()).Should().BeNull();
    }

    private string ProjectCode()
    {
        using var repository = Repository.Open(_served);
        return repository.ProjectCode;
    }
}

/// <summary>
/// A sample wrapper: each user (as the login claims it; nobody counts as one user) may make a
/// fixed number of requests, after which the server answers with an error card.
/// </summary>
public static class PerUserRateLimit
{
    public static SyncRequestWrapper Wrapper(int requestsPerUser)
    {
        var counts = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        return next => async (repository, request, cancellationToken) =>
        {
            string user = await request.ReadClaimedUserAsync(cancellationToken) ?? "nobody";
            if (counts.AddOrUpdate(user, 1, (_, n) => n + 1) > requestsPerUser)
            {
                return SyncResponse.Error(request.ContentType, $"rate limit reached for user {user}: try again later");
            }
            return await next(repository, request, cancellationToken);
        };
    }
}
