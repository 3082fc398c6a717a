using System.Runtime.CompilerServices;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Sync;
using FossilSync.Testing;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Sync;

/// <summary>
/// A clone's final pass (most of a large clone's time and its peak memory) must not keep the
/// transfer's replies alive: a round's cards and their payloads are megabytes.
/// </summary>
public sealed class CloneFinalPassMemoryTests
{
    [Fact]
    public async Task No_reply_of_the_transfer_is_reachable_when_the_final_pass_commits()
    {
        using var dir = new TempDirectory();
        var transport = new SocketLikeTransport();
        var probe = new ReachableRepliesAtCommit(transport);

        await FossilClient.CloneAsync(transport, dir.File("clone.fossil"), new CloneOptions
        {
            Repository = new RepositoryOptions { Faults = probe },
            Progress = transport,
            ExtraDeltaCompression = false,
        });

        transport.Replies.Should().BeGreaterThanOrEqualTo(2);
        probe.Commits.Should().Contain(c => c.InsideCompletion && c.Reachable > 0,
            "the client waited for a reply and stored it inside its completion, where the reply is reachable (the probe sees it)");
        probe.Commits[^1].Should().Be((false, 0), "the final pass commits last, on a stack of its own, with every reply garbage");
    }

    // Each reply is built afresh and only weakly referenced here: what keeps one alive is the
    // client. Replies complete on another thread, as a socket's do, and only once the client
    // waits for them; the client's continuation then runs inside the completion, in a frame that
    // still holds the reply.
    private sealed class SocketLikeTransport : ITransport, IProgress<SyncProgress>
    {
        [ThreadStatic]
        private static bool t_completing;

        private readonly List<WeakReference<XferMessage>> _replies = [];
        private readonly SemaphoreSlim _roundsStored = new(0);
        private int _completing;

        /// <summary>True on a thread that runs the client inside a reply's completion.</summary>
        public static bool InsideCompletion => t_completing;

        public int Replies
        {
            get
            {
                lock (_replies) return _replies.Count;
            }
        }

        public int Reachable()
        {
            lock (_replies) return _replies.Count(r => r.TryGetTarget(out _));
        }

        /// <summary>Waits until no completion runs on any thread.</summary>
        public bool CompletionsReturned(TimeSpan timeout) => SpinWait.SpinUntil(() => Volatile.Read(ref _completing) == 0, timeout);

        public void Report(SyncProgress value) => _roundsStored.Release();

        public Task<XferMessage> ExchangeAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
        {
            var answer = new TaskCompletionSource<XferMessage>();
            bool first = Replies == 0;
            Interlocked.Increment(ref _completing);
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                // A pipelined request's reply waits until the round before it is stored, and a
                // little more, so that the client is waiting for it.
                if (!first) _roundsStored.Wait(TimeSpan.FromSeconds(10));
                Thread.Sleep(250);
                var reply = NewReply();
                lock (_replies) _replies.Add(new WeakReference<XferMessage>(reply));
                t_completing = true;
                answer.SetResult(reply);
                GC.KeepAlive(reply);
                t_completing = false;
                Interlocked.Decrement(ref _completing);
            }, null);
            return answer.Task;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static XferMessage NewReply()
        {
            var cards = new List<XferCard>();
            for (int i = 0; i < 50; i++)
            {
                byte[] content = System.Text.Encoding.UTF8.GetBytes($"file {i}\n");
                cards.Add(new CFileCard(ArtifactHash.Compute(content, HashKind.Sha3_256), null, content.Length, BlobCompression.Compress(content)));
            }
            cards.Add(new CloneSeqnoCard(0));
            cards.Add(new PushCard(new string('1', 40), new string('2', 40)));
            return new XferMessage(cards);
        }
    }

    // Never fails: at each commit it collects garbage and notes how many replies are still reachable.
    private sealed class ReachableRepliesAtCommit(SocketLikeTransport transport) : IFaultInjector
    {
        public List<(bool InsideCompletion, int Reachable)> Commits { get; } = [];

        public bool Check(string site, double probability)
        {
            if (site != FaultSites.StorageFailsAtCommit) return false;
            bool inside = SocketLikeTransport.InsideCompletion;
            // Outside every completion, the transport's own frames are waited out: only the client may hold a reply then.
            if (!inside) transport.CompletionsReturned(TimeSpan.FromSeconds(10)).Should().BeTrue();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            lock (Commits) Commits.Add((inside, transport.Reachable()));
            return false;
        }
    }
}
