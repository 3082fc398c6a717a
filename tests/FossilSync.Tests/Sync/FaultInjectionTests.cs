using System.Text;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Sync;
using FossilSync.Testing;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Sync;

public sealed class FaultInjectionTests
{
    private sealed class SeededFaults(int seed, double rate) : IFaultInjector
    {
        private readonly Random _random = new(seed);

        public int Injected { get; private set; }

        public bool Check(string site, double probability)
        {
            // The sites that fail a round; the misbehaviours and crashes are the simulator's (SimulatorTests).
            if (site is not (FaultSites.BeforeSend or FaultSites.AfterReceive or FaultSites.BeforeCommit)) return false;
            bool fail = _random.NextDouble() < rate * probability;
            if (fail) Injected++;
            return fail;
        }
    }

    // A server holding artifacts: it advertises them all and sends what is asked for.
    private static MockTransport Server(Dictionary<string, byte[]> artifacts) => new(request =>
    {
        var asked = request.Cards.OfType<GimmeCard>().Select(g => g.Hash).ToList();
        return asked.Count > 0
            ? new XferMessage(asked.Where(artifacts.ContainsKey).Select(h => (XferCard)new FileCard(h, null, artifacts[h])))
            : new XferMessage(artifacts.Keys.Select(h => (XferCard)new IGotCard(h)));
    });

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Faults_at_any_site_leave_a_consistent_repository_and_a_retry_converges(int seed)
    {
        var artifacts = Enumerable.Range(0, 20)
            .Select(i => Encoding.UTF8.GetBytes($"artifact {i} of seed {seed}\n"))
            .ToDictionary(c => ArtifactHash.Compute(c, HashKind.Sha3_256));
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("r.fossil"), new RepositoryOptions { Random = new Random(seed) });
        var faults = new SeededFaults(seed, rate: 0.4);
        var server = Server(artifacts);

        for (int attempt = 0; ; attempt++)
        {
            attempt.Should().BeLessThan(50, "a retry must eventually get through");
            try
            {
                await FossilClient.SyncAsync(repository, server, new SyncOptions { Push = false, Faults = faults, Random = new Random(seed + attempt) });
                break;
            }
            catch (InjectedFaultException)
            {
                // Whatever the site, what was stored is whole and correct.
                repository.Verify().IsOk.Should().BeTrue();
            }
        }

        faults.Injected.Should().BeGreaterThan(0, "the seed must actually inject faults");
        foreach (var (hash, content) in artifacts) repository.GetArtifact(hash).Should().Equal(content);
        repository.Verify().Should().Match<VerifyReport>(r => r.IsOk && r.Verified == artifacts.Count + 1);
    }

    [Fact]
    public async Task A_fault_just_before_commit_rolls_the_whole_round_back()
    {
        byte[] content = "one artifact\n"u8.ToArray();
        string hash = ArtifactHash.Compute(content, HashKind.Sha3_256);
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("r.fossil"));
        long blobsBefore = repository.Scalar<long>("SELECT count(*) FROM blob");
        var onlyAtCommit = new SiteFaults(FaultSites.BeforeCommit);
        var act = () => FossilClient.SyncAsync(repository, Server(new() { [hash] = content }), new SyncOptions { Push = false, Faults = onlyAtCommit });
        (await act.Should().ThrowAsync<InjectedFaultException>()).Which.Site.Should().Be(FaultSites.BeforeCommit);
        repository.Scalar<long>("SELECT count(*) FROM blob").Should().Be(blobsBefore, "the round's phantom was rolled back with it");
    }

    private sealed class SiteFaults(string site) : IFaultInjector
    {
        public bool Check(string at, double probability) => at == site;
    }
}
