using FossilSync.Http;
using FossilSync.Primitives;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Http;

public sealed class HttpTransportTests : IDisposable
{
    private static readonly PragmaCard ClientVersion = new("client-version", "22100", "20230226", "192424");
    private readonly TempDirectory _dir = new();
    private readonly StockServer _server;
    private readonly string _projectCode;
    private readonly string _initialCheckIn;

    public HttpTransportTests()
    {
        string repo = _dir.File("served.fossil");
        StockFossil.Ok(_dir.Path, "new", repo);
        StockFossil.Ok(_dir.Path, "user", "new", "alice", "", "secret", "-R", repo);
        StockFossil.Ok(_dir.Path, "user", "capabilities", "alice", "oi", "-R", repo);
        _projectCode = StockFossil.Ok(_dir.Path, "sql", "-R", repo, "SELECT value FROM config WHERE name='project-code'").Trim().Trim('\'');
        _initialCheckIn = StockFossil.Ok(_dir.Path, "sql", "-R", repo, "SELECT uuid FROM blob").Trim().Trim('\'');
        _server = new StockServer(repo);
    }

    public void Dispose()
    {
        _server.Dispose();
        _dir.Dispose();
    }

    private byte[] Request(string? user, string? password, params XferCard[] cards) =>
        XferLogin.EncodeSigned([ClientVersion, .. cards, new CommentCard(" " + new Random(1).GetHexString(40))], user, password, _projectCode);

    [Fact]
    public async Task An_anonymous_pull_round_against_stock_fossil_server_returns_its_catalogue()
    {
        using var transport = new HttpTransport(_server.Url);
        var reply = await transport.ExchangeAsync(Request(null, null, new PullCard(new string('0', 40), _projectCode)), CancellationToken.None);
        reply.Cards.Should().ContainEquivalentOf(new PragmaCard("server-version", "22100", "20230226", "192424"));
        reply.Cards.OfType<IGotCard>().Select(c => c.Hash).Should().Equal(_initialCheckIn);
        reply.Cards.OfType<ErrorCard>().Should().BeEmpty();
    }

    [Fact]
    public async Task A_gimme_round_brings_the_artifact_whole_and_correct()
    {
        using var transport = new HttpTransport(_server.Url);
        var reply = await transport.ExchangeAsync(Request(null, null, new PullCard(new string('0', 40), _projectCode), new GimmeCard(_initialCheckIn)), CancellationToken.None);
        var file = reply.Cards.OfType<FileCard>().Should().ContainSingle().Subject;
        ArtifactHash.Matches(_initialCheckIn, file.Content.Span).Should().BeTrue();
    }

    [Fact]
    public async Task A_signed_push_is_accepted_and_a_wrong_password_gets_login_failed()
    {
        using var transport = new HttpTransport(_server.Url);
        XferCard[] cards = [new PullCard(new string('0', 40), _projectCode), new PushCard(new string('0', 40), _projectCode)];
        var ok = await transport.ExchangeAsync(Request("alice", "secret", cards), CancellationToken.None);
        ok.Cards.OfType<ErrorCard>().Should().BeEmpty();
        ok.Cards.OfType<MessageCard>().Should().BeEmpty("alice may push");

        var refused = await transport.ExchangeAsync(Request("alice", "wrong", cards), CancellationToken.None);
        refused.Cards.OfType<ErrorCard>().Should().ContainSingle().Which.Message.Should().Be("login failed");
    }

    [Fact]
    public async Task A_redirect_is_followed_by_posting_the_same_body_to_the_new_place()
    {
        using var redirector = new ScriptedHttpResponder($"HTTP/1.1 302 Found\r\nLocation: {_server.Url}xfer\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        using var transport = new HttpTransport(redirector.Url);
        var reply = await transport.ExchangeAsync(Request(null, null, new PullCard(new string('0', 40), _projectCode)), CancellationToken.None);
        reply.Cards.OfType<IGotCard>().Should().ContainSingle();
        redirector.RequestHead.Should().StartWith("POST / HTTP/1.1").And.Contain("Content-Type: application/x-fossil");
        transport.Endpoint.Should().Be(_server.Url, "the trailing /xfer of a redirect target is dropped, as stock does");
    }

    [Fact]
    public async Task An_html_reply_or_an_http_error_is_a_clear_transport_error()
    {
        const string page = "<html><body><h1>Login please</h1></body></html>";
        using (var html = new ScriptedHttpResponder($"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {page.Length}\r\nConnection: close\r\n\r\n{page}"))
        using (var transport = new HttpTransport(html.Url))
        {
            var act = () => transport.ExchangeAsync(Request(null, null), CancellationToken.None);
            (await act.Should().ThrowAsync<TransportException>()).WithMessage("*text/html*Login please*");
        }
        using (var broken = new ScriptedHttpResponder("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
        using (var transport = new HttpTransport(broken.Url))
        {
            var act = () => transport.ExchangeAsync(Request(null, null), CancellationToken.None);
            (await act.Should().ThrowAsync<TransportException>()).WithMessage("*500*");
        }
        using (var nowhere = new HttpTransport(new Uri($"http://127.0.0.1:{StockServer.FreePort()}/")))
        {
            var act = () => nowhere.ExchangeAsync(Request(null, null), CancellationToken.None);
            (await act.Should().ThrowAsync<TransportException>()).WithMessage("*cannot reach*");
        }
    }

    [Fact]
    public void Credentials_in_the_url_are_split_off_for_the_login_card()
    {
        var url = FossilUrl.Parse("http://alice:s%20cret@127.0.0.1:8080/repo?x=1");
        url.Endpoint.Should().Be(new Uri("http://127.0.0.1:8080/repo"));
        url.User.Should().Be("alice");
        url.Password.Should().Be("s cret");
        var act = () => FossilUrl.Parse("ssh://host/repo");
        act.Should().Throw<ArgumentException>();
    }
}
