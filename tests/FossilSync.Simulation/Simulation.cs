using System.Text;
using FossilSync.Repo;
using FossilSync.Sync;
using FossilSync.Testing;

namespace FossilSync.Simulation;

/// <summary>
/// One seed's run: a hub and 2–8 leaves do a few hundred random steps (check-ins, tags, merges,
/// branches, unversioned and private files; clones, syncs, pushes, pulls, leaf-to-leaf syncs)
/// over the simulated network with the seed's faults, then heal without faults until quiet, and
/// the invariants are checked (<see cref="Invariants"/>).
/// </summary>
public sealed class Simulation : IDisposable
{
    private const string User = "sim", Password = "sim";

    private readonly SimulationContext _context;
    private readonly Random _random;
    private readonly Random _tableRandom;
    private readonly string _dir;
    private readonly List<Peer> _peers = [];
    private readonly SortedDictionary<string, bool> _created = new(StringComparer.Ordinal);
    private readonly int _steps;
    private Peer? _crashing;

    /// <param name="seed">Decides everything the run does.</param>
    /// <param name="mode">The faults it may turn on.</param>
    /// <param name="steps">Random steps before the heal phase.</param>
    public Simulation(int seed, FaultMode mode, int steps = DefaultSteps)
    {
        _context = new SimulationContext(seed, mode, steps);
        _random = new Random(seed);
        _tableRandom = new Random(unchecked(seed * 613 + 7));
        _steps = steps;
        _dir = System.IO.Path.Combine(ScratchDirectory.Root, $"fossilsync-sim-{Environment.ProcessId}-{seed}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_dir);
        _context.Faults.OnCrash = _ => SaveCrashImage();
    }

    public const int DefaultSteps = 150;

    /// <summary>Runs the seed and returns its trace and every violation found.</summary>
    public RunResult Run()
    {
        int step = 0;
        try
        {
            Setup();
            for (step = 1; step <= _steps; step++)
            {
                _context.Step = step;
                _context.Clock.Advance(TimeSpan.FromSeconds(30 + _random.Next(90)));
                Act();
                // Now and then two table writes at the same clock reading: same-millisecond versions meet.
                int roll = _tableRandom.Next(10);
                for (int writes = roll < 6 ? 0 : roll < 9 ? 1 : 2; writes > 0; writes--) Tables();
            }
            _context.Step = step;
            Heal();
            Invariants.Check(_context, _peers.Where(p => p.Born).ToList(), _created);
        }
        catch (Exception ex)
        {
            _context.Violation("unexpected failure", ex.ToString().Split('\n')[0] + " " + ex.StackTrace?.Split('\n').FirstOrDefault()?.Trim());
        }
        foreach (var peer in _peers)
        {
            _context.Trace.Add($"peer {peer.Name}\n");
            if (!peer.Born) continue;
            foreach (string hash in Digest.Public(peer.Repo)) _context.Trace.Add(hash + "\n");
            foreach (string hash in Digest.Private(peer.Repo)) _context.Trace.Add("private " + hash + "\n");
            _context.Trace.Add("uv " + peer.Repo.Unversioned.CatalogueHash() + "\n");
            _context.Trace.Add("tables " + TableWork.Versions(peer.Repo, "board") + " " + TableWork.Versions(peer.Repo, "notes") + "\n");
        }
        return new RunResult(_context.Seed, _context.Trace.Finish(), _context.Violations, _steps, _context.Trace.Messages,
            new SortedDictionary<string, int>(_context.Faults.Fired.ToDictionary(), StringComparer.Ordinal),
            new SortedDictionary<string, int>(_context.Faults.Reached.ToDictionary(), StringComparer.Ordinal));
    }

    public void Dispose()
    {
        foreach (var peer in _peers) peer.Repository?.Dispose();
        _context.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temporary folder goes with the machine's next clean-up.
        }
    }

    private void Setup()
    {
        int leaves = 2 + _random.Next(7);
        var privateLeaves = Enumerable.Range(1, leaves).Select(_ => _random.Next(3) == 0).ToList();
        _peers.Add(new Peer("hub", System.IO.Path.Combine(_dir, "hub.fossil"), privateLeaves.Contains(true)));
        for (int i = 1; i <= leaves; i++) _peers.Add(new Peer($"leaf{i}", System.IO.Path.Combine(_dir, $"leaf{i}.fossil"), privateLeaves[i - 1]));
        var hub = _peers[0];
        hub.Repository = Repository.Create(hub.Path, Options(hub) with { InitialCheckIn = true });
        AddUser(hub.Repo);
        TableWork.Define(hub.Repo);
        foreach (string hash in hub.Repo.ListArtifacts()) _created[hash] = false;
        hub.CommittedDigest = Digest.Stored(hub.Repo);
    }

    private RepositoryOptions Options(Peer peer) => new()
    {
        AdminUser = User,
        TimeProvider = _context.Clock,
        Random = new Random(unchecked(_context.Seed * 131 + _peers.IndexOf(peer))),
        Faults = _context.Faults.Injector,
        ContentCacheBytes = 1 << 20,
    };

    private static void AddUser(Repository repository)
    {
        repository.Execute("DELETE FROM user WHERE login=$l", ("$l", User));
        repository.Execute("INSERT INTO user(login, pw, cap, info) VALUES($l, $p, 'gioxy', '')", ("$l", User), ("$p", Password));
    }

    private void Act()
    {
        var born = _peers.Where(p => p.Born).ToList();
        var unborn = _peers.Where(p => !p.Born).ToList();
        int roll = _random.Next(100);
        if (unborn.Count > 0 && (roll < 8 || born.Count == 1))
        {
            Clone(unborn[_random.Next(unborn.Count)], born[_random.Next(born.Count)]);
            return;
        }
        var peer = born[_random.Next(born.Count)];
        switch (roll)
        {
            case < 40: Local(peer, () => CheckInMaker.CheckIn(peer, _random, _context.Clock.GetUtcNow())); break;
            case < 45: Local(peer, () => CheckInMaker.Tag(peer, _random, _context.Clock.GetUtcNow())); break;
            case < 52: Unversioned(peer); break;
            case < 60 when born.Count > 2:
                var other = born[_random.Next(born.Count)];
                if (other != peer && peer != _peers[0]) Sync(peer, other, Mode());
                break;
            default:
                if (peer != _peers[0]) Sync(peer, _peers[0], Mode());
                break;
        }
    }

    private (bool Pull, bool Push, bool Unversioned, bool Private) Mode()
    {
        int kind = _random.Next(4);
        return (kind != 1, kind != 2, _random.Next(3) == 0, _random.Next(2) == 0);
    }

    // Local work runs without faults; a failed commit stores nothing and is simply not counted.
    private void Local(Peer peer, Func<List<(string Hash, bool Private)>> work)
    {
        foreach (var (hash, isPrivate) in work()) _created[hash] = isPrivate;
        peer.CommittedDigest = Digest.Stored(peer.Repo);
    }

    private void Unversioned(Peer peer)
    {
        string name = $"uv/file{_random.Next(4)}.txt";
        peer.CommittedDigest = Digest.Stored(peer.Repo);
        _context.Faults.Active = _context.Mode.Enabled;
        try
        {
            if (_random.Next(4) == 0) peer.Repo.Unversioned.Delete(name);
            else peer.Repo.Unversioned.Put(name, Encoding.UTF8.GetBytes($"{peer.Name} {_context.Step} {_random.Next()}\n"));
        }
        catch (InjectedFaultException)
        {
            // Storage failed at the commit: nothing may have been written.
            _context.Faults.Active = false;
            CheckUnchangedOrCommitted(peer);
        }
        finally
        {
            _context.Faults.Active = false;
        }
    }

    // A table write on a random peer, with the seed's faults on (a stale clock, a failed commit).
    private void Tables()
    {
        var born = _peers.Where(p => p.Born).ToList();
        var peer = born[_tableRandom.Next(born.Count)];
        peer.CommittedDigest = Digest.Stored(peer.Repo);
        _context.Faults.Active = _context.Mode.Enabled;
        try
        {
            TableWork.Write(peer, peer == _peers[0], _tableRandom, User, _context.Step);
        }
        catch (InjectedFaultException)
        {
            _context.Faults.Active = false;
            CheckUnchangedOrCommitted(peer);
        }
        finally
        {
            _context.Faults.Active = false;
        }
    }

    private void Clone(Peer leaf, Peer from)
    {
        var transport = new SimulatedNetwork(leaf, from, _context);
        var options = new CloneOptions
        {
            User = User,
            Password = Password,
            Unversioned = _random.Next(2) == 0,
            Tables = true,
            Faults = _context.Faults.Injector,
            Repository = Options(leaf),
        };
        _crashing = leaf;
        _context.Faults.Active = _context.Mode.Enabled;
        try
        {
            var (repository, _) = FossilClient.CloneAsync(transport, leaf.Path, options).GetAwaiter().GetResult();
            leaf.Repository = repository;
        }
        catch (Exception ex) when (Expected(ex))
        {
            RestoreCrashImage(FossilClient.PartialCloneSuffix);
            return;
        }
        finally
        {
            _context.Faults.Active = false;
            _crashing = null;
        }
        AddUser(leaf.Repo);
        leaf.CommittedDigest = Digest.Stored(leaf.Repo);
    }

    private bool Sync(Peer client, Peer server, (bool Pull, bool Push, bool Unversioned, bool Private) mode, bool heal = false)
    {
        var progress = new CommittedRounds(client);
        var options = new SyncOptions
        {
            User = User,
            Password = Password,
            Pull = mode.Pull,
            Push = mode.Push,
            Unversioned = mode.Unversioned,
            Tables = true,
            Private = mode.Private && client.PrivateEnabled && server.PrivateEnabled,
            Faults = _context.Faults.Injector,
            Random = client.Repo.Options.Random,
            Progress = progress,
        };
        client.CommittedDigest = Digest.Stored(client.Repo);
        var forgedBefore = TableWork.ForgedKeys(client.Repo);
        _crashing = client;
        _context.Faults.Active = _context.Mode.Enabled && !heal;
        int corrupted = _context.RowsCorrupted;
        try
        {
            var result = FossilClient.SyncAsync(client.Repo, new SimulatedNetwork(client, server, _context), options).GetAwaiter().GetResult();
            if (mode.Pull && _context.RowsCorrupted > corrupted)
            {
                _context.Violation("a corrupt row is refused", $"{client.Name} completed a pull from {server.Name} whose reply carried a row altered on the way");
            }
            CheckTableErrors(client, server, result, forgedBefore);
            return true;
        }
        catch (Exception ex) when (!heal && Expected(ex))
        {
            if (RestoreCrashImage("")) Reopen(client);
            CheckUnchangedOrCommitted(client);
            return false;
        }
        finally
        {
            _context.Faults.Active = false;
            _crashing = null;
        }
    }

    // What a fault may make a session throw; anything else is a bug in the library.
    private static bool Expected(Exception ex) =>
        ex is FossilSyncException or System.IO.InvalidDataException;

    // A sync keeps going past a refused row; the only rows the rules refuse here are forged
    // notes: the client's (held before the session, which may then pull the server's version
    // over it, or made since) or the server's, when it is a leaf (step "sync with another leaf"):
    // its own forgery holds the key, and nobody may change who owns a row.
    private void CheckTableErrors(Peer client, Peer server, SyncResult result, HashSet<string> forgedBefore)
    {
        foreach (var error in result.TableErrors)
        {
            if (error is { Kind: TableSyncErrorKind.RowRefused, Table: "notes", ByServer: true, PkHash: { } pkHash }
                && (forgedBefore.Contains(pkHash) || TableWork.OwnerOf(client.Repo, "notes", pkHash) == TableWork.Forger || TableWork.OwnerOf(server.Repo, "notes", pkHash) == TableWork.Forger)) continue;
            _context.Violation("only forged rows are refused", $"{client.Name}: {error.Kind} {error.Table} {error.Message}");
        }
    }

    private void CheckUnchangedOrCommitted(Peer peer)
    {
        string now = Digest.Stored(peer.Repo);
        if (now != peer.CommittedDigest) _context.Violation("no partial write", $"{peer.Name} holds {now}, its last committed round left {peer.CommittedDigest}");
    }

    // A crash site fired: the file and its journal, as the crash leaves them on disk.
    private void SaveCrashImage()
    {
        if (_crashing is not { } peer) return;
        string path = peer.Repository?.Path ?? System.IO.Path.GetFullPath(peer.Path + FossilClient.PartialCloneSuffix);
        File.Copy(path, peer.CrashImage, overwrite: true);
        if (File.Exists(path + "-journal")) File.Copy(path + "-journal", peer.CrashImage + "-journal", overwrite: true);
        else File.Delete(peer.CrashImage + "-journal");
    }

    // After a crash: the file is what the crash left (SQLite rolls its hot journal back on open).
    private bool RestoreCrashImage(string suffix)
    {
        var peer = _crashing;
        if (peer is null || !File.Exists(peer.CrashImage)) return false;
        string target = peer.Path + suffix;
        peer.Repository?.Dispose();
        if (suffix.Length == 0 || File.Exists(target))
        {
            File.Copy(peer.CrashImage, target, overwrite: true);
            if (File.Exists(peer.CrashImage + "-journal")) File.Copy(peer.CrashImage + "-journal", target + "-journal", overwrite: true);
        }
        File.Delete(peer.CrashImage);
        File.Delete(peer.CrashImage + "-journal");
        return true;
    }

    private void Reopen(Peer peer) => peer.Repository = Repository.Open(peer.Path, Options(peer));

    // No faults: clone whoever is not born yet, then every leaf syncs everything with the hub
    // until a whole pass changes nothing anywhere.
    private void Heal()
    {
        var hub = _peers[0];
        foreach (var leaf in _peers.Where(p => !p.Born).ToList())
        {
            _context.Faults.Active = false;
            var options = new CloneOptions { User = User, Password = Password, Unversioned = true, Tables = true, Repository = Options(leaf) };
            (leaf.Repository, _) = FossilClient.CloneAsync(new SimulatedNetwork(leaf, hub, _context), leaf.Path, options).GetAwaiter().GetResult();
            AddUser(leaf.Repo);
        }
        for (int pass = 1; ; pass++)
        {
            string before = string.Join("|", _peers.Select(State));
            foreach (var leaf in _peers.Skip(1)) Sync(leaf, hub, (true, true, true, true), heal: true);
            string after = string.Join("|", _peers.Select(State));
            if (before == after && pass > 1) return;
            if (pass >= 12)
            {
                _context.Violation("heals", $"still changing after {pass} passes of syncs with the hub");
                return;
            }
        }
    }

    private static string State(Peer peer) =>
        peer.Repo.Scalar<string>("SELECT (SELECT count(*) FROM blob) || '/' || (SELECT count(*) FROM phantom)")! + "/" + peer.Repo.Unversioned.CatalogueHash()
        + "/" + TableWork.Versions(peer.Repo, "board") + "/" + TableWork.Versions(peer.Repo, "notes");

    /// <summary>Notes the file's state after every committed round, so a failure after it can be checked against it.</summary>
    private sealed class CommittedRounds(Peer peer) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => peer.CommittedDigest = Digest.Stored(peer.Repo);
    }
}
