using System.Collections.Concurrent;
using FossilSync.AspNetCore;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FossilSync.Tests.Server;

/// <summary>A request that fails on the server is one error entry in the host's log, with its event id, whoever catches it.</summary>
public sealed class ServerFailureLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("round", 1803)]
    [InlineData("wrapper", 1805)]
    public async Task A_failed_request_is_logged_once_at_error(string failingIn, int eventId)
    {
        string path = _dir.File("served.fossil");
        string projectCode;
        using (var repository = Repository.Create(path, new RepositoryOptions { Random = new Random(9) }))
        {
            repository.Execute("UPDATE user SET cap='gio' WHERE login='nobody'");
            projectCode = repository.ProjectCode;
        }
        var options = failingIn == "round"
            ? new SyncServerOptions { ArtifactsStored = _ => throw new IOException("the disk is on fire") }
            : new SyncServerOptions { Wrappers = [_ => (_, _, _) => throw new IOException("the disk is on fire")] };
        var log = new CapturingProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(log);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapFossilSync("/{**path}", path, options);
        await app.StartAsync();
        var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var artifact = FreshArtifact.Create("pushed");
        using var http = new HttpClient();

        var reply = await SyncReply.PostAsync(http, "ours", url, CraftedRequest.Unsigned(
            CraftedRequest.ClientVersion, new PushCard(new string('0', 40), projectCode), artifact.File).Bytes);
        await app.StopAsync();

        reply.Errors.Should().ContainSingle().Which.Should().Contain("the disk is on fire");
        log.Entries.Where(e => e.Level >= LogLevel.Error).Should().ContainSingle(string.Join("\n", log.Entries))
            .Which.Id.Id.Should().Be(eventId);
    }

    private sealed class CapturingProvider : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, EventId Id, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Categorised(this, categoryName);

        public void Dispose() { }

        private sealed class Categorised(CapturingProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider.Entries.Enqueue((logLevel, eventId, $"{category} {eventId.Id}: {formatter(state, exception)}"));
        }
    }
}
