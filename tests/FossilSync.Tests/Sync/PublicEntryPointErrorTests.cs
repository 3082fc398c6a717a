using System.Text;
using FossilSync.Http;
using FossilSync.Repo;
using FossilSync.Server;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Sync;

/// <summary>
/// Bad input at each public entry point comes back as the exception its documentation names
/// (a <see cref="FossilSyncException"/> for bad files and peers, an argument exception for a bad
/// argument), never as an exception of a library underneath, and leaves no file behind.
/// </summary>
public sealed class PublicEntryPointErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Uri Unreachable() => new($"http://127.0.0.1:{StockServer.FreePort()}/");

    [Theory]
    [InlineData("notaurl")]
    [InlineData("ftp://example.org/repo")]
    [InlineData("/relative/path")]
    [InlineData("")]
    public void FossilUrl_Parse_refuses_a_non_http_url_with_ArgumentException_and_TryParse_says_false(string text)
    {
        var act = () => FossilUrl.Parse(text);
        act.Should().Throw<ArgumentException>().WithMessage("*not an http:// or https:// URL*");
        FossilUrl.TryParse(text, out var parsed).Should().BeFalse();
        parsed.Should().BeNull();
    }

    [Fact]
    public void HttpTransport_refuses_a_relative_or_non_http_uri_when_made_not_at_the_first_round()
    {
        var ftp = () => new HttpTransport(new Uri("ftp://example.org/repo"));
        ftp.Should().Throw<ArgumentException>();
        var relative = () => new HttpTransport(new Uri("repo", UriKind.Relative));
        relative.Should().Throw<ArgumentException>();
        var none = () => new HttpTransport(null!);
        none.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public async Task CloneAsync_into_a_missing_directory_is_a_RepositoryException_and_creates_nothing()
    {
        string target = Path.Combine(_dir.Path, "missing", "copy.fossil");
        using var transport = new HttpTransport(Unreachable());

        var act = () => FossilClient.CloneAsync(transport, target);

        (await act.Should().ThrowAsync<RepositoryException>()).Which.Message.Should().Contain("does not exist");
        Directory.Exists(Path.Combine(_dir.Path, "missing")).Should().BeFalse();
    }

    [Fact]
    public async Task CloneAsync_from_an_unreachable_server_is_a_TransportException_and_leaves_no_file()
    {
        string target = _dir.File("copy.fossil");
        using var transport = new HttpTransport(Unreachable());

        var act = () => FossilClient.CloneAsync(transport, target, new CloneOptions { Resume = CloneResume.Never });

        await act.Should().ThrowAsync<TransportException>();
        Directory.GetFiles(_dir.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task SyncAsync_with_an_unreachable_server_is_a_TransportException_and_the_repository_is_unchanged()
    {
        string path = _dir.File("local.fossil");
        Repository.Create(path).Dispose();
        byte[] before = File.ReadAllBytes(path);
        using (var repository = Repository.Open(path))
        using (var transport = new HttpTransport(Unreachable()))
        {
            var act = () => FossilClient.SyncAsync(repository, transport);
            await act.Should().ThrowAsync<TransportException>();
        }
        File.ReadAllBytes(path).Should().Equal(before);
    }

    [Fact]
    public void Repository_Open_of_a_missing_file_a_directory_or_a_non_repository_is_a_RepositoryException_and_changes_nothing()
    {
        string text = _dir.File("notes.txt");
        File.WriteAllText(text, "not a repository\n");
        string emptySqlite = _dir.File("other.db");
        using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={emptySqlite};Pooling=False"))
        {
            db.Open();
            using var command = db.CreateCommand();
            command.CommandText = "CREATE TABLE t(x)";
            command.ExecuteNonQuery();
        }
        byte[] textBefore = File.ReadAllBytes(text), sqliteBefore = File.ReadAllBytes(emptySqlite);

        foreach (string path in new[] { _dir.File("missing.fossil"), _dir.Path, text, emptySqlite })
        {
            var act = () => Repository.Open(path);
            act.Should().Throw<RepositoryException>().Which.Message.Should().Contain(Path.GetFileName(path));
        }
        File.ReadAllBytes(text).Should().Equal(textBefore);
        File.ReadAllBytes(emptySqlite).Should().Equal(sqliteBefore);
        File.Exists(_dir.File("missing.fossil")).Should().BeFalse();
    }

    [Fact]
    public void Repository_Create_over_an_existing_file_or_in_a_missing_folder_is_a_RepositoryException()
    {
        string existing = _dir.File("notes.txt");
        File.WriteAllText(existing, "keep me\n");
        var over = () => Repository.Create(existing);
        over.Should().Throw<RepositoryException>();
        File.ReadAllText(existing).Should().Be("keep me\n");

        var missing = () => Repository.Create(Path.Combine(_dir.Path, "no", "such", "r.fossil"));
        missing.Should().Throw<RepositoryException>().WithMessage("*does not exist*");
    }

    [Fact]
    public async Task SyncHandler_answers_garbage_with_an_error_card_never_an_exception()
    {
        using var repository = Repository.Create(_dir.File("served.fossil"));
        foreach (var (body, type) in new[]
        {
            (Encoding.ASCII.GetBytes("not compressed at all"), "application/x-fossil"),
            (new byte[] { 0, 0, 0, 9, 1, 2, 3 }, "application/x-fossil"),
            (Encoding.ASCII.GetBytes("pull\nlogin x y z\n\u0001\n"), "application/x-fossil-uncompressed"),
        })
        {
            var response = await SyncHandler.HandleSyncAsync(repository, new SyncRequest(body, type));
            var reply = response.ContentType == "application/x-fossil" ? FossilSync.Xfer.XferMessage.DecodeCompressed(response.Body) : FossilSync.Xfer.XferMessage.Decode(response.Body);
            reply.Cards.OfType<FossilSync.Xfer.ErrorCard>().Should().NotBeEmpty();
        }
    }
}
