using BenchmarkDotNet.Attributes;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Xfer;

namespace FossilSync.Benchmarks;

/// <summary>
/// The server's side of a pull of every artifact of a 500-check-in history: the requests a
/// pulling client sends (gimmes for what it lacks, round after round within the reply budget),
/// answered each by a connection opened for it, as the HTTP and NATS hosts do. Compared: no
/// shared cache (each request starts cold, as before), one cache shared by the pull's requests
/// but new for each pull, and the host's cache already warm from an earlier pull.
/// </summary>
[MemoryDiagnoser]
public class ServerPullBenchmarks
{
    private string _path = "";
    private List<XferMessage> _requests = [];
    private ContentCache _warm = new();

    public enum Cache { None, PerPull, Warm }

    [Params(Cache.None, Cache.PerPull, Cache.Warm)]
    public Cache Sharing { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = BenchmarkRepositories.Get(500);
        string projectCode;
        var wanted = new List<string>();
        using (var repository = Repository.Open(_path))
        {
            projectCode = repository.ProjectCode;
            using var reader = repository.Query("SELECT uuid FROM blob WHERE size>=0 ORDER BY rid");
            while (reader.Read()) wanted.Add(reader.GetString(0));
        }
        // The rounds of a pull: ask for what has not come yet until everything has.
        var pull = new PullCard(new string('0', 40), projectCode);
        var missing = new HashSet<string>(wanted, StringComparer.Ordinal);
        _requests = [];
        while (missing.Count > 0)
        {
            var request = new XferMessage([pull, .. wanted.Where(missing.Contains).Select(h => new GimmeCard(h))]);
            _requests.Add(request);
            var reply = Serve(request, null);
            int before = missing.Count;
            foreach (var file in reply.Cards.OfType<FileCard>()) missing.Remove(file.Hash);
            if (missing.Count == before) throw new InvalidOperationException("the server sent nothing of what was asked for");
        }
        _warm = new ContentCache();
        foreach (var request in _requests) Serve(request, _warm);
    }

    [Benchmark]
    public int ServePull()
    {
        var cache = Sharing switch
        {
            Cache.PerPull => new ContentCache(),
            Cache.Warm => _warm,
            _ => null,
        };
        int files = 0;
        foreach (var request in _requests) files += Serve(request, cache).Cards.Count;
        return files;
    }

    private XferMessage Serve(XferMessage request, ContentCache? cache)
    {
        using var repository = Repository.Open(_path, new RepositoryOptions { ContentCache = cache });
        return SyncHandler.HandleSyncAsync(repository, request).GetAwaiter().GetResult();
    }
}
