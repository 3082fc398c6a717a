using System.Collections.Concurrent;
using FossilSync.Observability;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Sync;
using FossilSync.Testing;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Observability;

/// <summary>One observer instance watching many client sessions and the server requests they cause, all at once.</summary>
public sealed class SharedObserverTests : IDisposable
{
    private const int Servers = 8;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task One_observer_shared_by_16_concurrent_client_and_server_sessions_sees_each_one_whole_and_unmixed()
    {
        var observer = new RecordingObserver();
        var serverOptions = new SyncServerOptions { Observer = observer };
        var clones = new List<Task<int>>();
        var syncs = new List<Task<SyncResult>>();
        for (int k = 0; k < Servers; k++)
        {
            // Server k holds k + 3 artifacts of its own, so each session's totals say which server it talked to.
            string served = _dir.File($"served{k}.fossil");
            string projectCode;
            using (var setup = Repository.Create(served, new RepositoryOptions { InitialCheckIn = false }))
            {
                setup.Execute("UPDATE user SET cap='gio' WHERE login='nobody'");
                for (int i = 0; i < k + 3; i++) setup.PutArtifact(FreshArtifact.Create($"server {k} artifact {i}").Content);
                projectCode = setup.ProjectCode;
            }
            var transport = new MockTransport(async (request, cancellationToken) =>
            {
                await Task.Yield();
                using var repository = Repository.Open(served);
                return await SyncHandler.HandleSyncAsync(repository, request, serverOptions, "10.0.0." + k, cancellationToken);
            });
            string clonePath = _dir.File($"clone{k}.fossil");
            clones.Add(Task.Run(async () =>
            {
                var (clone, result) = await FossilClient.CloneAsync(transport, clonePath, new CloneOptions { Observer = observer });
                clone.Dispose();
                return result.ArtifactsReceived;
            }));
            // A second client of the same project pushes two artifacts of its own and pulls the server's.
            var pusher = Repository.Create(_dir.File($"pusher{k}.fossil"), new RepositoryOptions { InitialCheckIn = false });
            pusher.SetConfig("project-code", projectCode);
            pusher.PutArtifact(FreshArtifact.Create($"pusher {k} a").Content);
            pusher.PutArtifact(FreshArtifact.Create($"pusher {k} b").Content);
            syncs.Add(Task.Run(async () =>
            {
                using (pusher) return await FossilClient.SyncAsync(pusher, transport, new SyncOptions { Observer = observer });
            }));
        }
        int[] cloned = await Task.WhenAll(clones);
        var synced = await Task.WhenAll(syncs);

        var sessions = observer.Events.GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.ToList());
        var clientSessions = sessions.Values.Where(s => s[0].What == "start").ToList();
        clientSessions.Should().HaveCount(2 * Servers, "every session has its own id");
        foreach (var events in clientSessions)
        {
            // start, then round n start and end for n = 1, 2, ..., then end: nothing of another session in between.
            events[^1].What.Should().Be("end");
            var rounds = events.Skip(1).SkipLast(1).ToList();
            rounds.Should().HaveCount(2 * events[^1].Totals!.Rounds);
            for (int i = 0; i < rounds.Count; i++)
            {
                rounds[i].What.Should().Be(i % 2 == 0 ? "round" : "round end");
                rounds[i].Round.Should().Be(i / 2 + 1);
            }
            var stats = rounds.Where(r => r.Stats is not null).Select(r => r.Stats!).ToList();
            var totals = events[^1].Totals!;
            totals.FilesReceived.Should().Be(stats.Sum(s => s.FilesReceived));
            totals.FilesSent.Should().Be(stats.Sum(s => s.FilesSent));
            totals.BytesSent.Should().Be(stats.Sum(s => s.BytesSent)).And.BePositive();
            totals.GimmesSent.Should().Be(stats.Sum(s => s.GimmesSent));
            events[0].Session!.Id.Should().Be(events[^1].Session!.Id);
        }
        var cloneTotals = clientSessions.Where(s => s[0].Session!.Kind == SyncSessionKind.Clone).Select(s => s[^1].Totals!).ToList();
        cloneTotals.Select(t => t.FilesReceived).Should().BeEquivalentTo(cloned);
        cloneTotals.Should().OnlyContain(t => t.ProjectCode != null);
        var syncTotals = clientSessions.Where(s => s[0].Session!.Kind == SyncSessionKind.Sync).Select(s => s[^1].Totals!).ToList();
        syncTotals.Select(t => (t.FilesSent, t.FilesReceived, t.GimmesSent, t.Rounds)).Should().BeEquivalentTo(synced.Select(r => (r.FilesSent, r.FilesReceived, r.GimmesSent, r.Rounds)));
        syncTotals.Should().OnlyContain(t => t.FilesSent == 2);
        syncTotals.Select(t => t.FilesReceived).Should().BeEquivalentTo(Enumerable.Range(3, Servers));

        // Every server request: its start, then its end; as many as the clients' rounds; what they sent is what the clients stored.
        var requests = sessions.Values.Where(s => s[0].What == "request").ToList();
        requests.Should().OnlyContain(r => r.Count == 2 && r[1].What == "request end");
        requests.Should().HaveCount(clientSessions.Sum(s => s[^1].Totals!.Rounds));
        requests.Sum(r => r[1].Request!.FilesOut).Should().Be(clientSessions.Sum(s => s[^1].Totals!.FilesReceived));
        requests.Sum(r => r[1].Request!.FilesIn).Should().Be(2 * Servers);
        // A clone's last round asks only for the configuration: no exchange of artifacts.
        requests.Select(r => r[1].Request!.Operation).Distinct().Should().Contain(["clone", "sync"]).And.BeSubsetOf(["clone", "sync", "none"]);
        requests.Should().OnlyContain(r => r[0].RequestInfo!.RemoteAddress!.StartsWith("10.0.0.") && r[1].Request!.Outcome == ServerRequestOutcome.Ok && r[1].Request!.CardsIn > 0);
    }

    [Fact]
    public async Task Error_cards_reach_the_error_hook_on_both_sides()
    {
        var observer = new RecordingObserver();
        string served = _dir.File("closed.fossil");
        using (var setup = Repository.Create(served)) setup.Execute("UPDATE user SET cap='' WHERE login='nobody'");
        var transport = new MockTransport(async (request, cancellationToken) =>
        {
            using var repository = Repository.Open(served);
            return await SyncHandler.HandleSyncAsync(repository, request, new SyncServerOptions { Observer = observer }, null, cancellationToken);
        });
        var act = () => FossilClient.CloneAsync(transport, _dir.File("clone.fossil"), new CloneOptions { Observer = observer });
        await act.Should().ThrowAsync<SyncProtocolException>();

        var errors = observer.Events.Where(e => e.What == "error").Select(e => e.Error!).ToList();
        errors.Should().Contain(e => e.Kind == SyncErrorKind.RequestRefused && e.Message.Contains("not authorized"), "the server reports its refusal");
        errors.Should().Contain(e => e.Kind == SyncErrorKind.ServerError && e.IsFatal && e.Message.Contains("not authorized"), "the client reports the error card that ended it");
        observer.Events.Where(e => e.What == "request end").Should().NotBeEmpty().And.OnlyContain(e => e.Request!.Outcome == ServerRequestOutcome.Refused);
    }

    private sealed record Event(long Id, string What, int Round = 0, SyncSessionInfo? Session = null, RoundStats? Stats = null, SessionTotals? Totals = null,
        ServerRequestInfo? RequestInfo = null, ServerRequestStats? Request = null, SyncErrorInfo? Error = null);

    private sealed class RecordingObserver : ISyncObserver
    {
        private readonly ConcurrentQueue<Event> _events = new();

        public IReadOnlyList<Event> Events => [.. _events];

        public void OnSessionStart(SyncSessionInfo session) => _events.Enqueue(new Event(session.Id, "start", Session: session));

        public void OnRoundStart(SyncSessionInfo session, int round) => _events.Enqueue(new Event(session.Id, "round", round));

        public void OnRoundEnd(SyncSessionInfo session, RoundStats stats) => _events.Enqueue(new Event(session.Id, "round end", stats.Round, Stats: stats));

        public void OnSessionEnd(SyncSessionInfo session, SessionTotals totals, Exception? error) => _events.Enqueue(new Event(session.Id, "end", Session: session, Totals: totals));

        public void OnError(SyncErrorInfo error) => _events.Enqueue(new Event(-error.SessionId, "error", Error: error));

        public void OnServerRequestStart(ServerRequestInfo request) => _events.Enqueue(new Event(request.Id, "request", RequestInfo: request));

        public void OnServerRequestEnd(ServerRequestInfo request, ServerRequestStats stats) => _events.Enqueue(new Event(request.Id, "request end", RequestInfo: request, Request: stats));
    }
}
