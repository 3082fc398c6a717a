using BenchmarkDotNet.Attributes;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Xfer;

namespace FossilSync.Benchmarks;

/// <summary>
/// The server's side of a stock clone (protocol 3) of a 500-check-in history: every page's
/// request, answered each by a connection opened for it and written out as the HTTP host
/// writes it, so the reply's encoding and what it allocates are measured with the page's read.
/// </summary>
[MemoryDiagnoser]
public class ServerClonePageBenchmarks
{
    private static readonly PragmaCard ClientVersion = new("client-version", "22100", "20230226", "192424");

    private string _path = "";
    private List<SyncRequest> _pages = [];

    [GlobalSetup]
    public void Setup()
    {
        _path = BenchmarkRepositories.Get(500);
        _pages = [];
        for (long seq = 1; seq != 0;)
        {
            var request = new SyncRequest(new XferMessage([ClientVersion, new CloneCard(3, seq)]).EncodeCompressed(), XferContentType.Compressed);
            _pages.Add(request);
            using var repository = Repository.Open(_path);
            var reply = XferMessage.Decode(SyncHandler.HandleSyncAsync(repository, request, Options).GetAwaiter().GetResult().Body);
            seq = reply.Cards.OfType<CloneSeqnoCard>().Single().SequenceNumber;
        }
    }

    // A small budget so the history takes several pages, as a real project's does at 5 MB.
    private static readonly SyncServerOptions Options = new() { MaxDownload = 1_000_000 };

    [Benchmark]
    public async Task<long> ServeClone()
    {
        long bytes = 0;
        foreach (var page in _pages)
        {
            using var repository = Repository.Open(_path);
            var response = await SyncHandler.HandleSyncAsync(repository, page, Options);
            bytes += response.Length;
            await response.WriteToAsync(Stream.Null);
        }
        return bytes;
    }
}
