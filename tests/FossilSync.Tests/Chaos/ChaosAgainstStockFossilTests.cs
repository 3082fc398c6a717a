using FossilSync.AspNetCore;
using FossilSync.Http;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Chaos;

/// <summary>
/// Chaos against the real thing: a <see cref="ChaosProxy"/> refuses, cuts and delays connections
/// between our client and <c>fossil server</c>, and between stock <c>fossil</c> clients and our
/// server, for a few attempts; then it heals. Whatever happened, every repository must pass
/// stock's <c>test-integrity</c> after every attempt, and once healed one more sync or clone must
/// bring both sides to the same artifacts, none lost. Not deterministic (real sockets, real
/// processes): each seed fixes only the proxy's choices.
/// </summary>
public sealed class ChaosAgainstStockFossilTests : IClassFixture<ChaosAgainstStockFossilTests.History>, IDisposable
{
    private const string User = "alice", Password = "secret";
    private const int FaultyAttempts = 4;
    private const double FaultProbability = 0.6;

    private readonly TempDirectory _dir = new();
    private readonly History _history;

    public ChaosAgainstStockFossilTests(History history) => _history = history;

    public void Dispose() => _dir.Dispose();

    /// <summary>One stock-made history, copied into every run.</summary>
    public sealed class History : IDisposable
    {
        private readonly TempDirectory _dir = new();

        public History()
        {
            Path = _dir.File("history.fossil");
            StockRepositoryBuilder.Build(Path, commits: 30, seed: 1905);
            StockFossil.Ok(_dir.Path, "user", "new", User, "", Password, "-R", Path);
            StockFossil.Ok(_dir.Path, "user", "capabilities", User, "oi", "-R", Path);
        }

        public string Path { get; }

        public void Dispose() => _dir.Dispose();
    }

    public static TheoryData<int> Seeds(int first, int count) => [.. Enumerable.Range(first, count)];

    public static TheoryData<int> SyncSeeds => Seeds(1, 8);

    public static TheoryData<int> CloneSeeds => Seeds(101, 5);

    [Theory]
    [MemberData(nameof(SyncSeeds))]
    public async Task Our_client_syncing_with_a_stock_server_through_chaos_loses_nothing(int seed)
    {
        var (hub, leaf) = DivergedPair(seed);
        var expected = PublicArtifacts(hub).Union(PublicArtifacts(leaf)).Order(StringComparer.Ordinal).ToArray();
        using var server = new StockServer(hub);
        await using var proxy = new ChaosProxy(server.Port, seed, FaultProbability);

        for (int attempt = 0; attempt < FaultyAttempts; attempt++)
        {
            await TryOurSyncAsync(leaf, proxy.Url);
            AssertIntegrity(leaf, hub, seed, attempt, proxy);
        }
        proxy.Heal();
        await OurSyncAsync(leaf, proxy.Url);

        AssertConverged(expected, seed, proxy, hub, leaf);
    }

    [Theory]
    [MemberData(nameof(SyncSeeds))]
    public async Task Stock_client_syncing_with_our_server_through_chaos_loses_nothing(int seed)
    {
        var (hub, leaf) = DivergedPair(seed);
        var expected = PublicArtifacts(hub).Union(PublicArtifacts(leaf)).Order(StringComparer.Ordinal).ToArray();
        await using var server = await FossilSyncServer.StartAsync(hub, "http://127.0.0.1:0");
        await using var proxy = new ChaosProxy(server.Url.Port, seed, FaultProbability);

        for (int attempt = 0; attempt < FaultyAttempts; attempt++)
        {
            StockFossil.Run(_dir.Path, "sync", WithLogin(proxy.Url), "-R", leaf);
            AssertIntegrity(leaf, hub, seed, attempt, proxy);
        }
        proxy.Heal();
        var healed = StockFossil.Run(_dir.Path, "sync", WithLogin(proxy.Url), "-R", leaf);
        healed.ExitCode.Should().Be(0, $"seed {seed}: the sync after healing must succeed: {healed.Stdout}{healed.Stderr}");

        AssertConverged(expected, seed, proxy, hub, leaf);
        using var ours = Repository.Open(hub);
        ours.Verify().IsOk.Should().BeTrue($"seed {seed}: our server's repository verifies");
    }

    [Theory]
    [MemberData(nameof(CloneSeeds))]
    public async Task Our_clone_from_a_stock_server_through_chaos_is_whole_or_absent(int seed)
    {
        string hub = _dir.File("hub.fossil");
        File.Copy(_history.Path, hub);
        using var server = new StockServer(hub);
        await using var proxy = new ChaosProxy(server.Port, seed, FaultProbability);
        string clone = _dir.File("clone.fossil");

        for (int attempt = 0; attempt < FaultyAttempts && !File.Exists(clone); attempt++)
        {
            try
            {
                var (repository, _) = await FossilClient.CloneAsync(new HttpTransport(proxy.Url), clone, new CloneOptions { User = User, Password = Password });
                repository.Dispose();
            }
            catch (FossilSyncException)
            {
                File.Exists(clone).Should().BeFalse($"seed {seed}: a failed clone leaves no file under the target's name");
            }
            if (File.Exists(clone)) AssertIntegrity(clone, hub, seed, attempt, proxy);
        }
        proxy.Heal();
        if (!File.Exists(clone))
        {
            var (repository, _) = await FossilClient.CloneAsync(new HttpTransport(proxy.Url), clone, new CloneOptions { User = User, Password = Password });
            repository.Dispose();
        }

        File.Exists(clone + FossilClient.PartialCloneSuffix).Should().BeFalse($"seed {seed}: a finished clone leaves no partial file");
        AssertConverged(PublicArtifacts(hub), seed, proxy, hub, clone);
    }

    [Theory]
    [MemberData(nameof(CloneSeeds))]
    public async Task Stock_clone_from_our_server_through_chaos_is_whole_or_refused(int seed)
    {
        string hub = _dir.File("hub.fossil");
        File.Copy(_history.Path, hub);
        await using var server = await FossilSyncServer.StartAsync(hub, "http://127.0.0.1:0", new SyncServerOptions { MaxDownload = 200_000 });
        await using var proxy = new ChaosProxy(server.Url.Port, seed, FaultProbability);
        string clone = _dir.File("clone.fossil");

        for (int attempt = 0; attempt < FaultyAttempts && !File.Exists(clone); attempt++)
        {
            var result = StockFossil.Run(_dir.Path, "clone", WithLogin(proxy.Url), clone);
            // Stock deletes a clone it could not finish; one it kept must be whole.
            if (File.Exists(clone)) AssertIntegrity(clone, hub, seed, attempt, proxy);
            if (result.ExitCode == 0) File.Exists(clone).Should().BeTrue($"seed {seed}: stock reported a clone");
        }
        proxy.Heal();
        if (!File.Exists(clone)) StockFossil.Ok(_dir.Path, "clone", WithLogin(proxy.Url), clone);

        AssertConverged(PublicArtifacts(hub), seed, proxy, hub, clone);
    }

    // A hub and a clone of it, each then given check-ins of its own (some large enough to need
    // several rounds), so a sync has to move artifacts both ways.
    private (string Hub, string Leaf) DivergedPair(int seed)
    {
        string hub = _dir.File("hub.fossil"), leaf = _dir.File("leaf.fossil");
        File.Copy(_history.Path, hub);
        StockFossil.Ok(_dir.Path, "clone", hub, leaf);
        var random = new Random(seed);
        foreach (var (repository, side) in new[] { (hub, "hub"), (leaf, "leaf") })
        {
            int checkIns = random.Next(1, 4);
            for (int i = 0; i < checkIns; i++)
            {
                byte[] content = new byte[random.Next(2) == 0 ? random.Next(100, 2_000) : random.Next(200_000, 600_000)];
                random.NextBytes(content);
                StockFossil.CommitInCheckout(repository, Path.Combine(_dir.Path, $"work-{side}-{i}"), $"{side}-{i}.bin", content, $"{side} check-in {i} (seed {seed})", User);
            }
        }
        return (hub, leaf);
    }

    private static Task<SyncResult> OurSyncAsync(string leaf, Uri url)
    {
        var repository = Repository.Open(leaf);
        return SyncAndCloseAsync(repository, url);

        static async Task<SyncResult> SyncAndCloseAsync(Repository repository, Uri url)
        {
            using (repository)
            {
                return await FossilClient.SyncAsync(repository, new HttpTransport(url), new SyncOptions { User = User, Password = Password });
            }
        }
    }

    // A sync through chaos may fail, but only with the library's documented exceptions.
    private static async Task TryOurSyncAsync(string leaf, Uri url)
    {
        try
        {
            await OurSyncAsync(leaf, url);
        }
        catch (FossilSyncException)
        {
        }
    }

    private static string WithLogin(Uri url) => url.ToString().Replace("http://", $"http://{User}:{Password}@");

    private void AssertIntegrity(string first, string second, int seed, int attempt, ChaosProxy proxy)
    {
        foreach (string repository in new[] { first, second })
        {
            var report = StockFossil.Run(_dir.Path, "test-integrity", "-R", repository);
            report.IntegrityOk.Should().BeTrue($"seed {seed}, attempt {attempt} ({Describe(proxy)}): {Path.GetFileName(repository)} must stay whole: {report.Stdout}{report.Stderr}");
        }
    }

    // Every repository holds the same public artifacts, among them all that either side had
    // before (a server may add a cluster of its own on the way), and each passes test-integrity.
    private void AssertConverged(IReadOnlyCollection<string> expected, int seed, ChaosProxy proxy, params string[] repositories)
    {
        string[] reference = PublicArtifacts(repositories[0]);
        foreach (string repository in repositories)
        {
            string[] held = PublicArtifacts(repository);
            held.Should().Equal(reference, $"seed {seed} ({Describe(proxy)}): {Path.GetFileName(repository)} holds what {Path.GetFileName(repositories[0])} holds, once healed");
            held.Should().Contain(expected, $"seed {seed} ({Describe(proxy)}): nothing either side had is lost");
            StockFossil.Run(_dir.Path, "test-integrity", "-R", repository).IntegrityOk.Should().BeTrue($"seed {seed}: {Path.GetFileName(repository)} passes test-integrity");
            StockFossil.Ok(_dir.Path, "sql", "-R", repository, "SELECT count(*) FROM phantom").Trim().Should().Be("0", $"seed {seed}: no phantoms in {Path.GetFileName(repository)}");
        }
    }

    private static string Describe(ChaosProxy proxy) => string.Join(", ", proxy.Counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"));

    private string[] PublicArtifacts(string repository) =>
        StockFossil.Ok(_dir.Path, "sql", "-R", repository, "SELECT uuid FROM blob WHERE size>=0 AND rid NOT IN private ORDER BY uuid")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Trim().Trim('\'')).ToArray();
}
