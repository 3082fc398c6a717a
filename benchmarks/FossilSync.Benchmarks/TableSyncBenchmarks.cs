using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using FossilSync.Repo;
using FossilSync.Repo.Tables;
using FossilSync.Server;
using FossilSync.Sync;
using FossilSync.Testing;
using FossilSync.Xfer;

namespace FossilSync.Benchmarks;

/// <summary>
/// Pulling a synced table of <see cref="Rows"/> rows from a server in process (the real
/// <see cref="SyncHandler"/> behind a counting transport): the first time (into a clone that has
/// the table's definition but no rows) and again once both are equal. The setup prints, once, the
/// rounds, rows and wire bytes of each (plain card text, and as the compressed HTTP body).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class TableSyncBenchmarks
{
    private string _dir = "";
    private string _server = "", _emptyClient = "", _fullClient = "", _client = "";
    private Repository? _serverRepository;

    [Params(100_000)]
    public int Rows { get; set; }

    private static readonly TableDefinition Definition = new("board",
        [new TableColumn("id", ColumnType.Integer), new TableColumn("title", ColumnType.Text), new TableColumn("weight", ColumnType.Real)], ["id"]);

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "fossilsync-bench-tables-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _server = Path.Combine(_dir, "server.fossil");
        _emptyClient = Path.Combine(_dir, "empty.fossil");
        _fullClient = Path.Combine(_dir, "full.fossil");
        _client = Path.Combine(_dir, "client.fossil");
        using (var server = Repository.Create(_server))
        {
            server.Users.Create("peer", "secret", "s");
            var table = server.Tables.Define(Definition);
            using var transaction = server.BeginTransaction();
            for (int i = 0; i < Rows; i++) table.Put(new TableRow { ["id"] = (long)i, ["title"] = $"task number {i}", ["weight"] = i / 7.0 });
            transaction.Commit();
            var (clone, _) = FossilClient.CloneAsync(Transport(server, null), _emptyClient).GetAwaiter().GetResult();
            using (clone) clone.Tables.Define(Definition);
        }
        File.Copy(_emptyClient, _fullClient);
        _serverRepository = Repository.Open(_server);
        // Counted once here, outside the timing: rounds, rows and bytes of each kind of run.
        using var full = Repository.Open(_fullClient);
        Report("first pull", Pull(full, new Counts()));
        Report("no-op", Pull(full, new Counts()));
    }

    [IterationSetup(Target = nameof(FirstPull))]
    public void CopyEmpty() => File.Copy(_emptyClient, _client, overwrite: true);

    [IterationSetup(Target = nameof(NoOpSync))]
    public void CopyFull() => File.Copy(_fullClient, _client, overwrite: true);

    [Benchmark]
    public int FirstPull()
    {
        using var client = Repository.Open(_client);
        var result = Pull(client, null).Result;
        if (result.TableRowsReceived != Rows) throw new InvalidOperationException($"received {result.TableRowsReceived} of {Rows} rows");
        return result.TableRowsReceived;
    }

    [Benchmark]
    public int NoOpSync()
    {
        using var client = Repository.Open(_client);
        var result = Pull(client, null).Result;
        if (result.TableRowsReceived != 0) throw new InvalidOperationException("a no-op sync received rows");
        return result.Rounds;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _serverRepository?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private sealed class Counts
    {
        public long RequestBytes, ReplyBytes, CompressedRequestBytes, CompressedReplyBytes;
        public SyncResult Result = null!;
    }

    private Counts Pull(Repository client, Counts? counted)
    {
        var counts = counted ?? new Counts();
        counts.Result = FossilClient.SyncAsync(client, Transport(_serverRepository!, counted), new SyncOptions { User = "peer", Password = "secret", Tables = true }).GetAwaiter().GetResult();
        return counts;
    }

    private static MockTransport Transport(Repository server, Counts? counts) => new(async (request, ct) =>
    {
        byte[] body = request.Encode();
        var reply = await SyncHandler.HandleSyncAsync(server, request, cancellationToken: ct);
        if (counts is not null)
        {
            counts.RequestBytes += body.Length;
            counts.ReplyBytes += reply.Encode().Length;
            counts.CompressedRequestBytes += request.EncodeCompressed().Length;
            counts.CompressedReplyBytes += reply.EncodeCompressed().Length;
        }
        return reply;
    });

    private static void Report(string what, Counts counts) =>
        Console.WriteLine($"// table sync {what}: {counts.Result.Rounds} rounds, {counts.Result.TableRowsReceived} rows received, {counts.RequestBytes} request bytes ({counts.CompressedRequestBytes} compressed), {counts.ReplyBytes} reply bytes ({counts.CompressedReplyBytes} compressed)");
}
