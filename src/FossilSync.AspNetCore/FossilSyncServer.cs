using FossilSync.Repo;
using FossilSync.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FossilSync.AspNetCore;

/// <summary>
/// A ready-to-run HTTP server for one repository (the sync endpoint on every path) or a folder
/// of them (<see cref="StartFolderAsync"/>), and <c>GET /healthz</c>. Stock <c>fossil clone|sync|push|pull</c> work against it.
/// </summary>
public sealed class FossilSyncServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FossilSyncServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The host's services (for tests of how the host is set up).</summary>
    internal IServiceProvider Services => _app.Services;

    /// <summary>Where the server listens (the real port when 0 was asked for).</summary>
    public Uri Url { get; }

    /// <summary>Starts serving <paramref name="repositoryPath"/> at <paramref name="url"/> (e.g. <c>http://127.0.0.1:0</c> for any free port).</summary>
    public static async Task<FossilSyncServer> StartAsync(string repositoryPath, string url = "http://127.0.0.1:8080", SyncServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Fail early and clearly on a file that is not a repository.
        using (Repository.Open(repositoryPath)) { }
        return await StartAsync(url, app => app.MapFossilSync("/{**path}", repositoryPath, options), cancellationToken);
    }

    /// <summary>
    /// Starts serving the folder <paramref name="folderPath"/> as stock <c>fossil server DIR</c>
    /// does (see <see cref="FossilRepositoryFolder"/>): <c>/NAME</c> is <c>DIR/NAME.fossil</c>, a
    /// path that names no repository is answered with 404. With
    /// <paramref name="listRepositories"/> (stock's <c>--repolist</c>), <c>GET /</c> lists them;
    /// without it, that is a 404 too.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="folderPath"/> is not an existing folder.</exception>
    public static async Task<FossilSyncServer> StartFolderAsync(string folderPath, string url = "http://127.0.0.1:8080", bool listRepositories = false, SyncServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var folder = new FossilRepositoryFolder(folderPath);
        return await StartAsync(url, app =>
        {
            RequestDelegate root = listRepositories ? folder.WriteRepositoryListAsync : FossilSyncEndpoints.NotFoundAsync;
            app.MapGet("/", root);
            app.MapFossilSync("/{**path}", folder.Resolve, options);
        }, cancellationToken);
    }

    private static async Task<FossilSyncServer> StartAsync(string url, Action<WebApplication> mapEndpoints, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // The host's defaults watch the content root (the current folder) to reload
            // appsettings files: every write there (a repository's journal, a clone being
            // made next to it) woke that watcher, which took nine tenths of the server's CPU
            // while a stock client cloned a large repository. Nothing here is reloadable.
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Warnings and errors (a refused request, a failing disk, an unhandled 500) go to the
        // console's standard error; per-request events only when the host asks for them.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.AddFilter(null, LogLevel.Warning);
        // A host that cannot start (a port in use) throws from StartAsync, where the caller reports
        // it in its own words; the host's own log of it would be a stack trace at the user.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        app.MapGet("/healthz", () => "ok");
        mapEndpoints(app);
        await app.StartAsync(cancellationToken);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FossilSyncServer(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        try { await Task.Delay(Timeout.Infinite, cancellationToken); }
        catch (OperationCanceledException) { }
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
