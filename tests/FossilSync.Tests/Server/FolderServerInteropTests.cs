using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FossilSync.AspNetCore;
using FossilSync.Observability;
using FossilSync.Server;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Server;

/// <summary>
/// A folder served as stock <c>fossil server DIR</c> serves one: stock clients clone each
/// repository by name, <c>--repolist</c> lists them, and no request target reaches a file outside.
/// </summary>
public sealed class FolderServerInteropTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _served;

    public FolderServerInteropTests()
    {
        _served = Directory.CreateDirectory(_dir.File("served")).FullName;
        Directory.CreateDirectory(Path.Combine(_served, "team"));
        StockRepositoryBuilder.Build(Path.Combine(_served, "alpha.fossil"), commits: 3, seed: 11);
        StockRepositoryBuilder.Build(Path.Combine(_served, "team", "beta.fossil"), commits: 6, seed: 12);
        string outside = Directory.CreateDirectory(_dir.File("outside")).FullName;
        StockRepositoryBuilder.Build(Path.Combine(outside, "secret.fossil"), commits: 1, seed: 13);
        File.CreateSymbolicLink(Path.Combine(_served, "escape.fossil"), Path.Combine(outside, "secret.fossil"));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Stock_clones_each_repository_of_the_folder_by_name_and_each_request_is_observed_with_its_project()
    {
        var observer = new ProjectRecorder();
        await using var server = await FossilSyncServer.StartFolderAsync(_served, "http://127.0.0.1:0", options: new SyncServerOptions { Observer = observer });

        foreach (string name in new[] { "alpha", "team/beta" })
        {
            string source = Path.Combine(_served, name + ".fossil");
            string clone = _dir.File(name.Replace('/', '-') + "-clone.fossil");
            var cloned = StockFossil.Run(_dir.Path, "clone", new Uri(server.Url, name).ToString(), clone);
            cloned.ExitCode.Should().Be(0, cloned.Stdout + cloned.Stderr);
            Sql(clone, "SELECT value FROM config WHERE name='project-code'").Should().Be(Sql(source, "SELECT value FROM config WHERE name='project-code'"));
            Sql(clone, "SELECT count(*) FROM blob").Should().Be(Sql(source, "SELECT count(*) FROM blob"));
            StockFossil.Run(_dir.Path, "test-integrity", "-R", clone).IntegrityOk.Should().BeTrue();
        }

        observer.ProjectCodes.Distinct().Should().BeEquivalentTo(
            [Sql(Path.Combine(_served, "alpha.fossil"), "SELECT value FROM config WHERE name='project-code'"),
             Sql(Path.Combine(_served, "team", "beta.fossil"), "SELECT value FROM config WHERE name='project-code'")]);
        var refused = StockFossil.Run(_dir.Path, "clone", new Uri(server.Url, "escape").ToString(), _dir.File("escape-clone.fossil"));
        refused.ExitCode.Should().NotBe(0, "a link out of the folder is not served");
        File.Exists(_dir.File("escape-clone.fossil")).Should().BeFalse();
    }

    [Fact]
    public async Task With_the_repository_list_GET_root_links_every_repository_and_without_it_is_404_as_stock()
    {
        await using var listing = await FossilSyncServer.StartFolderAsync(_served, "http://127.0.0.1:0", listRepositories: true);
        await using var plain = await FossilSyncServer.StartFolderAsync(_served, "http://127.0.0.1:0");
        using var http = new HttpClient();

        using var page = await http.GetAsync(listing.Url);
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        string html = await page.Content.ReadAsStringAsync();
        html.Should().Contain("<a href=\"/alpha\">alpha.fossil</a>").And.Contain("<a href=\"/team/beta\">team/beta.fossil</a>")
            .And.NotContain("escape").And.NotContain("secret");

        (await http.GetAsync(plain.Url)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        using var stock = new StockServer(_served);
        (await http.GetAsync(stock.Url)).StatusCode.Should().Be(HttpStatusCode.NotFound, "stock fossil server DIR without --repolist");
    }

    [Theory]
    [InlineData("/team/%2e%2e/alpha")]
    [InlineData("/team/../alpha")]
    [InlineData("/./alpha")]
    [InlineData("/team%2Fbeta")]
    [InlineData("/team%2fbeta/xfer")]
    [InlineData("/team%5Cbeta")]
    [InlineData("/../outside/secret")]
    [InlineData("/%2e%2e/outside/secret")]
    [InlineData("/%2e%2e%2foutside%2fsecret")]
    [InlineData("/.hidden")]
    [InlineData("/nothing")]
    public async Task A_request_target_that_leaves_the_folder_or_hides_a_separator_is_404_from_us_and_from_stock(string target)
    {
        await using var ours = await FossilSyncServer.StartFolderAsync(_served, "http://127.0.0.1:0");
        using var stock = new StockServer(_served);

        (await StatusOf(ours.Url.Port, "/alpha")).Should().Be(200, "the raw request itself is one both servers answer");
        (await StatusOf(ours.Url.Port, target)).Should().Be(404);
        (await StatusOf(stock.Port, target)).Should().Be(404, "stock fossil server DIR refuses it too");
    }

    [Fact]
    public async Task A_link_out_of_the_folder_is_404()
    {
        await using var ours = await FossilSyncServer.StartFolderAsync(_served, "http://127.0.0.1:0");
        (await StatusOf(ours.Url.Port, "/escape")).Should().Be(404);
        (await StatusOf(ours.Url.Port, "/escape/xfer")).Should().Be(404);
    }

    // The target goes on the wire as written: HttpClient's Uri would remove dot segments first.
    private static async Task<int> StatusOf(int port, string target)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        byte[] body = new FossilSync.Xfer.XferMessage([new FossilSync.Xfer.PragmaCard("client-version", ["22100"])]).EncodeCompressed();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST {target} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-fossil\r\nContent-Length: {body.Length}\r\n\r\n"));
        await stream.WriteAsync(body);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        string statusLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? "";
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private string Sql(string repository, string query) => StockFossil.Ok(_dir.Path, "sql", "-R", repository, query).Trim().Trim('\'');

    private sealed class ProjectRecorder : ISyncObserver
    {
        private readonly ConcurrentQueue<string> _projectCodes = new();

        public IReadOnlyCollection<string> ProjectCodes => _projectCodes;

        public void OnServerRequestStart(ServerRequestInfo request) => _projectCodes.Enqueue(request.ProjectCode);
    }
}
