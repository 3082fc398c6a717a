using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo;

/// <summary>
/// A push's window of expansions (<see cref="ExpansionWindow"/>): versions stored as reverse
/// deltas come out of reused arrays with the bytes the store gives, and what a caller holds or
/// detached is never overwritten when the window moves on and hands its arrays out again.
/// </summary>
public sealed class ExpansionWindowTests : IDisposable
{
    private const int Versions = 12;
    private readonly TempDirectory _dir = new();
    private readonly Repository _repository;
    private readonly List<(long Rid, string Hash)> _newestFirst = [];

    public ExpansionWindowTests()
    {
        _repository = Repository.Create(_dir.File("r.fossil"), new RepositoryOptions { Random = new Random(21), InitialCheckIn = false });
        StoreReverseChain();
    }

    public void Dispose()
    {
        _repository.Dispose();
        _dir.Dispose();
    }

    private static string Sha3(byte[] content) => ArtifactHash.Compute(content, HashKind.Sha3_256);

    // Versions of one large file, each edited in another place, stored as a check-in leaves
    // them: the newest whole, each older one a delta of the one after it.
    private void StoreReverseChain()
    {
        var versions = new List<byte[]> { Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 8000).Select(i => $"line {i % 89} of {i}\n"))) };
        for (int v = 1; v < Versions; v++)
        {
            byte[] next = (byte[])versions[^1].Clone();
            Encoding.UTF8.GetBytes($"version {v} was here ").CopyTo(next, v * 7919 % (next.Length - 100));
            versions.Add(next);
        }
        using var tx = _repository.BeginTransaction();
        byte[] newest = versions[^1];
        _repository.PutArtifact(Sha3(newest), newest);
        for (int v = Versions - 2; v >= 0; v--)
        {
            _repository.Content.PutDelta(Sha3(versions[v]), Sha3(versions[v + 1]), FossilDelta.Create(versions[v + 1], versions[v]), new StoreOptions());
        }
        tx.Commit();
        for (int v = Versions - 1; v >= 0; v--)
        {
            string hash = Sha3(versions[v]);
            _newestFirst.Add((_repository.Content.FindRid(hash)!.Value, hash));
        }
        _repository.Content.ForgetCache();
    }

    [Fact]
    public void Versions_read_newest_first_are_stepped_into_reused_arrays_with_the_right_bytes()
    {
        // Room for two versions: each older one steps from the one before, the third reuses the first's array.
        using var window = new ExpansionWindow(_repository, 2 * 150_000);
        foreach (var (rid, hash) in _newestFirst)
        {
            var content = window.Get(rid)!;
            ArtifactHash.Matches(hash, content.Span).Should().BeTrue();
            content.Release();
        }
        window.Stepped.Should().Be(Versions - 1);
        window.Reused.Should().BeGreaterThan(Versions / 2);
    }

    [Fact]
    public void A_version_read_first_walks_down_to_the_full_text_and_keeps_the_steps()
    {
        using var window = new ExpansionWindow(_repository, 64L << 20);
        var (oldest, oldestHash) = _newestFirst[^1];
        var content = window.Get(oldest)!;
        ArtifactHash.Matches(oldestHash, content.Span).Should().BeTrue();
        content.Release();
        window.Stepped.Should().Be(Versions - 1);
        foreach (var (rid, hash) in _newestFirst)
        {
            var kept = window.Get(rid)!;
            ArtifactHash.Matches(hash, kept.Span).Should().BeTrue();
            kept.Release();
        }
        window.Stepped.Should().Be(Versions - 1, "every version was kept on the way up");
    }

    [Fact]
    public void What_a_caller_holds_or_detached_survives_the_window_moving_on()
    {
        // Room for one version only: every step evicts the one before and its array is rented again.
        using var window = new ExpansionWindow(_repository, 1);
        var (heldRid, heldHash) = _newestFirst[1];
        var (detachedRid, detachedHash) = _newestFirst[2];
        window.Get(_newestFirst[0].Rid)!.Release();
        var held = window.Get(heldRid)!;
        var detachedFrom = window.Get(detachedRid)!;
        byte[] detached = detachedFrom.Detach();
        detachedFrom.Release();
        foreach (var (rid, hash) in _newestFirst.Skip(3))
        {
            var content = window.Get(rid)!;
            ArtifactHash.Matches(hash, content.Span).Should().BeTrue();
            content.Release();
        }
        window.Reused.Should().BeGreaterThan(0);
        ArtifactHash.Matches(heldHash, held.Span).Should().BeTrue("a held expansion's array is not handed out again");
        ArtifactHash.Matches(detachedHash, detached).Should().BeTrue("a detached array never goes back to the pool");
        held.Release();
    }

    [Fact]
    public void The_window_drops_its_expansions_when_the_store_forgets_its_own()
    {
        using var window = new ExpansionWindow(_repository, 64L << 20);
        window.Get(_newestFirst[1].Rid)!.Release();
        int stepped = window.Stepped;
        _repository.Content.ForgetCache();
        var again = window.Get(_newestFirst[1].Rid)!;
        ArtifactHash.Matches(_newestFirst[1].Hash, again.Span).Should().BeTrue();
        again.Release();
        window.Stepped.Should().Be(stepped + 1, "after a rollback a rid may name other content");
    }

    [Fact]
    public void A_phantom_expands_to_nothing()
    {
        long phantom;
        using (var tx = _repository.BeginTransaction())
        {
            phantom = _repository.Content.GetOrCreatePhantom(new string('a', 64));
            tx.Commit();
        }
        using var window = new ExpansionWindow(_repository, 64L << 20);
        window.Get(phantom).Should().BeNull();
    }

    [Fact]
    public void A_released_window_lets_its_arrays_go_and_can_still_be_read_from()
    {
        // A server round releases its window once sent: its reply is still to be encoded and written.
        using var window = new ExpansionWindow(_repository, 64L << 20);
        var stepped = ReadAllAndWatchStepped(window);
        stepped.Should().HaveCount(Versions - 1);

        window.Release();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        stepped.Count(a => a.TryGetTarget(out _)).Should().Be(0, "neither held nor idle arrays are kept");
        var (oldest, oldestHash) = _newestFirst[^1];
        var again = window.Get(oldest)!;
        ArtifactHash.Matches(oldestHash, again.Span).Should().BeTrue();
        again.Release();
    }

    // Reads every version newest first; weak references to the arrays the window stepped them into.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private List<WeakReference<byte[]>> ReadAllAndWatchStepped(ExpansionWindow window)
    {
        var stepped = new List<WeakReference<byte[]>>();
        foreach (var (rid, _) in _newestFirst)
        {
            var content = window.Get(rid)!;
            // The newest is the store's full text (its cache keeps it); the rest are the window's.
            if (rid != _newestFirst[0].Rid && MemoryMarshal.TryGetArray(content.Memory, out var segment)) stepped.Add(new WeakReference<byte[]>(segment.Array!));
            content.Release();
        }
        return stepped;
    }
}
